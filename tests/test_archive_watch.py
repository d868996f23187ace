"""The archive watcher: real changes come as a few batches of relevant paths; where
watching is impossible, periodic rescans with one notice; it stops when told.  No sleeps:
each test waits on the batches with a timeout."""

from __future__ import annotations

import os
import queue
import threading
import time

import pytest
from conftest import article_text

import reader.archive.watch as watch
from reader.archive import Archive
from reader.archive.watch import ArchiveWatcher, WatchBatch, coalesced

WAIT = 10  # seconds a test waits for a real event, at most
PROBE = "news/probe.md"  # written until the watcher sees it: then it is watching


class Batches:
    """The watcher's batches, read in a thread and handed over through a queue."""

    def __init__(self, watcher: ArchiveWatcher, full_scan_first: bool = False):
        self.stop_event = threading.Event()
        self.queue: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._run, args=(watcher, full_scan_first),
                                       daemon=True)
        self.thread.start()

    def _run(self, watcher, full_scan_first):
        try:
            for batch in watcher.batches(self.stop_event, full_scan_first):
                self.queue.put(batch)
        finally:
            self.queue.put("ended")

    def next(self) -> WatchBatch:
        """The next batch, without the setup's probe (see _ready)."""
        while True:
            batch = self.queue.get(timeout=WAIT)
            assert batch != "ended", "the batches ended"
            if batch.paths is None or batch.paths - {PROBE}:
                return batch if batch.paths is None else WatchBatch(batch.paths - {PROBE})

    def next_within(self, seconds: float) -> WatchBatch | None:
        """The next batch if one comes within `seconds`, else None."""
        try:
            batch = self.queue.get(timeout=seconds)
        except queue.Empty:
            return None
        assert batch != "ended", "the batches ended"
        return batch if batch.paths is None else WatchBatch(batch.paths - {PROBE})

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=3)
        assert not self.thread.is_alive(), "the watcher did not stop"


@pytest.fixture
def archive(archive_factory, settings):
    root = archive_factory({"news/w/a.md": article_text("Alpha")})
    return Archive.open(root, settings)


@pytest.fixture
def watching(archive):
    running = []

    def start(full_scan_first: bool = False, **options) -> Batches:
        running.append(Batches(ArchiveWatcher(archive, **options), full_scan_first))
        return running[-1]

    yield start
    for batches in running:
        batches.stop()


def _ready(archive, batches):
    """The watch is set up once a first change is seen (watchfiles starts in the thread)."""
    probe = archive.root / PROBE
    for _attempt in range(WAIT * 5):
        probe.write_text(article_text("probe"))
        try:
            if PROBE in (batches.queue.get(timeout=0.2).paths or ()):
                return
        except queue.Empty:
            continue
    raise AssertionError("the watcher saw no change")


def test_a_new_file_comes_as_a_batch_of_its_path(archive, watching):
    batches = watching()
    _ready(archive, batches)
    (archive.root / "news/w/new.md").write_text(article_text("New"))
    assert batches.next() == WatchBatch(frozenset({"news/w/new.md"}))


def test_a_burst_of_files_comes_as_a_few_batches(archive, watching):
    batches = watching()
    _ready(archive, batches)
    (archive.root / "news/burst").mkdir()
    names = {f"news/burst/{i}.md" for i in range(500)}
    started = time.monotonic()
    for rel in names:
        (archive.root / rel).write_text(article_text(rel))
    seen, count = set(), 0
    # every file reported, or the new folder (scan_paths walks a folder reported: files
    # written in it before its inotify watch was set up, as a loaded machine makes
    # likely, have no events of their own)
    while not (names <= seen or "news/burst" in seen):
        seen |= batches.next().paths
        count += 1
    while (batch := batches.next_within(4 * watch.MIN_INTERVAL)) is not None:
        seen |= batch.paths or set()  # the rest of the burst, as it comes
        count += 1
    # batches come at least MIN_INTERVAL apart, however long a loaded machine takes to
    # write the files and to hand them on; and never one a file
    elapsed = time.monotonic() - started
    assert count <= 2 + elapsed / watch.MIN_INTERVAL and count <= len(names) // 10
    assert seen <= names | {"news/burst"}


