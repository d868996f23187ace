"""`newsreader search is:new` and `added:` from the shell: the same sets as the reader's New
node and as the visits say; with no reader ever run nothing is new or added (and no state
file is made); a bad date is one line; `newsreader searches` counts an is:new search."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from reader.cli.main import main as newsreader
from reader.state import STATE_FILE_NAME
from reader.state.groups import NEW
from test_session_new import arrive, brute_new, opened, path_of, root, write  # noqa: F401


def run(capsys, settings, *args) -> tuple[int, str, str]:
    if not settings.config_path.exists():
        settings.config_path.write_text("", encoding="utf-8")
    code = newsreader(["--data-dir", str(settings.data_root), "--config",
                       str(settings.config_path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def found(capsys, settings, root, query: str) -> set[str]:
    code, out, err = run(capsys, settings, "search", "--archive", str(root), "--limit", "0",
                         "--json", "--", query)  # (-is:new is no option)
    assert code == 0, err
    return {hit["path"] for hit in json.loads(out)}


def test_with_no_reader_ever_run_nothing_is_new_or_added(root, settings, capsys):
    assert found(capsys, settings, root, "is:new") == set()
    assert found(capsys, settings, root, "added:today") == set()
    assert found(capsys, settings, root, "-is:new") == {path_of(i) for i in range(5)}
    data_dirs = list(settings.data_root.glob("archives/*"))
    assert data_dirs and not any((d / STATE_FILE_NAME).exists() for d in data_dirs)


def test_the_cli_finds_what_the_reader_shows_as_new(root, settings, capsys):
    first = opened(root, settings)
    arrive(first, root, path_of(5))
    shown = set(first.group(NEW).paths)
    seen = first.store.visits.first_seen()
    first.close()
    assert found(capsys, settings, root, "is:new") == shown == {path_of(5)}
    write(root, path_of(6, "daily"))
    second = opened(root, settings)  # open: the CLI sees its New as it shows it
    assert found(capsys, settings, root, "is:new") == set(second.group(NEW).paths) \
        == brute_new(second) == {path_of(5), path_of(6, "daily")}
    assert found(capsys, settings, root, "is:new source:daily") == {path_of(6, "daily")}
    today = datetime.now(settings.tzinfo).date()
    assert found(capsys, settings, root, f"added:{today}") == set(seen) | {path_of(6, "daily")}
    assert found(capsys, settings, root, f"added:..{today - timedelta(days=1)}") == set()
    second.close()


def test_a_bad_added_date_is_one_line(root, settings, capsys):
    code, out, err = run(capsys, settings, "search", "added:2026-13-01", "--archive", str(root))
    assert code == 2 and out == ""
    assert err.strip().endswith("bad query: added:2026-13-01: not a date (use YYYY, YYYY-MM, "
                                "YYYY-MM-DD, today or yesterday; >D, >=D, <D, <=D or D..D)")


def test_searches_counts_a_saved_is_new_search(root, settings, capsys):
    settings.config_path.write_text('[[searches]]\nname = "Fresh"\nquery = "is:new story"\n'
                                    '\n[[searches]]\nname = "Today"\nquery = "added:today"\n',
                                    encoding="utf-8")
    first = opened(root, settings)
    arrive(first, root, path_of(5))
    first.close()
    code, out, err = run(capsys, settings, "searches", str(root), "--json")
    fresh, today = json.loads(out)
    assert (fresh["total"], fresh["unread"]) == (1, 1)
    assert "midnight" in today["problem"]
