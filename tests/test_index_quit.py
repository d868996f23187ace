"""A quit while the index is written (D7): the update returns at once, the writer drops
what it had not committed and ends, and the next update goes on from the last commit.

The reader's quit waited 8-12 s on a blank screen for the writer child to commit its
batch (up to 2,000 articles): asyncio's shutdown waits for the index worker's thread,
which waited for the child."""

from __future__ import annotations

import multiprocessing
import queue
import threading

import pytest
from conftest import article_text

from reader.archive import Archive
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index import writer as writer_module
from reader.index.updater import plan_update

LIMIT = 60.0  # seconds at most for the cancelled update to return (it takes under one)


def make(archive_factory, settings, count):
    files = {f"content/en/news/a/{i:03d}.en.md": article_text(
        f"Title {i}", body=f"Body number {i} about the quitwords.\n") for i in range(count)}
    return Archive.open(archive_factory(files), settings)


def stuck_writer(job, messages, cancel, abandon=None):
    """A writer that never ends by itself (as one in a commit of seconds): it reports
    progress, then waits for ever."""
    messages.put(("progress", 1, len(job.adds)))
    threading.Event().wait()


@pytest.fixture
def no_children_left():
    yield
    for child in multiprocessing.active_children():  # the old code left a stuck writer
        if child.name.startswith("newsreader-indexer"):
            child.kill()
            child.join()


def test_a_cancelled_update_returns_at_once_even_if_the_writer_is_stuck(
        archive_factory, settings, monkeypatch, no_children_left):
    archive = make(archive_factory, settings, 5)
    archive.scan()
    monkeypatch.setattr(writer_module, "write_index", stuck_writer)
    cancel, out = threading.Event(), {}

    def progress(phase, done, total):
        cancel.set()  # the reader quits as the first progress comes

    worker = threading.Thread(target=lambda: out.update(
        summary=update_index(archive, progress, cancel, articles=archive.cached())))
    worker.start()
    worker.join(LIMIT)
    assert not worker.is_alive(), "the cancelled update waited for its writer"
    assert out["summary"].cancelled
    assert not [c for c in multiprocessing.active_children()
                if c.name.startswith("newsreader-indexer")], "the writer was left running"


class QuitAt(queue.Queue):
    """The writer's message queue, which cancels (and abandons) at the progress report
    `at` (the first, by default)."""

    def __init__(self, cancel, abandon, at: int | None = None):
        super().__init__()
        self.cancel, self.abandon, self.at = cancel, abandon, at

    def put(self, item, *args, **kwargs):
        if item[0] == "progress" and item[1] >= (self.at or 0):
            self.abandon.set()
            self.cancel.set()
        super().put(item, *args, **kwargs)


def quit_midway(job, at_progress: int | None = None) -> list:
    """Run the writer of `job` in this process, the reader quitting (cancel and abandon)
    as it reports progress `at_progress` (the first, by default); its messages."""
    cancel, abandon = threading.Event(), threading.Event()
    messages = QuitAt(cancel, abandon, at_progress)
    writer_module.write_index(job, messages, cancel, abandon)
    done = [m for m in messages.queue if m[0] == "done"]
    assert done and done[0][1]["cancelled"]
    return list(messages.queue)


def test_a_quit_commits_what_is_quick_to_commit_and_the_next_update_goes_on(
        archive_factory, settings):
    """A quit dropped the whole uncommitted batch, however little it would have cost to
    commit: a reader opened for a few seconds at a time kept none of its work."""
    archive = make(archive_factory, settings, 120)  # progress at 50: cancelled there
    update_index(archive, articles=archive.scan().articles[:10])  # a first commit
    job, _ = plan_update(archive)
    assert len(job.adds) == 110  # (the index is complete: its commits do not grow)
    quit_midway(job)
    index_dir = index_dir_of(archive)
    assert SearchIndex.open(index_dir).status().indexed == 60  # the 50 were kept
    assert len(archive.cache.to_index()) == 60  # and recorded
    summary = update_index(archive)  # the next update goes on from there
    assert (summary.added, summary.updated, summary.error) == (60, 0, "")
    index = SearchIndex.open(index_dir)
    assert index.status().indexed == 120
    assert len(index.search("quitwords", limit=0).paths) == 120


