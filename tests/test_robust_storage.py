"""Broken storage: a clear message, a repair where one is safe, and nothing lost.

Covered elsewhere (not repeated here):
  stale index lock cleared       test_index_update.py::test_stale_write_lock_of_a_dead_process_is_cleared
  unreadable index table         test_index_update.py::test_unreadable_index_is_rebuilt_with_a_message
  corrupt metadata cache         test_archive_scan.py::test_a_corrupt_metadata_cache_is_rebuilt_with_a_notice
  corrupt state database         test_state_damage.py (kept aside, never emptied in place) and
                                 ui/test_keys_and_links.py::test_corrupt_state_file_is_reported_not_fatal
  read-only data dir, cache      test_robust_files.py::test_a_read_only_data_dir_still_browses_with_a_notice

Tests run as root, so file modes deny nothing: a read-only data dir is a path under a
regular file, and a full disk is an ENOSPC raised where the writes happen.
"""

from __future__ import annotations

import errno

import pytest
from conftest import article_text

from reader.archive import Archive
from reader.config import Settings
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index.searcher import UNREADABLE
from reader.index.store import whoosh_dir
from reader.index.updater import plan_update
from reader.index.writer import write_index
from reader.state import STATE_FILE_NAME, StateError, StateStore

EN = "content/en/news/w/{}.en.md"


def make(archive_factory, settings, count=4, start=0):
    files = {EN.format(i): article_text(f"Story {i}", body=f"common words story{i}\n")
             for i in range(start, start + count)}
    return Archive.open(archive_factory(files), settings)


def add_articles(archive, start, count):
    for i in range(start, start + count):
        (archive.root / EN.format(i)).write_text(
            article_text(f"Story {i}", body=f"common words story{i}\n"), encoding="utf-8")


def search(archive, query="common"):
    index = SearchIndex.open(index_dir_of(archive), root=archive.root)
    try:
        return index.search(query, limit=0)
    finally:
        index.close()


def segment(archive):
    [seg] = whoosh_dir(index_dir_of(archive)).glob("*.seg")
    return seg


def blocked_settings(tmp_path) -> Settings:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data dir should be")
    return Settings(data_root=blocker / "data", config_path=tmp_path / "c.toml")


# -- the search index -----------------------------------------------------------------

