"""The incremental scan: compare the folder with the cache, parse only what changed.

Parsing is the slow part (front matter and text: ~0.5 ms a file), so a scan with
many files to parse (a first scan, a folder of new articles) spreads its batches
over worker processes, one per core: a thread would share the GIL with the UI.
Workers only parse; this process writes each batch to the cache as it comes
back, so a reader can show what is found so far and an interrupted scan keeps
what it has stored.  Small scans stay in this process (starting workers costs
a few tenths of a second).

A scan with many files parses them newest first (reader/archive/newest.py), the
first batch small and in this process before the workers start: a reader's first
look at what is found so far (the first progress report after the walk) shows the
archive's newest articles, a second or two after the walk.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from reader.archive import folder_stamps
from reader.archive.model import Article, Delta, ParsedArticle, Problem, ScanResult
from reader.archive.newest import Dated, newest_first
from reader.archive.parent_watch import on_parent_exit
from reader.archive.parse import UnreadableFile, parse_file
from reader.archive.walk import FoundFile, walk

if TYPE_CHECKING:
    from reader.archive import Archive

_BATCH = 500
_FIRST_BATCH = 200  # the newest files, parsed here before the workers start
_PARALLEL_MIN = 4 * _BATCH  # files to parse before worker processes pay off
_MAX_WORKERS = 4
_POLL = 0.1  # seconds between two looks at a quit while the workers parse
_BODIES_MAX = 20_000  # a scan parsing more keeps no bodies in ScanResult.parsed
# A setting of the cache present from a first scan's start (nothing cached) to the end
# of a scan of the whole folder: a first scan cut short leaves the cache a part of the
# archive, which the next start's scan completes (first_scan_unfinished).
FIRST_SCAN = "first_scan_unfinished"

# A parsed batch: (found file, its Article - or ParsedArticle when bodies are kept - or
# the reason it can't be read) per file.
Parsed = list[tuple[FoundFile, "Article | ParsedArticle | str"]]


class ArchiveMissing(OSError):
    """The archive folder itself is not there (renamed, its drive unmounted): a scan then
    forgets nothing, it refuses (what the cache knows comes back with the folder)."""


def check_root(archive: "Archive") -> None:
    if not os.path.isdir(archive.root):
        raise ArchiveMissing(f"the archive folder {archive.root} is missing (renamed, or its "
                             "drive unmounted?): nothing is forgotten meanwhile")


def run_scan(archive: "Archive", progress: Callable[[int, int], None] | None,
             cancel: threading.Event | None, known_dates: Dated | None = None) -> ScanResult:
    check_root(archive)
    cache = archive.cache
    result = ScanResult()
    walk_problems: list[Problem] = []
    folders: dict[str, tuple[int, int]] = {}
    folder_stamps.forget(archive)  # until this scan has run to its end
    started_ns = time.time_ns()
    found = list(walk(archive.root, walk_problems, archive.settings.follow_symlinks,
                      folders=folders, cancel=cancel))
    if cancel is not None and cancel.is_set():  # a part of the folder: nothing is gone
        result.load_articles = cache.articles
        return result
    check_root(archive)  # gone during the walk: it found nothing, not every file deleted
    stamps = cache.stamps()
    first = not stamps or archive.first_scan_unfinished()  # or the rest of one cut short
    if not stamps:
        _set_first_scan(archive, "1")
    todo = [f for f in found if stamps.get(f.rel) != (f.size, f.mtime_ns)]
    present = {f.rel for f in found}
    result.removed = sorted(set(stamps) - present)
    if result.removed:
        cache.forget(result.removed)
    readable = {rel: known[3] for rel, known in
                cache.known_of(f.rel for f in todo if f.rel in stamps).items()}
    changes = Changes(readable, result.removed)
    if len(todo) >= _PARALLEL_MIN:  # a reader shows the newest first: parse them first
        todo = newest_first(archive.root, todo, archive.tz, known_dates, cancel)
    stored = len(found) - len(todo) if first else 0  # (a first scan counts the whole)
    parse_and_store(archive, todo, changes, result, progress, cancel, stored=stored,
                    bodies=len(todo) < _PARALLEL_MIN)  # in this process: no copying back
    result.delta = changes.delta()
    result.load_articles = cache.articles
    result.problems = walk_problems + cache.problems()
    if not (cancel is not None and cancel.is_set()):
        folder_stamps.record(archive, folders, started_ns)
        if first:
            _set_first_scan(archive, None)
    return result


def _set_first_scan(archive: "Archive", value: str | None) -> None:
    try:
        archive.cache.set_setting(FIRST_SCAN, value)
    except sqlite3.Error:  # a read-only cache: a first scan cut short is not known
        pass


class Changes:
    """The Delta a scan builds from the records it stores: `readable` says, for each path
    the cache knew before, whether it was an article (True) or unreadable (False)."""

    def __init__(self, readable: dict[str, bool], gone: list[str]):
        self.readable = readable
        self.added: list[Article] = []
        self.changed: list[Article] = []
        self.removed: list[str] = list(gone)
        self.problems: list[Problem] = []  # of the files parsed

    def note(self, rel: str, outcome: Article | str) -> None:
        was_article = self.readable.get(rel, False)
        if isinstance(outcome, str):  # unreadable now: out of the catalog, if it was in
            self.problems.append(Problem(rel, outcome))
            if was_article:
                self.removed.append(rel)
        else:
            if outcome.problem:
                self.problems.append(Problem(rel, outcome.problem))
            (self.changed if was_article else self.added).append(outcome)

    def delta(self) -> Delta:
        return Delta(tuple(self.added), tuple(self.changed), tuple(self.removed))


def parse_and_store(archive: "Archive", todo: list[FoundFile], changes: Changes,
                    result: ScanResult, progress: Callable[[int, int], None] | None = None,
                    cancel: threading.Event | None = None, bodies: bool = False,
                    stored: int = 0) -> None:
    """Parse `todo` (in batches, in workers when there are many) and store each batch in the
    cache as it comes; `bodies`: keep the parsed articles in `result.parsed`.  `progress`
    counts `stored` files (stored before, unchanged) as done and into the total."""
    total, done = len(todo), 0
    if progress:
        progress(stored, stored + total)
    first = min(_FIRST_BATCH, _BATCH, total)
    batches = [todo[:first]] if first else []
    batches += [todo[start:start + _BATCH] for start in range(first, total, _BATCH)]
    cancelled = cancel.is_set if cancel is not None else (lambda: False)
    bodies = bodies and total <= _BODIES_MAX
    for parsed in _parsed_batches(archive.root, archive.tz, batches, cancelled, bodies=bodies):
        _store(archive, parsed, changes, result)
        done += len(parsed)
        if progress:
            progress(stored + done, stored + total)


def _parsed_batches(root: Path, tz: tzinfo, batches: list[list[FoundFile]],
                    cancelled: Callable[[], bool], workers: int = _MAX_WORKERS,
                    bodies: bool = False) -> Iterator[Parsed]:
    """Each batch parsed, in worker processes when there are many files; stops early once
    `cancelled()` says so."""
    workers = min(workers, os.cpu_count() or 1, len(batches))
    if workers < 2 or sum(map(len, batches)) < _PARALLEL_MIN:
        for batch in batches:
            if cancelled():
                return
            yield _parse_batch(root, batch, tz, bodies)
        return
    yield from _in_workers(root, tz, batches, workers, cancelled, bodies)


def _in_workers(root: Path, tz: tzinfo, batches: list[list[FoundFile]], workers: int,
                cancelled: Callable[[], bool], bodies: bool) -> Iterator[Parsed]:
    """The first batch (the newest files, small) is parsed here before the workers start:
    their start-up (a second of both cores) does not delay a reader's first look."""
    if not batches or cancelled():
        return
    yield _parse_batch(root, batches[0], tz, bodies)
    # spawn: forking a process that runs threads (the UI) can deadlock the child
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=start_worker)
    pending: dict[Future, list[FoundFile]] = {}
    queue = iter(batches[1:])

    def submit() -> None:
        batch = next(queue, None)
        if batch is not None:
            pending[pool.submit(_parse_batch, root, batch, tz, bodies)] = batch

    try:
        for _ in range(2 * workers):  # two batches in flight per worker: none waits
            submit()
        while pending and not cancelled():
            finished, _ = wait(pending, _POLL, return_when=FIRST_COMPLETED)
            for future in [f for f in pending if f in finished]:  # newest first, as sent
                batch = pending.pop(future)
                try:
                    parsed = future.result()
                except BrokenProcessPool:  # a worker died (out of memory?): the rest here
                    leftover = [batch, *pending.values(), *queue]
                    pending.clear()
                    yield from _parsed_batches(root, tz, leftover, cancelled, 1, bodies)
                    return
                submit()
                yield parsed
    finally:
        if cancelled():
            _stop_workers(pool)
        else:
            pool.shutdown(wait=True, cancel_futures=True)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """A quit: the workers are ended, not waited for (each batch under way would take a
    second or more at a high load, and only parses: nothing of it is stored)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # CPython's
    pool.shutdown(wait=False, cancel_futures=True)  # (which forgets them)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(1)


def start_worker() -> None:
    """A worker never writes to the terminal the reader draws on, and ends with the process
    that started it (it would wait for batches forever after a kill -9 of the reader)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    on_parent_exit(lambda: os._exit(1))  # only parses: nothing to save


