"""Reading ahead of the first look when the page cache is cold.

After a reboot, or once the archive's files are evicted from memory, each file's first
read waits for the disk: a look worker that reads 50,000 files one after another spends
most of its time waiting (a cold first open of 100,000 files took 7-9 s against 2-3 s
warm).  A disk answers many reads in flight about as fast as one, so where a share's
files are slow to read, a few threads read them ahead of the worker's loop (each file's
first page, into the page cache) and the loop then finds them in memory.

Whether the cache is cold is told by timing a few reads spread over the share: on a
warm cache nothing is started, and the test costs those few reads.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

SAMPLE = 16  # files timed to tell a cold cache
COLD_SHARE = 0.2  # cold: at least this share of them read from the disk
COLD_SECONDS = 0.00015  # a read this slow came from the disk (warm: 10-30 µs, cold: 0.5-0.9 ms)
THREADS = 8  # reads in flight per worker
PAGE = 4096
_FLAGS = os.O_RDONLY | os.O_NONBLOCK  # a file that became a pipe does not block


def touch(root: str, fs_rel: str) -> None:
    """Read the file's first page (into the page cache); a file that cannot be read is
    the look's and the scan's to report."""
    try:
        fd = os.open(os.path.join(root, fs_rel), _FLAGS)
    except OSError:
        return
    try:
        os.read(fd, PAGE)
    except OSError:
        pass
    finally:
        os.close(fd)


def is_cold(root: str, fs_rels: Sequence[str], sample: int = SAMPLE) -> bool:
    """True when a few of the files spread over `fs_rels` are read from the disk (on a
    warm cache none is; another worker's reads ahead may have brought some in)."""
    if not fs_rels:
        return False
    step = max(1, len(fs_rels) // sample)
    picks = fs_rels[::step][:sample]
    slow = 0
    for fs_rel in picks:
        start = time.perf_counter()
        touch(root, fs_rel)
        slow += time.perf_counter() - start > COLD_SECONDS
    return slow >= max(1, round(len(picks) * COLD_SHARE))


class ReadAhead:
    """`threads` threads reading `fs_rels` in turn (thread k: files k, k+n, k+2n, ...),
    so that together they read in the list's order, ahead of a loop that follows it."""

    def __init__(self, root: str, fs_rels: Sequence[str], threads: int = THREADS):
        self._stop = threading.Event()
        self.threads = [threading.Thread(target=self._read, args=(root, fs_rels[k::threads]),
                                         name=f"read-ahead-{k}", daemon=True)
                        for k in range(threads)]
        for thread in self.threads:
            thread.start()

    def _read(self, root: str, fs_rels: Sequence[str]) -> None:
        for fs_rel in fs_rels:
            if self._stop.is_set():
                return
            touch(root, fs_rel)

    def close(self) -> None:
        self._stop.set()
        for thread in self.threads:
            thread.join()


@contextmanager
def read_ahead(root: Path, fs_rels: Sequence[str],
               cold: bool | None = None) -> Iterator[ReadAhead | None]:
    """Within the block, the files are read ahead if the cache is cold (`cold`: decided
    by the caller, or None: by `is_cold`); the threads end with it."""
    root_text = os.fspath(root)
    if cold is None:
        cold = is_cold(root_text, fs_rels)
    ahead = ReadAhead(root_text, fs_rels) if cold else None
    try:
        yield ahead
    finally:
        if ahead is not None:
            ahead.close()