def test_a_full_scan_comes_first_if_asked_once_the_folder_is_watched(archive, watching):
    batches = watching(full_scan_first=True)
    assert batches.next() == WatchBatch(None)
    (archive.root / "news/w/after.md").write_text(article_text("After"))  # not missed
    assert batches.next() == WatchBatch(frozenset({"news/w/after.md"}))


def test_only_articles_and_their_folders_are_reported(archive, watching):
    batches = watching()
    _ready(archive, batches)
    ignored = [".git/objects/x", "news/.hidden/h.md", "news/w/a.md~", "news/w/.a.md.swp",
               "news/w/image.png", "news/w/#a.md#"]
    for rel in ignored:
        (archive.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (archive.root / rel).write_text("x")
    (archive.root / "news/w/real.md").write_text(article_text("Real"))
    seen = set()
    while "news/w/real.md" not in seen:
        seen |= batches.next().paths
    assert seen == {"news/w/real.md"}


def test_the_data_dir_inside_the_archive_is_not_watched(archive_factory, settings):
    root = archive_factory({"a.md": article_text("A")})
    archive = Archive(root, root / "data", settings)
    assert ArchiveWatcher(archive).relevant([(1, str(root / "data/cache.md")),
                                             (1, str(root / "b.md"))]) == {"b.md"}


def test_the_archive_folder_renamed_away_and_back_is_missing_then_watched_again(
        archive, watching, monkeypatch):
    monkeypatch.setattr(watch, "MISSING_POLL_SECONDS", 0.01)
    batches = watching(poll_seconds=60)
    _ready(archive, batches)
    os.rename(archive.root, archive.root.with_name("moved"))
    missing = batches.next()  # not a full scan: that would forget every article
    assert (missing.paths, missing.missing, missing.polled) == (None, True, False)
    assert "is missing: waiting for it (nothing is forgotten)" in missing.notice
    archive.root.with_name("moved").rename(archive.root)
    assert batches.next() == WatchBatch(None)  # back, watched: a reconciling scan
    (archive.root / "news/w/back.md").write_text(article_text("Back"))
    assert batches.next() == WatchBatch(frozenset({"news/w/back.md"}))  # watched, not polled


def test_while_polling_a_missing_folder_is_waited_for_not_rescanned(archive, watching,
                                                                    monkeypatch):
    monkeypatch.setattr(watch, "MISSING_POLL_SECONDS", 0.01)
    monkeypatch.setattr(watch, "_network_fs", lambda _path: "nfs")
    batches = watching(poll_seconds=0.01)
    assert batches.next().polled
    archive.root.rename(archive.root.with_name("away"))
    while not (batch := batches.next()).missing:  # the polls under way
        assert batch == WatchBatch(None, polled=True)
    archive.root.with_name("away").rename(archive.root)
    assert "not possible here (a network file system" in batches.next().notice  # said again


def test_another_folder_put_in_the_archive_folder_s_place_asks_for_a_full_scan(
        archive, watching):
    batches = watching(poll_seconds=60)
    _ready(archive, batches)
    (archive.root.parent / "other").mkdir()
    os.rename(archive.root, archive.root.with_name("moved"))
    os.rename(archive.root.with_name("other"), archive.root)
    first = batches.next()
    if first.missing:  # the watcher looked between the two renames
        first = batches.next()
    assert first == WatchBatch(None)


def test_a_burst_beyond_the_kernel_queue_asks_for_a_full_scan(archive, watching,
                                                             monkeypatch):
    monkeypatch.setattr(watch, "_queue_length", lambda: 10)
    batches = watching()
    _ready(archive, batches)
    for i in range(20):
        (archive.root / f"news/w/{i}.md").write_text("x")
    assert batches.next() == WatchBatch(None)


def _failing_watch(exc: BaseException, after: list[set] = ()):
    def fake_watch(*_args, **_kwargs):
        yield from after
        raise exc
    return fake_watch


@pytest.mark.parametrize("exc, reason", [
    (OSError("OS file watch limit reached. (MaxFilesWatch)"), "inotify watch limit reached"),
    (PermissionError(13, "Permission denied"), "permission denied"),
    (RuntimeError("error in underlying watcher: boom"),
     "the watcher failed: error in underlying watcher: boom"),
])
def test_where_watching_fails_rescans_come_every_poll_with_one_notice(
        archive, watching, monkeypatch, exc, reason):
    import watchfiles

    monkeypatch.setattr(watchfiles, "watch", _failing_watch(exc))
    batches = watching(poll_seconds=0.01)
    first, second = batches.next(), batches.next()
    assert first == WatchBatch(None, f"Watching the folder is not possible here ({reason}"
                                     "): rescanning every 0.01 s", polled=True)
    assert second == WatchBatch(None, polled=True)


def test_a_watcher_that_fails_after_working_falls_back_too(archive, watching, monkeypatch):
    import watchfiles

    changed = {(1, str(archive.root / "news/w/b.md"))}
    monkeypatch.setattr(watchfiles, "watch", _failing_watch(RuntimeError("gone"), [changed]))
    batches = watching(poll_seconds=30)
    assert batches.next() == WatchBatch(frozenset({"news/w/b.md"}))
    assert "rescanning every 30 s" in batches.next().notice


def test_the_default_poll_is_the_configured_one(archive):
    assert ArchiveWatcher(archive).poll_seconds == archive.settings.watch_poll_seconds == 30


def test_a_network_file_system_is_rescanned_not_watched(archive, watching, monkeypatch):
    monkeypatch.setattr(watch, "_network_fs", lambda _path: "nfs4")
    batches = watching(poll_seconds=0.01)
    assert "a network file system, nfs4," in batches.next().notice


def test_force_polling_sees_changes_where_events_never_come(archive, watching, monkeypatch):
    monkeypatch.setattr(watch, "POLL_DELAY_MS", 50)
    monkeypatch.setattr(watch, "_network_fs", lambda _path: "nfs4")  # polling is chosen
    batches = watching(force_polling=True)
    _ready(archive, batches)


def test_stopping_ends_the_batches_promptly_while_watching_and_while_polling(
        archive, monkeypatch):
    Batches(ArchiveWatcher(archive)).stop()
    monkeypatch.setattr(watch, "_network_fs", lambda _path: "nfs")
    polling = Batches(ArchiveWatcher(archive, poll_seconds=3600))
    assert polling.next().notice
    polling.stop()


def _timed(items):
    """A raw source whose items come at the given times: (seconds, paths) pairs; `set()` is
    watchfiles' idle wake-up.  Returns (source, clock)."""
    now = [0.0]

    def raw():
        for at, paths in items:
            now[0] = at
            yield paths
    return raw(), lambda: now[0]


def test_batches_come_at_most_every_half_second_and_at_once_after_a_quiet_spell():
    changes = [(0.1 * (i + 1), {f"{i}.md"}) for i in range(10)]  # a change every 0.1 s
    raw, clock = _timed(changes + [(1.6, set()), (5.0, {"late.md"})])
    out = list(coalesced(raw, urgent=lambda: False, clock=clock))
    assert out[0] == {"0.md"} and out[-1] == {"late.md"} and len(out) <= 5
    assert set().union(*out) == {f"{i}.md" for i in range(10)} | {"late.md"}


def test_a_full_scan_swallows_the_paths_waiting_with_it():
    raw, clock = _timed([(0, {"a.md"}), (0.1, {"b.md"}), (0.2, None), (0.3, {"c.md"}),
                         (0.6, set()), (0.7, {"d.md"}), (1.2, set())])
    assert list(coalesced(raw, urgent=lambda: False, clock=clock)) == [{"a.md"}, None, {"d.md"}]


def test_the_archive_folder_renamed_ends_the_batches_with_a_full_scan():
    raw, clock = _timed([(0, {"a.md"}), (0.1, set()), (0.2, {"b.md"})])
    moved = iter([False, True])
    assert list(coalesced(raw, urgent=lambda: next(moved), clock=clock)) == [{"a.md"}, None]