def _parse_batch(root: Path, batch: list[FoundFile], tz: tzinfo, bodies: bool = False) -> Parsed:
    """Parse each file of the batch (in a worker process or here); `bodies`: each with its
    body (a ParsedArticle), else its record alone."""
    out: Parsed = []
    for f in batch:
        try:
            parsed = parse_file(root, f.fs_rel, tz)
            out.append((f, parsed if bodies else parsed.article))
        except UnreadableFile as exc:
            out.append((f, str(exc)))
        except Exception as exc:  # noqa: BLE001 - one bad file never stops a scan
            out.append((f, f"unexpected error: {exc!r}"))
    return out


def _store(archive: "Archive", parsed: Parsed, changes: Changes, result: ScanResult) -> None:
    good, bad = [], []
    for f, outcome in parsed:
        (result.updated if f.rel in changes.readable else result.added).append(f.rel)
        result.parsed_count += 1
        if isinstance(outcome, ParsedArticle):
            result.parsed[f.rel] = outcome
            outcome = outcome.article
        changes.note(f.rel, outcome)
        if isinstance(outcome, str):
            bad.append((f.rel, f.fs_rel, f.size, f.mtime_ns, outcome))
        else:
            good.append((outcome, f.fs_rel, f.mtime_ns))
    archive.cache.store(good, bad)
