"""`newsreader stats [ARCHIVE] [QUERY] [--json] [--days N]`: the glance figures from the
shell, JSON equal to counting the files, text as sparklines and bars, a query narrowing
them as `newsreader search` finds its hits."""

from __future__ import annotations

import json
import re

import pytest

from conftest import article_text
from rich.cells import cell_len

from reader.archive import Archive
from reader.cli.main import main as newsreader
from reader.state import STATE_FILE_NAME, StateStore

SOURCES = ("路透社", "wire")


def files() -> dict[str, str]:
    out = {}
    for i in range(20):
        source, lang = SOURCES[i % 2], ("zh-CN", "en")[i % 2]
        out[f"{lang}/news/{source}/{i:02d}.{lang}.md"] = article_text(
            f"Story {i}", date=f"2025-02-{14 - i // 2:02d} {8 + i % 3:02d}:00:00",
            body="英伟达 chips." if i % 4 == 0 else "Rain.", tags=["芯片" if i % 3 else "rain"],
            categories=["科技"])
    return out


def run(capsys, settings, *args) -> tuple[int, str, str]:
    settings.config_path.touch()
    code = newsreader(["--data-dir", str(settings.data_root), "--config",
                       str(settings.config_path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_stats_json_counts_the_files(archive_factory, settings, capsys):
    root = archive_factory(files())
    code, out, _ = run(capsys, settings, "stats", str(root), "--json", "--until", "2025-02-14")
    assert code == 0
    shown = json.loads(out)
    days = {d["date"]: d["articles"] for d in shown["days"]}
    assert len(days) == 30 and days["2025-02-14"] == 2 and days["2025-02-05"] == 2
    assert sum(days.values()) == shown["total"] == 20
    assert sum(shown["hours"]) == 2 and shown["until"] == "2025-02-14"
    sources = {r["name"]: r for r in shown["sources"]}
    assert sources["路透社"]["this_week"] == 7 and sources["路透社"]["last_week"] == 3
    assert shown["categories"] == [{"name": "科技", "articles": 14}]
    assert {t["name"]: t["articles"] for t in shown["tags"]} == {"芯片": 9, "rain": 5}


def test_stats_counts_your_reading_from_the_state_file(archive_factory, settings, capsys):
    root = archive_factory(files())
    archive = Archive.open(root, settings)
    archive.scan()
    paths = sorted(a.path for a in archive.cached())[:5]
    with StateStore.open(archive.data_dir / STATE_FILE_NAME) as store:
        store.mark_read(paths)
        store.mark_starred(paths[:2])
    archive.close()
    code, out, _ = run(capsys, settings, "stats", str(root), "--json")  # today: the clock
    shown = json.loads(out)
    assert (shown["total"], shown["unread"], shown["starred"]) == (20, 15, 2)
    assert shown["reading"][-1]["read"] == 5  # read today, whatever the articles' dates
    assert shown["reading"][-1]["backlog"] == 15 and shown["reading"][-2]["backlog"] == 20


def test_stats_text_draws_sparklines_and_bars_and_a_query_narrows(
        archive_factory, settings, capsys):
    root = archive_factory(files())
    code, out, _ = run(capsys, settings, "stats", str(root), "--until", "2025-02-14",
                       "--days", "14")
    assert code == 0
    assert re.search(r"Articles per day +[ ▁▂▃▄▅▆▇█]{14}  02-14 2", out)
    bars = [line for line in out.splitlines() if "unread" in line and "█" in line]
    assert len(bars) == 4  # two sources, two languages
    assert len({cell_len(line[:line.index("█")]) for line in bars[:2]}) == 1  # 路透社, wire
    code, out, _ = run(capsys, settings, "stats", str(root), "英伟达", "--json",
                       "--until", "2025-02-14")
    assert code == 0 and json.loads(out)["total"] == 5 and json.loads(out)["scope"] == "英伟达"
    code, out, err = run(capsys, settings, "stats", str(root), "--days", "0")
    assert code == 2 and "--days" in err


def test_stats_reads_the_days_shown_not_every_record(archive_factory, settings, capsys,
                                                     monkeypatch):
    from reader.archive.cache import MetadataCache

    root = archive_factory(files())
    run(capsys, settings, "stats", str(root), "rain", "--json")  # scanned and indexed once
    monkeypatch.setattr(MetadataCache, "articles", lambda cache: pytest.fail("every record"))
    code, out, _ = run(capsys, settings, "stats", str(root), "--json", "--no-update",
                       "--until", "2025-02-14")
    assert code == 0 and json.loads(out)["total"] == 20
    code, out, _ = run(capsys, settings, "stats", str(root), "英伟达", "--json",
                       "--no-update", "--until", "2025-02-14")
    assert code == 0 and json.loads(out)["total"] == 5


def test_stats_until_newest_moves_what_arrived_not_your_reading(archive_factory, settings,
                                                                capsys):
    root = archive_factory(files())  # the newest article: 2025-02-14, long before today
    code, out, _ = run(capsys, settings, "stats", str(root))
    assert code == 0
    assert "Nothing arrived in the last 30 days; the newest article is from 2025-02-14" in out
    assert "--until newest" in out
    code, out, _ = run(capsys, settings, "stats", str(root), "--until", "newest", "--json")
    shown = json.loads(out)
    assert (shown["until"], shown["newest"]) == ("2025-02-14", "2025-02-14")
    assert shown["days"][-1] == {"date": "2025-02-14", "articles": 2}
    assert shown["reading"][-1]["date"] == shown["today"] != "2025-02-14"
    code, out, _ = run(capsys, settings, "stats", str(root), "--until", "newest")
    assert "What arrived: the 30 days to 2025-02-14; your reading: the 30 days to today" in out
    assert "Nothing arrived" not in out
    with pytest.raises(SystemExit) as exited:
        run(capsys, settings, "stats", str(root), "--until", "soon")
    assert exited.value.code == 2 and "nor newest" in capsys.readouterr().err


def test_stats_leaves_out_what_the_hide_rules_hide(archive_factory, settings, capsys):
    """As `newsreader search` and the reader: a hidden article is counted nowhere
    (attack D8-1); `--all` counts it."""
    root = archive_factory(files())
    settings.config_path.write_text('[[rules]]\nquery = "source:wire"\naction = "hide"\n',
                                    encoding="utf-8")
    for words, total in (((), 10), (("story",), 10), (("--all",), 20)):
        code, out, _ = run(capsys, settings, "stats", str(root), *words, "--json",
                           "--until", "2025-02-14")
        shown = json.loads(out)
        assert code == 0 and shown["total"] == total, words
        assert sum(d["articles"] for d in shown["days"]) == total
        assert {r["name"] for r in shown["sources"]} == (
            set(SOURCES) if total == 20 else {"路透社"})
