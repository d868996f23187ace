"""`newsreader search` when things are odd: dates at the ends of the calendar, another
newsreader updating the index, a damaged index.  One line on stderr, never a traceback."""

from __future__ import annotations

import json

from conftest import article_text
from whoosh.filedb.filestore import FileStorage

from reader.archive import Archive
from reader.cli.main import main
from reader.config import Settings
from reader.index import index_dir_of
from reader.index.store import INDEX_NAME, whoosh_dir

EN = "content/en/news/wire/{}.en.md"
FILES = {
    EN.format("now"): article_text("Rates held", "2025-02-14 09:00:00", "The bank held rates.\n"),
    EN.format("late"): article_text("Far ahead", "9998-12-31 12:00:00", "The bank held rates.\n"),
    EN.format("early"): article_text("Long ago", "0002-01-01 12:00:00", "The bank held rates.\n"),
}
EVERY = ["Far ahead", "Long ago", "Rates held"]
UNREADABLE = "newsreader: the search index cannot be read: it is rebuilt at the next update\n"


def search(capsys, archive_root, data_dir, *argv):
    code = main(["--data-dir", str(data_dir), "search", "--archive", str(archive_root),
                 "--json", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def titles(out: str) -> list[str]:
    return sorted(hit["title"] for hit in json.loads(out))


def test_dates_at_the_ends_of_the_calendar_are_searched(capsys, tmp_path, archive_factory):
    root = archive_factory(FILES)
    for query, found in [("date:9999", []), ("date:9999-12", []), ("date:9999-12-31", []),
                         ("after:9999-12-31", []), ("before:9999-12-31", EVERY),
                         ("date:9998", ["Far ahead"]), ("date:0001", []),
                         ("after:0001-01-01", EVERY), ("before:0002-01-02", ["Long ago"])]:
        code, out, err = search(capsys, root, tmp_path / "d", query)
        assert (code, err, titles(out)) == (0, "", found), query


def test_a_year_no_date_can_have_is_a_one_line_error(capsys, tmp_path, archive_factory):
    root = archive_factory(FILES)
    code, _, err = search(capsys, root, tmp_path / "d", "date:0000")
    assert code == 2 and err == "newsreader: bad query: date:0000: not a date " \
                                "(use YYYY, YYYY-MM or YYYY-MM-DD)\n"


def test_another_writer_at_work_searches_what_is_indexed(capsys, tmp_path, archive_factory):
    root = archive_factory(FILES)
    data_dir = tmp_path / "d"
    assert search(capsys, root, data_dir, "rates")[0] == 0
    (root / EN.format("new")).write_text(article_text("New rates", body="Rates.\n"),
                                         encoding="utf-8")
    lock = _writer_lock(root, data_dir)
    assert lock.acquire(False)  # as the reader's indexer holds it while it writes
    try:
        code, out, err = search(capsys, root, data_dir, "rates")
    finally:
        lock.release()
    assert code == 0
    assert err == ("newsreader: the index is being updated by another newsreader; "
                   "searching what is indexed so far\n")
    assert titles(out) == EVERY


def test_indexing_while_another_writer_is_at_work_still_fails(capsys, tmp_path,
                                                              archive_factory):
    root = archive_factory(FILES)
    assert search(capsys, root, tmp_path / "d", "rates")[0] == 0
    (root / EN.format("new")).write_text(article_text("New"), encoding="utf-8")
    lock = _writer_lock(root, tmp_path / "d")
    assert lock.acquire(False)
    try:
        code = main(["--data-dir", str(tmp_path / "d"), "index", "-q", str(root)])
    finally:
        lock.release()
    assert code == 2 and "indexing failed: the index is being updated" in capsys.readouterr().err


def test_a_damaged_index_is_reported_as_such_not_as_a_bad_query(capsys, tmp_path,
                                                                archive_factory):
    root = archive_factory(FILES)
    assert search(capsys, root, tmp_path / "d", "rates")[0] == 0
    index_dir = index_dir_of(_archive(root, tmp_path / "d"))
    for toc in whoosh_dir(index_dir).glob("*.toc"):
        toc.write_bytes(b"garbage")
    code, out, err = search(capsys, root, tmp_path / "d", "rates", "--no-update")
    assert (code, out, err) == (2, "", UNREADABLE)
    code, _, err = search(capsys, root, tmp_path / "d", "is:maybe", "--no-update")
    assert code == 2 and err.startswith("newsreader: bad query: is:maybe")
    code, out, err = search(capsys, root, tmp_path / "d", "rates")  # the update rebuilds it
    assert code == 0 and len(titles(out)) == 3


def _archive(root, data_dir) -> Archive:
    return Archive.open(root, Settings(data_root=data_dir, config_path=data_dir / "c.toml"))


def _writer_lock(root, data_dir):
    """Whoosh's write lock on the archive's index, which a live writer holds."""
    wdir = whoosh_dir(index_dir_of(_archive(root, data_dir)))
    return FileStorage(str(wdir)).lock(f"{INDEX_NAME}_WRITELOCK")


def test_no_update_with_no_index_yet_says_so_instead_of_finding_nothing(capsys, tmp_path,
                                                                       archive_factory):
    root = archive_factory(FILES)
    code, out, err = search(capsys, root, tmp_path / "d", "rates", "--no-update")
    assert code == 2 and out == "" and "no search index yet" in err
    assert "newsreader index" in err
    assert search(capsys, root, tmp_path / "d", "rates")[0] == 0  # updating builds it


def test_a_search_of_an_index_not_complete_says_how_much_it_searched(
        capsys, tmp_path, archive_factory, monkeypatch):
    """The attack's D4: `search --no-update` after a first index was stopped gave 770 of
    6,688 hits, exit 0, and no word that the index held a part of the archive."""
    from reader.index.searcher import IndexStatus, SearchIndex

    root = archive_factory(FILES)
    assert search(capsys, root, tmp_path / "d", "rates")[0] == 0  # complete: no word
    monkeypatch.setattr(SearchIndex, "status", lambda index: IndexStatus(2, False, True))
    code, out, err = search(capsys, root, tmp_path / "d", "rates", "--no-update")
    assert code == 0 and titles(out)
    assert err == (f"newsreader: the index is not complete: searched the 2 articles indexed "
                   f"so far of {len(FILES)} (`newsreader index` completes it)\n")
