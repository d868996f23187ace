"""The first look at an archive opened for the first time: its newest articles, found
in worker processes while the reader starts.

Nothing is cached at a first open, and the newest articles may be anywhere: finding
them takes the walk, a look at every file's `date` line (reader/archive/newest.py) and
the parse of the newest, about 3 s of CPU at 100,000 files.  In the reader's process
that work would wait for Textual to load and then share one core (the GIL) with it;
here it runs in worker processes, one per core (at most `MAX_WORKERS`), started before
the reader imports Textual (`Archive.look_ahead`).  Each walks the archive (listing
the folders is cheap) and takes every n-th file of each folder (`walk_listed(share=...)`):
it reads their dates and parses its newest.  The reader keeps the newest `COUNT` of
all: what the first scan's first batch will hold, in the same order (`order_key`).

The look is a first screen and an order, nothing more: it stores nothing.  The first
scan still walks the folder once it is watched (what changed meanwhile is not missed)
and parses every file, newest first by the dates the look read where a file is
unchanged since.
"""

from __future__ import annotations

import heapq
import math
import multiprocessing
import os
import sys
import threading
from array import array
from dataclasses import dataclass
from datetime import tzinfo
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable, Iterator

from reader.archive.model import Article
from reader.archive.newest import peek_listed
from reader.archive.readahead import read_ahead
from reader.archive.scan import _FIRST_BATCH, _parse_batch, start_worker
from reader.archive.walk import walk_listed

COUNT = _FIRST_BATCH  # the newest files parsed: a first scan's first batch
MAX_WORKERS = 4
_POLL = 0.1  # seconds between two looks at `cancel` while waiting


@dataclass
class Share:
    """What one worker found: its files (fs_rel), the size and mtime_ns of each in turn
    (`stamps`) and its date (NaN where none was seen) in arrays (cheap to send: 50,000
    files pickle in a few ms, not a few tenths of a second), and its newest files with
    their place (`order_key`) and article (None: unreadable)."""

    fs_rels: list[str]
    stamps: array
    dates: array
    newest: list[tuple[tuple, Article | None]]

    def dated(self) -> Iterator[tuple[str, tuple[int, int, float | None]]]:
        sizes, mtimes = self.stamps[0::2], self.stamps[1::2]
        dates = (None if math.isnan(date) else date for date in self.dates)
        return zip(self.fs_rels, zip(sizes, mtimes, dates))


@dataclass
class Look:
    """The first look: the newest articles, and the workers' shares (for `take_dates`)."""

    newest: list[Article]
    shares: list[Share]

    def take_dates(self) -> dict[str, tuple[int, int, float | None]]:
        """Each file's date as newest_first takes them (`known`), once (the first scan):
        made when it asks, not while the reader waits for the newest; then let go."""
        shares, self.shares = self.shares, []
        return {rel: dated for share in shares for rel, dated in share.dated()}


def look_at_share(root: Path, tz: tzinfo, follow: str, share: tuple[int, int],
                  count: int = COUNT, cold: bool | None = None) -> Share:
    """One worker's part: the files of `share` (see `walk`), their dates, and its
    `count` newest parsed (the archive's newest `count` are among the workers' ones).
    Its files are read ahead where the page cache is cold (`cold`; None: timed)."""
    listed = list(walk_listed(root, follow, share))
    with read_ahead(root, [fs_rel for fs_rel, _ in listed], cold):  # a cold page cache
        peeked = peek_listed(root, listed, tz)  # the scan reports what cannot be read
    newest = peeked.newest(count)
    parsed = _parse_batch(root, [f for _, f in newest], tz)
    return Share(peeked.fs_rels, peeked.stamps, peeked.dates,
                 [(key, None if isinstance(outcome, str) else outcome)
                  for (key, _), (_, outcome) in zip(newest, parsed)])


def merged(shares: list[Share], count: int = COUNT) -> Look:
    """The workers' shares as one look: the `count` newest files of all."""
    newest = heapq.nsmallest(count, (item for share in shares for item in share.newest),
                             key=lambda item: item[0])
    return Look([article for _, article in newest if article is not None], shares)


class FirstLook:
    """Worker processes looking at an archive (started at once); `result()` waits for
    them, `close()` stops them."""

    def __init__(self, root: Path, tz: tzinfo, follow: str, workers: int | None = None):
        workers = workers or max(1, min(MAX_WORKERS, os.cpu_count() or 1))
        context = _context()
        self._lock = threading.Lock()  # the UI and the first scan may wait at once
        self._look: Look | None = None
        self._done = False
        self._pipes: list[Connection] = []
        self._workers = []
        try:
            for share in range(workers):
                self._start(context, root, tz, follow, (share, workers))
        except OSError:  # no process to be had: no look (the scan does without)
            self.close()
            raise

    def _start(self, context, root: Path, tz: tzinfo, follow: str,
               share: tuple[int, int]) -> None:
        receive, send = context.Pipe(duplex=False)
        worker = context.Process(target=_look_and_send, daemon=True,
                                 args=(send, root, tz, follow, share))
        self._pipes.append(receive)
        try:
            worker.start()
        finally:
            send.close()
        self._workers.append(worker)

    def result(self, cancel: threading.Event | None = None) -> Look | None:
        """The look, once every worker has sent its share; None if one failed, or if
        `cancel` was set meanwhile (the workers are stopped then)."""
        with self._lock:
            if not self._done:
                shares = self._collect(cancel.is_set if cancel else lambda: False)
                self._look = merged(shares) if shares is not None else None
                self._done = True
                self.close()
            return self._look

    def _collect(self, cancelled: Callable[[], bool]) -> list[Share] | None:
        shares, pending = [], list(self._pipes)
        while pending:
            if cancelled():
                return None
            for pipe in wait(pending, _POLL):
                pending.remove(pipe)
                try:
                    share = pipe.recv()
                except (EOFError, OSError):  # the worker died (killed, out of memory)
                    return None
                if not isinstance(share, Share):  # it failed: it says why
                    return None
                shares.append(share)
        return shares

    def close(self) -> None:
        """Stop the workers still looking (the reader quit, or the look failed)."""
        for pipe in self._pipes:
            pipe.close()
        for worker in self._workers:
            if worker.is_alive():
                worker.terminate()
            worker.join(1)
        self._pipes, self._workers = [], []


def _context():
    """fork where it is safe: on Linux, while this process has no thread but its main one
    (the CLI starts the look before anything starts a thread).  A forked worker begins at
    once; a spawned one starts a new interpreter and imports the reader first (0.3-0.4 s
    a worker, on the cores the reader is loading on).  With other threads running, a
    forked child could inherit one of their locks held and deadlock on it: spawn then."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _look_and_send(pipe: Connection, root: Path, tz: tzinfo, follow: str,
                   share: tuple[int, int]) -> None:
    """A worker: its share of the look, or why it failed, to the reader."""
    start_worker()
    try:
        pipe.send(look_at_share(root, tz, follow, share))
    except Exception as exc:  # noqa: BLE001 - the first scan does without the look
        pipe.send(f"the first look failed: {exc!r}")
    finally:
        pipe.close()
