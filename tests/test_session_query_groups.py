"""A query group (what a saved search is): its counts equal `newsreader search QUERY
--limit 0` counts (total, unread, starred) after marks, additions, changes and
deletions, kept by deltas (the query run again only within the paths a delta touched)."""

from __future__ import annotations

import re
import threading

import pytest
from conftest import article_text

from reader.archive import Archive
from reader.cli.main import main as newsreader
from reader.session.services import Services

EN = "content/en/news/{}/{}.en.md"
ZH = "content/zh-CN/news/{}/{}.md"
BODIES = ["The central bank held rates.", "A bank run in the north.", "Harvest is late.",
          "英伟达发布新芯片。", "Central heating and a bank holiday.", "Nothing to see."]
QUERIES = ["bank", '"central bank"', "harvest OR 英伟达", "bank -central", "source:daily bank",
           "英伟达", "lang:en -bank"]
MATCHES = re.compile(r"(\d+) of (\d+) matches")


@pytest.fixture
def reader(archive_factory, settings, tmp_path):
    files = {EN.format("wire" if i % 3 else "daily", i): article_text(
        f"Story {i}", date=f"2025-02-{1 + i:02d} 10:00:00", body=BODIES[i % len(BODIES)])
        for i in range(18)}
    files[ZH.format("xinhua", "z1")] = article_text("芯片", body="英伟达的新闻。")
    settings.config_path.write_text("", encoding="utf-8")  # the command reads it too
    services = Services(Archive.open(archive_factory(files), settings), settings)
    services.open_state()
    services.set_articles(services.scan().articles)
    services.update_index(lambda done, total: None, threading.Event())
    services.take_groups(services.query_group(("search", q), q) for q in QUERIES)
    yield services
    services.close()


def cli_count(services: Services, settings, capsys, query: str) -> int:
    services.flush()  # the marks in the state file, as the command reads them
    capsys.readouterr()
    assert newsreader(["--data-dir", str(settings.data_root), "--config",
                       str(settings.config_path), "search", query, "--limit", "0",
                       "--no-update", "--archive", str(services.archive.root)]) == 0
    out = capsys.readouterr()
    return int(MATCHES.search(out.out).group(2))


def check(services, settings, capsys) -> None:
    for query in QUERIES:
        count = services.counts[("search", query)]
        expected = [cli_count(services, settings, capsys, f"{query} {state}".strip())
                    for state in ("", "is:unread", "is:starred")]
        assert [count.total, count.unread, count.starred] == expected, query
        keep = services.member(("search", query))
        assert sum(map(keep, services.articles)) == count.total


def arrive(services: Services, files: dict[str, str | None]) -> None:
    """Write (or delete, for None) files, then as the reader does: scan them, take the
    delta, index it, and look for the touched paths in the query groups again."""
    root = services.archive.root
    for rel, text in files.items():
        if text is None:
            (root / rel).unlink()
        else:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
    result = services.scan_paths(files)
    change = services.apply_scan(result)
    services.take(change)
    services.update_index(lambda done, total: None, threading.Event(), delta=result.delta,
                          parsed=result.parsed)
    services.take_groups(services.regroup(files))


def test_query_groups_count_as_the_command_searches(reader, settings, capsys):
    check(reader, settings, capsys)
    by_path = reader.by_path
    reader.set_read([by_path[EN.format("daily", 0)], by_path[EN.format("wire", 1)],
                     by_path[EN.format("wire", 4)]])
    reader.toggle_star(by_path[EN.format("wire", 4)])
    reader.toggle_star(by_path[ZH.format("xinhua", "z1")])
    check(reader, settings, capsys)
    arrive(reader, {EN.format("wire", 50): article_text("New", body="The central bank again."),
                    EN.format("daily", 51): article_text("New", body="Bank harvest."),
                    EN.format("wire", 4): article_text("Changed", body="No longer a match."),
                    EN.format("wire", 2): article_text("Changed", body="Now a bank story.")})
    check(reader, settings, capsys)
    arrive(reader, {EN.format("daily", 0): None, EN.format("wire", 50): None,
                    ZH.format("xinhua", "z1"): None})
    check(reader, settings, capsys)
    assert reader.counts[("search", "英伟达")].total == 3


def test_a_search_within_a_query_group_must_match_its_query_too(reader):
    outcome = reader.search("central", ("search", "bank"), limit=100)
    inside = reader.counts.groups.group(("search", "bank")).paths
    assert outcome.paths and set(outcome.paths) <= inside and outcome.total == len(outcome.paths)
    assert set(outcome.paths) == set(reader.search("central bank", limit=0).paths)
    phrase = reader.search("centr", ("search", '"central bank"'), limit=100)  # typed: a prefix
    assert sorted(phrase.paths) == sorted(reader.counts.groups.group(
        ("search", '"central bank"')).paths) and phrase.total == len(phrase.paths)
