"""A quit honoured inside the long loops of a scan, a grouping and a warm-up (issue 11):
the walk, the dates read to order a first scan, the cache read of a first scan's
preview, a batch of stories' signatures, the searcher's warm-up.  Each is cancelled
after N items, and what is stored stays consistent."""

from __future__ import annotations

import os
import threading

import pytest

from conftest import article_text

from reader.archive import Archive
from reader.archive.walk import walk
from reader.session.stories import Stories
from reader.stories.store import SignatureStore
from tests.test_stories import ARTICLES

FOLDERS = 6


class CancelAfter(threading.Event):
    """An event that reads as set from its `n`-th look on (a quit after N items)."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n, self.looks = n, 0

    def is_set(self) -> bool:
        self.looks += 1
        return self.looks > self.n or super().is_set()


def _archive(archive_factory):
    return archive_factory({f"content/en/news/f{i}/a{j}.en.md": article_text(f"T{i}-{j}")
                            for i in range(FOLDERS) for j in range(3)})


def test_the_walk_stops_at_the_next_folder_once_cancelled(archive_factory):
    root = _archive(archive_factory)
    cancel, found = threading.Event(), []
    for f in walk(root, cancel=cancel):
        found.append(f)
        cancel.set()  # a quit as the first file is found
    assert 1 <= len(found) <= 3  # that file's folder, no other
    assert len(list(walk(root))) == 3 * FOLDERS


def test_a_scan_cancelled_in_its_walk_lists_no_more_folders_and_forgets_nothing(
        archive_factory, settings, monkeypatch):
    root = _archive(archive_factory)
    archive = Archive.open(root, settings)
    archive.scan()
    listed = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda p: listed.append(p) or real(p))
    result = archive.scan(cancel=CancelAfter(2))
    assert len(listed) <= 2  # not the 9 folders of the whole walk
    assert result.removed == [] and not result.delta
    assert len(archive.cached()) == 3 * FOLDERS  # a part walked is not the rest deleted


def test_the_dates_that_order_a_first_scan_stop_being_read_once_cancelled(
        archive_factory, settings, monkeypatch):
    from reader.archive import newest
    from reader.archive.newest import newest_first

    root = _archive(archive_factory)
    files = list(walk(root))
    peeked = []
    real = newest._Peeker.date_of
    monkeypatch.setattr(newest._Peeker, "date_of",
                        lambda self, rel, tz: peeked.append(rel) or real(self, rel, tz))
    ordered = newest_first(root, files, settings.tzinfo, cancel=CancelAfter(4))
    assert len(peeked) == 4 < len(files)  # no file read after the quit
    assert sorted(f.rel for f in ordered) == sorted(f.rel for f in files)


def test_a_preview_read_of_the_cache_stops_between_chunks_once_cancelled(
        archive_factory, settings, monkeypatch):
    from reader.archive import cache

    monkeypatch.setattr(cache, "_CHUNK", 2)
    archive = Archive.open(_archive(archive_factory), settings)
    archive.scan()
    assert len(archive.cached(CancelAfter(2))) == 4  # two chunks, then the quit
    assert len(archive.cached()) == 3 * FOLDERS


def test_a_grouping_stops_inside_a_batch_stores_none_of_it_and_makes_no_view(tmp_path):
    path, read = tmp_path / "s.sqlite3", []
    articles = [a for a, _ in ARTICLES.values()]  # one batch (500 a batch)
    stories = Stories.build(articles, lambda a: read.append(a.path) or ARTICLES[a.path][1],
                            SignatureStore(path), cancel=CancelAfter(3))
    assert 1 <= len(read) < len(articles)  # not the whole batch's signatures
    assert SignatureStore(path).stamps() == {}  # the batch under way: stored not at all
    assert stories.view == {}
    stories.close()
    again = Stories.build(articles, lambda a: ARTICLES[a.path][1], SignatureStore(path))
    assert again.story_of("b/hk.md").members == ("a/zh.md", "b/hk.md", "f/copy.md")


def test_the_warm_up_skips_its_steps_left_once_stopped(archive_factory, settings,
                                                      monkeypatch):
    from reader.session.search import Searcher

    ran = []
    monkeypatch.setattr(Searcher, "_warm_search", lambda self, role: ran.append(role))
    searcher = Searcher.__new__(Searcher)
    looks = iter([False, True])
    searcher.warm_up(lambda: next(looks, True))
    assert ran == ["quick"]


def test_a_warm_start_stops_comparing_stamps_once_cancelled(tmp_path, monkeypatch):
    from reader.session import stories as session_stories

    monkeypatch.setattr(session_stories, "_STAMPS", 2)
    articles = [a for a, _ in ARTICLES.values()]
    Stories.build(articles, lambda a: ARTICLES[a.path][1],
                  SignatureStore(tmp_path / "s.sqlite3")).close()
    stamped = []
    monkeypatch.setattr("reader.stories.compute.stamp",
                        lambda a: stamped.append(a.path) or (a.size, a.mtime))
    Stories.build(articles, _never_read, SignatureStore(tmp_path / "s.sqlite3"),
                  cancel=CancelAfter(1)).close()
    assert len(stamped) == 2 < len(articles)  # the first chunk's, then the quit


def _never_read(article):
    raise AssertionError(f"{article.path} read")


class StuckPool:
    """A worker pool whose batches never come back (workers slow under load)."""

    shut: list[bool] = []

    def __init__(self, *args, **kwargs):
        self._processes = {}

    def submit(self, fn, *args):
        from concurrent.futures import Future

        return Future()

    def shutdown(self, wait=True, cancel_futures=False):
        StuckPool.shut.append(wait)


@pytest.mark.timeout(60)
def test_a_quit_while_workers_parse_ends_them_without_waiting_for_a_batch(
        archive_factory, settings, monkeypatch):
    from reader.archive import scan as scan_module

    monkeypatch.setattr(scan_module, "_BATCH", 2)
    monkeypatch.setattr(scan_module, "_FIRST_BATCH", 2)
    monkeypatch.setattr(scan_module, "_PARALLEL_MIN", 4)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(scan_module, "ProcessPoolExecutor", StuckPool)
    archive = Archive.open(_archive(archive_factory), settings)
    cancel, StuckPool.shut = threading.Event(), []
    archive.scan(lambda done, total: done and cancel.set(), cancel)  # a quit after one batch
    assert StuckPool.shut == [False]  # not waited for
    assert len(archive.cached()) == 2  # the first batch, parsed here, stays stored


def test_a_warm_start_s_catalog_read_stops_and_loads_nothing_once_cancelled(
        archive_factory, settings, monkeypatch):
    """A quit during 'Loading 100,000 articles…' waited for the whole read: the cache's
    close waited on its lock (atk5: 2.4-3.4 s at 100k)."""
    from reader.archive import cache
    from reader.session.services import Services

    monkeypatch.setattr(cache, "_CHUNK", 2)
    root = _archive(archive_factory)
    Archive.open(root, settings).scan()
    services = Services(Archive.open(root, settings), settings)
    built = []
    monkeypatch.setattr(services, "load", built.append)
    assert services.load_cached(CancelAfter(2)) is None and built == []
    services.load_cached(threading.Event())
    assert len(built[0]) == 3 * FOLDERS


def test_a_close_before_the_process_ends_saves_the_marks_without_the_cache_s_lock(
        archive_factory, settings):
    """A quit waited inside Services.close for a scan's batch stored (the cache's lock)
    and the search's warm-up (the index's): neither needs closing when the process ends
    next, the marks do."""
    from reader.session.services import Services

    root = _archive(archive_factory)
    Archive.open(root, settings).scan()
    services = Services(Archive.open(root, settings), settings)
    services.open_state()
    articles = services.archive.cached()
    services.set_read([articles[0]])
    held, release = threading.Event(), threading.Event()

    def storing() -> None:  # a scan's batch being stored, for as long as the test says
        with services.archive.cache._lock:
            held.set()
            release.wait(30)

    worker = threading.Thread(target=storing)
    worker.start()
    held.wait(30)
    lost = []
    closed = threading.Thread(target=lambda: lost.append(services.close(process_ends=True)))
    closed.start()
    try:
        closed.join(30)
        assert lost == [0] and not release.is_set()  # closed, the cache's lock still held
    finally:
        release.set()
        worker.join()
    from reader.state import StateStore

    with StateStore.open(services.store.path) as state:
        assert state.read_set() == {articles[0].path}
