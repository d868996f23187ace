"""Rules (issue 12 item 2): hide, read, star and highlight rules applied to the whole
archive and to each delta, their counts equal to a brute-force count and to
`newsreader search QUERY --limit 0`, everything restored when a rule goes, and a
user's own mark never overwritten."""

from __future__ import annotations

import json
import re
import threading

import pytest
from conftest import article_text

from reader.archive import Archive
from reader.cli.main import main as newsreader
from reader.config import Rule, load_settings
from reader.session.listing import ListQuery
from reader.session.rule_match import matching, record_test
from reader.session.services import Services, to_the_end
from reader.state.groups import ALL, NEW, STARRED, UNREAD
from reader.state.model import READ
from reader.state.rule_marks import HIDDEN

EN = "content/en/news/{}/{}.en.md"
ZH = "content/zh-CN/news/{}/{}.md"
BODIES = ["The central bank held rates.", "A bank run in the north.", "Harvest is late.",
          "英伟达发布新芯片。", "Central heating and a bank holiday.", "Nothing to see."]
MATCHES = re.compile(r"(\d+) of (\d+) matches")
HIDE_TIPRANKS = '[[rules]]\nquery = "source:tipranks"\naction = "hide"\n'
SEARCH = "[[searches]]\nname = \"Bank\"\nquery = \"bank OR harvest\"\n"


def files() -> dict[str, str]:
    out = {EN.format(("wire", "daily", "tipranks")[i % 3], i): article_text(
        f"Story {i}", date=f"2025-02-{1 + i:02d} 10:00:00", body=BODIES[i % len(BODIES)],
        tags=["ai"] if i % 4 == 0 else [])
        for i in range(18)}
    out[ZH.format("xinhua", "z1")] = article_text("芯片", body="英伟达的新闻。")
    return out


def open_reader(root, tmp_path, config: str) -> Services:
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    settings = load_settings(data_dir=tmp_path / "data", config_path=path, env={})
    services = Services(Archive.open(root, settings), settings)
    services.open_state()
    services.set_articles(services.scan().articles)
    services.update_index(lambda done, total: None, threading.Event())
    services.saved.take(services.saved.after_index(None))
    services.rules.take(services.rules.after_index(None))
    return services


@pytest.fixture
def make_reader(archive_factory, tmp_path):
    root, opened = archive_factory(files()), []

    def make(config: str = HIDE_TIPRANKS + SEARCH) -> Services:
        services = open_reader(root, tmp_path, config)
        opened.append(services)
        return services

    yield make
    for services in opened:
        services.close()


def brute_force(services: Services) -> dict:
    """Every group's (total, unread, starred) counted from scratch: hidden articles in
    Hidden only, the effective marks."""
    hidden, read, starred = services.counts.hidden, services.read, services.starred
    out = {}
    for key in services.counts.keys():
        if key == HIDDEN:
            rows = [a for a in services.articles if a.path in hidden]
        else:
            keep = services.member(key) if key not in (UNREAD, STARRED) else None
            rows = [a for a in services.articles if a.path not in hidden
                    and (keep is None or keep(a))]
            if key == UNREAD:
                rows = [a for a in rows if a.path not in read]
            if key == STARRED:
                rows = [a for a in rows if a.path in starred]
        out[key] = (len(rows), sum(a.path not in read for a in rows),
                    sum(a.path in starred for a in rows))
    return out


def counted(services: Services) -> dict:
    counts = services.counts
    return {key: (counts[key].total, counts[key].unread, counts[key].starred)
            for key in counts.keys()}


def cli(services: Services, capsys, *argv: str) -> str:
    services.flush()
    capsys.readouterr()
    settings = services.settings
    assert newsreader(["--data-dir", str(settings.data_root), "--config",
                       str(settings.config_path), *argv]) == 0
    return capsys.readouterr().out


def cli_total(services: Services, capsys, query: str, *extra: str) -> int:
    out = cli(services, capsys, "search", query, "--limit", "0", "--no-update", "--archive",
              str(services.archive.root), *extra)
    return int(MATCHES.search(out).group(2))


def every(services: Services, capsys) -> int:
    """Every article the CLI finds (that the rules do not hide)."""
    return sum(cli_total(services, capsys, f"lang:{lang}") for lang in ("en", "zh"))