def test_a_batch_too_slow_to_commit_in_the_quit_grace_is_dropped(
        archive_factory, settings, monkeypatch):
    archive = make(archive_factory, settings, 120)
    update_index(archive, articles=archive.scan().articles[:10])
    monkeypatch.setattr(writer_module, "UNTIMED", 1.0, raising=False)  # 50 s for 50
    job, _ = plan_update(archive)
    quit_midway(job)
    index_dir = index_dir_of(archive)
    assert SearchIndex.open(index_dir).status().indexed == 10  # the 50 were dropped
    assert len(archive.cache.to_index()) == 110  # and the ledger never recorded them
    summary = update_index(archive)
    assert (summary.added, summary.updated, summary.error) == (110, 0, "")
    assert SearchIndex.open(index_dir).status().indexed == 120


def test_a_first_index_commits_early_and_more_at_each_commit(
        archive_factory, settings, monkeypatch):
    """The first commit came after 2,000 articles: a quit before it kept nothing.  Now
    after 100, then 200 more, 400 more ... (up to the batch); with a pending batch too
    slow to commit on the quit, what the early commits hold is kept."""
    archive = make(archive_factory, settings, 450)
    archive.scan()
    monkeypatch.setattr(writer_module, "QUIT_COMMIT", 0.0, raising=False)  # none kept
    job, _ = plan_update(archive)
    assert job.batch == 2000
    messages = quit_midway(job, at_progress=350)
    assert [m[1] for m in messages if m[0] == "commit"] == [100, 300]
    index_dir = index_dir_of(archive)
    assert SearchIndex.open(index_dir).status().indexed == 300  # the 50 after 300 dropped
    assert len(archive.cache.to_index()) == 150
    summary = update_index(archive)
    assert (summary.added, summary.updated, summary.error) == (150, 0, "")
    index = SearchIndex.open(index_dir)
    assert index.status().indexed == 450 and index.status().complete
    assert len(index.search("quitwords", limit=0).paths) == 450


def test_a_reader_quit_during_its_first_index_keeps_that_sessions_work(
        archive_factory, settings):
    """Through the spawned writer and the quit's grace, as the reader runs it: quit once
    350 articles were handled, the next session indexes only the rest."""
    archive = make(archive_factory, settings, 450)
    archive.scan()
    cancel = threading.Event()

    def progress(phase, done, total):
        if done >= 350:
            cancel.set()

    first = update_index(archive, progress, cancel, articles=archive.cached())
    assert first.cancelled
    index_dir = index_dir_of(archive)
    kept = SearchIndex.open(index_dir).status().indexed
    assert kept >= 300  # the early commits; the rest too unless the grace ran out first
    summary = update_index(archive)
    assert (summary.added, summary.updated, summary.error) == (450 - kept, 0, "")
    index = SearchIndex.open(index_dir)
    assert index.status().indexed == 450 and index.status().complete


def test_the_writers_run_at_a_lower_priority_than_the_reader():
    """D6: the index writers yield the CPU to the reader listing a watched burst."""
    import subprocess
    import sys
    from pathlib import Path

    script = ("import os; from reader.index.writer import lower_priority, NICENESS; "
              "before = os.nice(0); lower_priority(); print(before, os.nice(0), NICENESS)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True).stdout.split()
    before, after, niceness = map(int, out)
    assert niceness > 0 and after == min(19, before + niceness)
    idle = script.replace("lower_priority()", "lower_priority(idle=True)")  # an idle merge:
    out = subprocess.run([sys.executable, "-c", idle], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True).stdout.split()
    assert int(out[1]) == 19  # the lowest priority
    source = Path(__file__).resolve().parents[1] / "reader/index"
    for module in ("writer.py", "part_writer.py"):  # each child's entry lowers it first
        assert "    lower_priority(" in (source / module).read_text(encoding="utf-8")


def test_a_first_index_abandoned_before_its_first_commit_goes_on_next_time(
        archive_factory, settings, monkeypatch):
    """A quit before the first commit left an index of no segment: Whoosh reads it
    through an EmptyReader, which the segment patches read `_terms` of, so every later
    update and search failed ("'EmptyReader' object has no attribute '_terms'")."""
    archive = make(archive_factory, settings, 120)
    archive.scan()
    monkeypatch.setattr(writer_module, "QUIT_COMMIT", 0.0, raising=False)  # the 50 are dropped
    job, _ = plan_update(archive)
    quit_midway(job)
    index_dir = index_dir_of(archive)
    assert SearchIndex.open(index_dir).status().indexed == 0  # nothing committed
    assert SearchIndex.open(index_dir).search("quitwords", limit=0).paths == []
    summary = update_index(archive)
    assert (summary.added, summary.error) == (120, "")
    assert len(SearchIndex.open(index_dir).search("quitwords", limit=0).paths) == 120