@pytest.mark.parametrize("damage", ["truncated", "emptied", "missing"])
def test_a_damaged_segment_file_is_reported_then_rebuilt_and_searches_work(
        archive_factory, settings, damage):
    archive = make(archive_factory, settings)
    update_index(archive)
    seg = segment(archive)
    data = seg.read_bytes()
    if damage == "missing":
        seg.unlink()
    else:
        seg.write_bytes(data[:len(data) // 2] if damage == "truncated" else b"")
    damaged = search(archive)
    assert damaged.error == UNREADABLE and not damaged.hits  # said, not silently empty
    summary = update_index(archive)
    assert "rebuilt" in summary.notice and summary.added == 4 and not summary.error
    assert len(search(archive).hits) == 4


def test_the_reader_falls_back_to_titles_while_the_index_is_damaged(archive_factory, settings):
    from reader.session.search import Searcher

    archive = make(archive_factory, settings)
    update_index(archive)
    segment(archive).unlink()
    searcher = Searcher(archive)
    try:
        searcher.set_articles(archive.scan().articles)
        outcome = searcher.search("Story 2")
        assert list(outcome.paths) == [EN.format(2)] and "titles only" in outcome.message
    finally:
        searcher.close()


def test_a_segment_that_fails_while_searching_marks_the_index_for_a_rebuild(
        archive_factory, settings, monkeypatch):
    archive = make(archive_factory, settings)
    update_index(archive)
    index = SearchIndex.open(index_dir_of(archive), root=archive.root)
    assert len(index.search("common", limit=0).hits) == 4

    def broken(*args, **kwargs):
        raise EOFError("ran out of input")

    monkeypatch.setattr(SearchIndex, "_run", broken)
    assert index.search("story1").error == UNREADABLE
    monkeypatch.undo()
    index.close()
    assert "rebuilt" in update_index(archive).notice
    assert len(search(archive).hits) == 4


# -- a read-only data dir -------------------------------------------------------------

def test_a_read_only_data_dir_makes_indexing_fail_with_a_clear_message(archive_factory,
                                                                       tmp_path):
    archive = make(archive_factory, blocked_settings(tmp_path))
    summary = update_index(archive)
    assert summary.error.startswith("cannot write the search index in ")
    assert "Not a directory" in summary.error and "\n" not in summary.error
    results = search(archive)
    assert not results.error and not results.hits  # no index: nothing, and no crash


def test_a_read_only_data_dir_makes_the_state_store_a_clear_error(archive_factory, tmp_path):
    archive = make(archive_factory, blocked_settings(tmp_path))
    with pytest.raises(StateError, match="cannot create the folder for the state file"):
        StateStore.open(archive.data_dir / STATE_FILE_NAME, recover=True)


def test_a_read_only_data_dir_still_lets_the_reader_browse_with_a_notice(archive_factory,
                                                                        tmp_path):
    from reader.session.services import Services

    settings = blocked_settings(tmp_path)
    archive = make(archive_factory, settings)
    services = Services(archive, settings, open_link=lambda url: True)
    try:
        notices = services.open_state()
        assert any("marks are not saved this session" in n for n in notices)
        services.set_articles(archive.scan().articles)
        article = services.articles[0]
        assert services.set_read([article]) == [article] and services.is_read(article.path)
    finally:
        services.close()


# -- a full disk ----------------------------------------------------------------------

def run_writer_with_a_full_disk(archive, monkeypatch, after_commits: int) -> list:
    """Run the index writer in a child process (as the updater does) in which every file
    write fails with ENOSPC once `after_commits` batches are committed; returns its
    messages.  The child is forked so that it inherits the failing writes."""
    import multiprocessing

    from whoosh.filedb.structfile import StructFile

    import reader.index.updater as updater
    from reader.index import writer

    commits = [0]
    real_commit, real_write = writer._Batch.commit, StructFile.write

    def counting_commit(self):
        real_commit(self)
        commits[0] += 1

    def write(self, *args):
        if commits[0] >= after_commits:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, *args)

    monkeypatch.setattr(updater, "BATCH", 2)
    job, _ = plan_update(archive, archive.scan().articles)
    monkeypatch.setattr(writer._Batch, "commit", counting_commit)
    monkeypatch.setattr(StructFile, "write", write)
    ctx = multiprocessing.get_context("fork")
    messages = ctx.Queue()
    child = ctx.Process(target=write_index, args=(job, messages, ctx.Event()))
    child.start()
    monkeypatch.undo()
    out = [messages.get(timeout=60)]
    while out[-1][0] not in ("done", "error"):
        out.append(messages.get(timeout=60))
    child.join()
    return out


def test_a_full_disk_while_indexing_keeps_the_last_commit_and_a_later_update_completes(
        archive_factory, settings, monkeypatch):
    archive = make(archive_factory, settings)
    update_index(archive)
    add_articles(archive, 10, 6)
    messages = run_writer_with_a_full_disk(archive, monkeypatch, after_commits=1)
    kind, text = messages[-1]
    assert kind == "error" and text.startswith("the disk is full")
    results = search(archive)
    assert not results.error
    assert 4 <= len(results.hits) < 10  # the first four and the committed batch, no more
    summary = update_index(archive)  # the lock was released, the half segment dropped
    assert not summary.error and not summary.notice
    assert len(search(archive).hits) == 10


def test_a_full_disk_before_the_first_commit_leaves_the_index_as_it_was(archive_factory,
                                                                        settings, monkeypatch):
    archive = make(archive_factory, settings)
    update_index(archive)
    add_articles(archive, 10, 3)
    messages = run_writer_with_a_full_disk(archive, monkeypatch, after_commits=0)
    assert messages[-1] == ("error", "the disk is full: the search index is kept as of its "
                                     "last commit")
    assert sorted(search(archive).paths) == [EN.format(i) for i in range(4)]
    assert update_index(archive).added == 3


def fill_the_disk(store: StateStore) -> None:
    """Let the store's connections grow the file no further (SQLite then fails with
    SQLITE_FULL, 'database or disk is full', exactly as on a full disk)."""
    for con in store._pool._all:
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_during_a_state_write_is_a_clear_error_and_loses_no_earlier_mark(tmp_path):
    path = tmp_path / STATE_FILE_NAME
    store = StateStore.open(path)
    store.mark_read(["kept/1.md", "kept/2.md"])
    store.toggle_star("kept/3.md")
    fill_the_disk(store)
    many = [f"new/{i:05d}/{'x' * 200}.md" for i in range(3000)]
    with pytest.raises(StateError, match="database or disk is full"):
        store.mark_read(many)
    assert store.read_set() == {"kept/1.md", "kept/2.md"}  # nothing half-written either
    store.close()
    with StateStore.open(path) as reopened:
        assert reopened.notice is None
        assert reopened.read_set() == {"kept/1.md", "kept/2.md"}
        assert reopened.starred_set() == {"kept/3.md"}
        assert reopened.mark_read(["new/after.md"]) == 1  # space again: writes work


def test_a_full_disk_during_a_state_write_is_reported_by_the_reader(archive_factory, settings):
    from reader.session.services import Services

    files = {EN.format(i): article_text(f"Story {i} " + "long title " * 30) for i in range(300)}
    archive = Archive.open(archive_factory(files), settings)
    services = Services(archive, settings, open_link=lambda url: True)
    errors: list[str] = []
    services.on_error = errors.append
    try:
        services.open_state()
        services.set_articles(archive.scan().articles)
        first, *rest = services.articles
        services.set_read([first])
        services.flush()
        fill_the_disk(services.store)
        services.set_read(rest)  # 299 rows with their titles: more than the free pages
        services.flush()
        assert errors and "Could not save read/starred marks" in errors[0]
        assert "database or disk is full" in errors[0]
        assert services.store.read_set() == {first.path}
    finally:
        services.close()