def test_a_hide_rule_hides_everywhere_and_is_counted_in_hidden_only(make_reader, capsys):
    services = make_reader()
    tipranks = {a.path for a in services.articles if a.source == "tipranks"}
    assert services.counts.hidden == tipranks and len(tipranks) == 6
    assert counted(services) == brute_force(services)
    assert services.counts[ALL].total == 13 and services.counts[HIDDEN].total == 6
    assert ("source", "tipranks") not in services.counts  # its field group has no article
    outcome = services.search("bank OR harvest", limit=0)
    shown = services.rows(outcome, ListQuery(ALL))
    assert shown and not {a.path for a in shown} & tipranks
    for key in (ALL, UNREAD, ("lang", "en"), ("section", "source")):
        assert not {a.path for a in services.rows(services.search(""), ListQuery(key))
                    } & tipranks
    assert {a.path for a in services.rows(outcome, ListQuery(HIDDEN))} <= tipranks
    bank = services.counts[("search", "Bank")]
    assert bank.total == cli_total(services, capsys, "bank OR harvest")  # the CLI hides them too
    assert bank.total < cli_total(services, capsys, "bank OR harvest", "--all")
    assert services.counts[ALL].total == every(services, capsys)


def test_removing_a_hide_rule_restores_every_count_by_deltas(make_reader):
    plain = make_reader(SEARCH)
    services = make_reader()
    for reader in (plain, services):  # a hidden one read meanwhile
        reader.set_read([reader.by_path[EN.format("tipranks", 2)]])
    changed = services.rules.delete(services.rules.rules[0].name)
    assert changed and not services.counts.hidden
    assert counted(services) == brute_force(services)
    after, before = counted(services), counted(plain)
    for counts in (after, before):  # New is held once the state writer has answered
        counts.pop(NEW, None)
    assert after.pop(HIDDEN) == (0, 0, 0) and after == before
    assert "rules" not in services.settings.config_path.read_text(encoding="utf-8")


def test_a_read_rule_never_overwrites_a_users_mark(make_reader):
    services = make_reader('[[rules]]\nquery = "source:daily"\naction = "read"\n')
    daily = sorted(a.path for a in services.articles if a.source == "daily")
    kept_unread, kept_read = services.by_path[daily[0]], services.by_path[daily[1]]
    assert set(daily) <= services.read  # read by the rule ...
    assert not services.store.read_set() & set(daily)  # ... never written as the user's
    assert counted(services) == brute_force(services)
    services.set_read([kept_unread], False)  # the user: unread, though the rule says read
    services.flush()
    assert kept_unread.path not in services.read
    services.set_read([kept_read], False)
    services.set_read([kept_read], True)  # the user read it themselves
    services.flush()
    again = make_reader('[[rules]]\nquery = "source:daily"\naction = "read"\n')
    assert kept_unread.path not in again.read and kept_read.path in again.read
    assert counted(again) == brute_force(again)
    again.rules.delete(again.rules.rules[0].name)  # the rule's marks are undone ...
    assert again.read & set(daily) == {kept_read.path}  # ... the user's stay
    assert counted(again) == brute_force(again)


def test_an_undone_mark_gives_the_path_back_to_the_rule(make_reader):
    services = make_reader('[[rules]]\nquery = "source:daily"\naction = "read"\n')
    article = services.by_path[EN.format("daily", 1)]
    services.set_read([article], False)
    services.flush()
    to_the_end(services.undoing(services.undo().result()))
    assert article.path in services.read  # no user mark left: the rule's again
    assert counted(services) == brute_force(services)


def test_star_and_highlight_rules_and_the_is_terms(make_reader, capsys):
    services = make_reader('[[rules]]\nquery = "harvest"\naction = "star"\n'
                           '[[rules]]\nname = "AI"\nquery = "tag:ai"\naction = "highlight"\n')
    harvest = set(services.search("harvest", limit=0).paths)
    assert harvest and services.starred == harvest and not services.store.starred_set()
    assert services.rules.highlighted == {a.path for a in services.articles if "ai" in a.tags}
    assert counted(services) == brute_force(services)
    assert cli_total(services, capsys, "is:starred") == len(harvest)
    assert cli_total(services, capsys, "is:starred", "--all") == 0
    out = cli(services, capsys, "search", "harvest", "--json", "--no-update", "--archive",
              str(services.archive.root))
    assert '"starred": true' in out and '"starred": false' not in out


def arrive(services: Services, written: dict[str, str]) -> None:
    """As the reader takes a watched batch: scan, take the delta, index, rules again."""
    root = services.archive.root
    for rel, text in written.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    result = services.scan_paths(written)
    services.take(services.apply_scan(result))
    assert services.counts.hidden >= {p for p in written if "tipranks" in p}  # at once
    services.update_index(lambda done, total: None, threading.Event(), delta=result.delta,
                          parsed=result.parsed)
    services.rules.take(services.rules.after_index(result.delta))


