"""`newsreader searches [ARCHIVE] [--json]`: the saved searches with their counts, each
that of `newsreader search QUERY --limit 0` (unread: with is:unread)."""

from __future__ import annotations

import json
import re

from conftest import article_text

from reader.cli.main import main as newsreader

CONFIG = ('[[searches]]\nname = "Bank"\nquery = "bank"\n\n[[searches]]\nname = "Chips"\n'
          'query = "英伟达 OR nvidia"\n\n[[searches]]\nname = "Mine"\nquery = "is:read bank"\n'
          '\n[[searches]]\nname = "Bank"\nquery = "twice"\n')
MATCHES = re.compile(r"(\d+) of (\d+) matches")


def run(capsys, settings, *args) -> tuple[int, str, str]:
    code = newsreader(["--data-dir", str(settings.data_root), "--config",
                       str(settings.config_path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_searches_lists_each_saved_search_with_the_counts_of_search(
        archive_factory, settings, capsys):
    bodies = ["The bank held rates.", "英伟达发布新芯片。", "Nvidia and a bank.", "Rain."]
    root = str(archive_factory({f"en/news/wire/{i}.en.md": article_text(
        f"Story {i}", date=f"2025-02-{1 + i:02d} 10:00:00", body=bodies[i % 4])
        for i in range(10)}))
    settings.config_path.write_text(CONFIG, encoding="utf-8")
    code, out, err = run(capsys, settings, "searches", root, "--json")
    assert code == 0 and "saved search 4 repeats the name 'Bank'" in err
    rows = json.loads(out)
    assert [r["name"] for r in rows] == ["Bank", "Chips", "Mine"]
    assert "is: terms cannot be saved" in rows[2]["problem"] and "total" not in rows[2]
    for row in rows[:2]:
        for key, query in (("total", row["query"]), ("unread", f"{row['query']} is:unread")):
            code, out, _ = run(capsys, settings, "search", query, "--limit", "0",
                               "--archive", root, "--no-update")
            assert int(MATCHES.search(out).group(2)) == row[key] > 0, (row, key)
    code, out, _ = run(capsys, settings, "searches", root, "--no-update")
    assert code == 0 and re.search(r"Bank\s+5 unread\s+5 total\s+bank", out)
    assert "Mine   cannot count: is: terms" in out
