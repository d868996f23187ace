"""Signatures of many articles at once, made in worker processes beside the grouping.

A signature costs 1-2 ms of pure Python an article (folding, shingles, MinHash, the
lead's Bloom filter: reader/stories/signature.py), about half of what grouping a burst
costs; made in the reader's own process it also holds the GIL the event loop needs.
A change of `POOL_FROM` articles or more has its signatures made by worker processes
(one a core, spawned once, at `warm` or at the first such change, and kept), in chunks,
while this thread stores the batch before: a burst of 1,000 files is grouped in about
half the time, and a first grouping of a large archive too.

    signer = Signer(workers=2)
    for made in signer.batches(articles, body_of, stopped, size=500):
        if made is None: ...            # stopped: nothing more is made
        for stamp, sig in made: ...     # each batch in the order of `articles`

The workers only compute (no file, no store): the bodies are read here and sent. A
worker that dies (out of memory, killed) leaves the rest to this thread, and later
changes too (`broken`); a change under `POOL_FROM`, or a signer of no workers, makes its
signatures here, as before.
"""

from __future__ import annotations

import os
from collections import deque
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from reader.archive.model import Article

if TYPE_CHECKING:  # (multiprocessing's modules: imported where workers start, not by
    from concurrent.futures import Future, ProcessPoolExecutor  # a command that groups
    from reader.stories.signature import Signature  # nothing)
    from reader.stories.store import Stamp

POOL_FROM = 200  # signatures made at once from which the workers pay off (IPC, a chunk's wait)
CHUNK = 50  # articles sent to a worker at a time (50-100 ms of work: a quit waits for none)
AHEAD = 2  # chunks in flight per worker: none waits while this thread stores
Item = tuple[str, float, str, str, str]  # path, date (POSIX), source, title, body
Made = list[tuple["Stamp", "Signature"]]


class Signer:
    def __init__(self, workers: int = 0) -> None:
        self.workers = min(workers, os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        self.broken = False  # a worker died: every signature is made here from then on

    def warm(self) -> None:
        """Start the workers now (their imports take a few tenths of a second), so the
        first big change does not wait for them; nothing when there are none."""
        pool = self._started()
        for _ in range(self.workers if pool is not None else 0):
            self._submit(pool, [])

    def batches(self, articles: Sequence[Article], body_of: Callable[[Article], str],
                stopped: Callable[[], bool] = bool, size: int = 500
                ) -> Iterator[Made | None]:
        """The signatures of `articles` (their bodies from `body_of`), `size` at a time
        in their order; a last None once `stopped()` says so (looked at before each
        article's body, or each chunk's wait)."""
        pool = self._started() if len(articles) >= POOL_FROM else None
        if pool is None:
            yield from _here(articles, body_of, stopped, size)
            return
        yield from self._in_workers(pool, articles, body_of, stopped, size)

    def _in_workers(self, pool: ProcessPoolExecutor, articles: Sequence[Article],
                    body_of: Callable[[Article], str], stopped: Callable[[], bool],
                    size: int) -> Iterator[Made | None]:
        from reader.stories.compute import stamp

        chunks = (articles[i:i + CHUNK] for i in range(0, len(articles), CHUNK))
        pending: deque[tuple[Sequence[Article], Future | None]] = deque()
        made: Made = []

        def submit() -> bool:
            chunk = next(chunks, None)
            if chunk is None:
                return False
            items = []
            for a in chunk:
                if stopped():
                    return False
                items.append(_item(a, body_of(a)))
            pending.append((chunk, self._submit(pool, items)))
            return True

        while len(pending) < AHEAD * self.workers and submit():
            pass
        while pending:
            chunk, future = pending.popleft()
            sigs = self._result(future, chunk, body_of) if not stopped() else None
            if sigs is None:
                yield None
                return
            made += zip(map(stamp, chunk), sigs)
            submit()
            if len(made) >= size or not pending:
                yield made[:size]
                made = made[size:]
        if stopped():
            yield None
        elif made:
            yield made

    def _submit(self, pool: ProcessPoolExecutor, items: list[Item]) -> Future | None:
        from concurrent.futures.process import BrokenProcessPool

        if self.broken:
            return None
        try:  # (a worker is spawned at a submit: OSError where none can start, a limit)
            return pool.submit(_sign, items)
        except (BrokenProcessPool, RuntimeError, OSError):  # (RuntimeError: shut down)
            self.broken = True
            return None

    def _result(self, future: Future | None, chunk: Sequence[Article],
                body_of: Callable[[Article], str]) -> list[Signature]:
        from concurrent.futures.process import BrokenProcessPool

        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool:
                self.broken = True
        from reader.stories.compute import signature_for

        return [signature_for(a, body_of(a)) for a in chunk]

    def _started(self) -> ProcessPoolExecutor | None:
        if self.workers < 2 or self.broken:
            return None
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from reader.archive.scan import start_worker

            try:
                self._pool = ProcessPoolExecutor(
                    self.workers, mp_context=multiprocessing.get_context("spawn"),
                    initializer=start_worker)
            except OSError:  # its queues' semaphores cannot be made (/dev/shm full)
                self.broken = True
                return None
        return self._pool

    def close(self) -> None:
        """The workers ended, not waited for (they hold nothing to save)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _item(article: Article, body: str) -> Item:
    return article.path, article.date.timestamp(), article.source, article.title, body


def _sign(items: list[Item]) -> list[Signature]:
    """In a worker: the signatures of `items`, in their order."""
    from reader.stories.signature import signature_of

    return [signature_of(*item) for item in items]


def _here(articles: Sequence[Article], body_of: Callable[[Article], str],
          stopped: Callable[[], bool], size: int) -> Iterator[Made | None]:
    from reader.stories.compute import signature_for, stamp

    for start in range(0, len(articles), size):
        made: Made = []
        for a in articles[start:start + size]:
            if stopped():
                yield None
                return
            made.append((stamp(a), signature_for(a, body_of(a))))
        yield made