def test_new_files_are_classified_as_they_arrive(make_reader, capsys):
    services = make_reader(HIDE_TIPRANKS + '[[rules]]\nquery = "harvest"\naction = "hide"\n')
    arrive(services, {EN.format("tipranks", 90): article_text("T", body="Bank news."),
                      EN.format("wire", 91): article_text("W", body="The harvest is in."),
                      EN.format("wire", 92): article_text("W", body="Bank rates.")})
    assert EN.format("wire", 91) in services.counts.hidden
    assert EN.format("wire", 92) not in services.counts.hidden
    assert counted(services) == brute_force(services)
    assert services.counts[ALL].total == every(services, capsys)


def test_a_preview_counts_before_anything_is_saved(make_reader):
    services = make_reader(SEARCH)
    text = services.settings.config_path.read_text(encoding="utf-8")
    preview = services.rules.preview("bank -central", "hide")
    assert len(preview.paths) == len(services.search("bank -central", limit=0).paths) > 0
    assert len(preview.sample) == min(10, len(preview.paths)) and not preview.problem
    assert services.settings.config_path.read_text(encoding="utf-8") == text  # not saved
    assert not services.counts.hidden
    rule, changed = services.rules.add(preview.query, preview.action, preview.paths)
    assert services.counts.hidden == preview.paths == changed
    assert "bank -central" in services.settings.config_path.read_text(encoding="utf-8")
    assert services.rules.preview("is:unread", "hide").problem
    assert services.rules.preview("bank", "explode").problem


def test_rules_test_prints_each_rule(make_reader, capsys):
    services = make_reader(HIDE_TIPRANKS + '[[rules]]\nquery = "is:read"\naction = "read"\n')
    out = cli(services, capsys, "rules", "test", str(services.archive.root), "--no-update")
    assert out.startswith("[hide]  source:tipranks\n    6 matches\n    2025-02-18  Story 17\n")
    assert "Story 17" in out and "cannot be applied: is: terms" in out
    rows = json.loads(cli(services, capsys, "rules", "test", str(services.archive.root),
                          "--no-update", "--json"))
    assert rows[0]["matches"] == 6 and len(rows[0]["sample"]) == 6
    assert rows[0]["action"] == "hide" and "problem" in rows[1]


def test_searches_counts_leave_hidden_articles_out(make_reader, capsys):
    services = make_reader()
    rows = json.loads(cli(services, capsys, "searches", str(services.archive.root),
                          "--no-update", "--json"))
    bank = services.counts[("search", "Bank")]
    assert (rows[0]["total"], rows[0]["unread"]) == (bank.total, bank.unread)
    everything = json.loads(cli(services, capsys, "searches", str(services.archive.root),
                                "--no-update", "--json", "--all"))
    assert everything[0]["total"] > bank.total


def test_rules_in_the_config_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[[rules]]\nquery = "source:a"\naction = "hide"\n'
                    '[[rules]]\nquery = "x"\naction = "delete"\n'
                    '[[rules]]\naction = "read"\n'
                    '[[rules]]\nname = "N"\nquery = "y"\naction = "star"\ncolour = 1\n'
                    '[[rules]]\nquery = "source:a"\naction = "read"\n'
                    '[[rules]]\nname = "B"\nquery = "bank"\naction = "highlight"\n',
                    encoding="utf-8")
    settings = load_settings(data_dir=tmp_path, config_path=path, env={})
    assert settings.rules == (Rule("source:a", "source:a", "hide"),
                              Rule("B", "bank", "highlight"))
    problems = "\n".join(settings.problems)
    assert "rule 2 needs an action, one of hide, read, star, highlight" in problems
    assert "rule 3 needs a query" in problems and "rule 4 has unknown keys 'colour'" in problems
    assert "rule 5 repeats the name 'source:a'" in problems


def test_a_rule_of_filters_is_decided_from_the_records_as_the_index_decides(make_reader):
    services = make_reader("")
    for query in ("source:tipranks", "lang:zh", "tag:ai -source:daily", "after:2025-02-10",
                  "date:2025-02", "before:2025-02-05 lang:en", "-tag:ai", "cat:none"):
        test = record_test(query, services.settings.tzinfo)
        assert test is not None, query
        assert matching(services.articles, test) == set(services.search(query).paths or ()
                                                        ), query
    assert record_test("bank source:daily", services.settings.tzinfo) is None


def test_before_the_index_a_rule_of_filters_applies_and_one_of_words_waits(
        archive_factory, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(HIDE_TIPRANKS + '[[rules]]\nquery = "harvest"\naction = "read"\n',
                    encoding="utf-8")
    settings = load_settings(data_dir=tmp_path / "data", config_path=path, env={})
    services = Services(Archive.open(archive_factory(files()), settings), settings)
    try:
        services.open_state()
        services.set_articles(services.scan().articles)  # no index yet
        assert len(services.counts.hidden) == 6 and services.counts[ALL].total == 13
        assert [r.query for r in services.rules.pending()] == ["harvest"]
        assert services.rules.note(services.rules.rules[1]) == "applying…"
        assert counted(services) == brute_force(services)
    finally:
        services.close()


def test_the_first_page_leaves_out_what_a_rule_of_filters_hides(make_reader):
    services = make_reader()
    first = services.rules.shown(services.archive.cached_newest(10))
    assert len(first) == 10 - sum(a.source == "tipranks"
                                  for a in services.archive.cached_newest(10))
    assert not any(a.source == "tipranks" for a in first)


def test_marking_all_read_makes_a_read_rules_marks_the_users(make_reader):
    """`A` (or `c a`) over articles a read rule already shows read: the user marked them
    all read, so removing the rule leaves them read (and an undo of that step gives them
    back to the rule), as it does for the articles the mark itself changed."""
    services = make_reader('[[rules]]\nquery = "source:daily"\naction = "read"\n')
    daily = {a.path for a in services.articles if a.source == "daily"}
    assert daily <= services.read and not services.store.read_set() & daily
    to_the_end(services.marking(READ, list(services.articles), True, "in view"))
    services.flush()
    assert daily <= services.store.read_set()  # the user's marks now
    services.rules.delete(services.rules.rules[0].name)
    assert daily <= services.read and counted(services) == brute_force(services)
    again = make_reader("")
    assert daily <= again.read


def test_an_undone_mark_all_read_gives_the_rules_marks_back(make_reader):
    services = make_reader('[[rules]]\nquery = "source:daily"\naction = "read"\n')
    daily = {a.path for a in services.articles if a.source == "daily"}
    to_the_end(services.marking(READ, list(services.articles), True, "in view"))
    services.flush()
    to_the_end(services.undoing(services.undo().result()))
    services.flush()
    assert services.read == daily and not services.store.read_set() & daily
    assert counted(services) == brute_force(services)
    services.rules.delete(services.rules.rules[0].name)
    assert not services.read & daily


def test_rules_with_groups(make_reader, capsys):
    """A hide rule of a negated group of words and an OR of filters, and a star rule of
    filters only in groups (decided from the records, as the index decides)."""
    hide = "(source:daily OR tag:ai) -(central OR 英伟达)"
    star = "(source:wire OR source:xinhua) -(tag:ai)"
    search = "(source:wire OR tag:ai) -(bank OR 英伟达)"
    services = make_reader(f'[[rules]]\nquery = "{hide}"\naction = "hide"\n'
                           f'[[rules]]\nquery = "{star}"\naction = "star"\n'
                           f'[[searches]]\nname = "G"\nquery = "{search}"\n')
    sources = ("wire", "daily", "tipranks")
    hidden = {EN.format(sources[i % 3], i) for i in range(18)
              if (i % 3 == 1 or i % 4 == 0) and i % len(BODIES) in (1, 2, 5)}
    starred = {EN.format("wire", i) for i in range(0, 18, 3) if i % 4} | \
        {ZH.format("xinhua", "z1")}
    assert hidden and services.counts.hidden == hidden
    assert services.starred == starred
    test = record_test(star, services.settings.tzinfo)
    assert test is not None and matching(services.articles, test) == starred
    assert record_test(hide, services.settings.tzinfo) is None  # words: the index's
    assert counted(services) == brute_force(services)
    out = cli(services, capsys, "rules", "test", str(services.archive.root), "--no-update")
    assert f"[hide]  {hide}\n    {len(hidden)} matches\n" in out
    assert f"[star]  {star}\n    {len(starred)} matches" in out
    held = services.counts[("search", "G")].total
    assert held == cli_total(services, capsys, search) == len(
        {EN.format(sources[i % 3], i) for i in range(18) if (i % 3 == 0 or i % 4 == 0)
         and i % len(BODIES) in (2, 5)} - hidden)
    assert services.rules.preview("nvidia OR tag:ai", "hide").problem.startswith(
        "a filter can be ORed only with filters")
