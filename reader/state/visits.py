"""The reader's visits (sessions) and when it first saw each article file: "new since
the last visit" and `added:` dates (no Textual here).

    visits = store.visits
    visits.begin(); visits.save_start()   # the reader, as it opens: written at once
    visits.see(paths, baseline=True)      # a whole catalog (the cache's, a first scan's)
    visits.see(delta_added_paths)         # what a scan or a watched batch brought
    visits.new_paths()                    # first seen after the boundary: "New", is:new
    visits.added_between(start, end)      # first seen in [start, end): `added:`

A visit's start is committed as the reader opens (its state writer's first write), so a
crash still leaves the boundary for the next one.  A path's first sighting is kept for good: a file deleted and added
again (an editor's save, a `git checkout` there and back, a scraper rewriting it) is
the same article, not a new one, as its marks are kept by path too.

New is what was first seen after the *boundary*: the start of the previous visit.  The
first visit the store records has none: the archive as it first finds it (the whole
catalogs it loads and whole scans' deltas, `baseline=True`) is stamped with the first
visit's start, and its boundary is its own start, so a first run shows nothing as new
(else New would be the whole archive, a second All), while files arriving during it (a
watched batch's delta, stamped then) are new, in it and in the next visit, as they
would be after any other.  The baseline lasts until a scan of the whole archive has
ended and its sightings are recorded (`finish_baseline`): a first visit killed while
its first scan was under way leaves the rest of the archive to the next visit's scan,
and that is no news either.
A process that never began a visit (the CLI) sees the visits as the reader left them:
its boundary is that of the newest visit (the start of the one before it, or its own
start when it was the first), so `newsreader search is:new` lists what the reader
shows as New.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Callable, Iterable

from reader.state.model import datetime_to_us, us_to_datetime
from reader.state.pool import ConnectionPool

VISITS_KEPT = 1_000  # visits the store remembers
SEE_BATCH = 10_000  # paths recorded in one transaction (a short hold of the write
# lock, and a quit waits for one: about 25 ms, 0.1 s at a high load)
_NEVER, _ALWAYS = -2 ** 63, 2 ** 63 - 1  # µs bounds of an open range


class Visits:
    """The visits and first sightings of one state store (`StateStore.visits`)."""

    def __init__(self, pool: ConnectionPool, now: Callable[[], int]) -> None:
        self._pool = pool
        self._now = now
        self._id: int | None = None
        self._started: int | None = None
        self._previous: int | None = None
        self._sightings = 0  # times this process recorded sightings
        self._added: tuple[tuple, frozenset[str]] | None = None  # the last added_between
        self._baseline_done = False  # once True, for good
        self._first_start: int | None = None  # the oldest visit's start (the baseline's)

    def begin(self) -> datetime:
        """Start this process's visit now; the previous one is read at once (a read never
        waits for another process's lock).  `save_start` writes it: the reader queues
        that first on its state writer, so a locked file never delays the first rows."""
        with self._pool.reading() as con:
            self._previous = _start_of(con, 0)
        self._started = self._now()
        return us_to_datetime(self._started)

    def save_start(self) -> None:
        """Commit this visit's start (once): a crash after it still leaves the boundary."""
        if self._started is None or self._id is not None:
            return
        with self._pool.writing() as con:
            self._id = con.execute("INSERT INTO visits (started) VALUES (?)",
                                   (self._started,)).lastrowid
            con.execute("DELETE FROM visits WHERE id <= ?", (self._id - VISITS_KEPT,))

    @property
    def started(self) -> datetime | None:
        """When this process's visit started (None before `begin`)."""
        return us_to_datetime(self._started)

    def previous_session_start(self) -> datetime | None:
        """When the visit before this one started; None when there was none."""
        if self._started is not None:
            return us_to_datetime(self._previous)
        with self._pool.reading() as con:
            return us_to_datetime(_start_of(con, 1))

    def see(self, paths: Iterable[str], baseline: bool = False,
            stop: Callable[[], bool] = bool) -> list[str]:
        """Record the first sighting of those of `paths` never seen before; returns them.
        Stamped now, or with the visit's start when they are the first visit's
        `baseline` (a whole catalog, the archive as the first visit finds it).  `stop`
        is looked at before each batch (the process ends: the rest is seen again at the
        next start)."""
        at, wanted, seen = self._stamp(baseline), list(paths), []
        for start in range(0, len(wanted), SEE_BATCH):
            if stop():
                break
            with self._pool.writing() as con:  # paths as one JSON text: 3x executemany's speed
                seen += [row[0] for row in con.execute(
                    "INSERT OR IGNORE INTO first_seen SELECT value, ? FROM json_each(?) "
                    "WHERE true RETURNING path",
                    (at, json.dumps(wanted[start:start + SEE_BATCH])))]
        self._sightings += bool(wanted)  # (another process may have stamped them first)
        return seen

    def sighting_is_new(self, baseline: bool = False) -> bool:
        """Whether paths `see` records now (with this `baseline`) are new ones."""
        boundary = self.boundary()
        return boundary is not None and self._stamp(baseline) > boundary

    def _stamp(self, baseline: bool) -> int:
        """A sighting's time: the first visit's start for the baseline (until it is
        finished), else now (after this visit's start, a first visit's boundary)."""
        if self._started is None:
            return self._now()
        if baseline and not self.baseline_done():
            return self._oldest_start()
        return max(self._now(), self._started + 1)

    def baseline_done(self) -> bool:
        """Whether the archive has been seen whole once (`finish_baseline`)."""
        if not self._baseline_done:
            with self._pool.reading() as con:
                self._baseline_done = con.execute("SELECT 1 FROM baseline").fetchone() \
                    is not None
        return self._baseline_done

    def finish_baseline(self) -> None:
        """A scan of the whole archive ended and its sightings are recorded: from now on
        every first sighting is stamped when it is made."""
        if self.baseline_done():
            return
        with self._pool.writing() as con:
            con.execute("INSERT INTO baseline (at) SELECT ? WHERE NOT EXISTS "
                        "(SELECT 1 FROM baseline)", (self._now(),))
        self._baseline_done = True

    def _oldest_start(self) -> int:
        if self._previous is None:
            return self._started  # type: ignore[return-value]
        if self._first_start is None:
            with self._pool.reading() as con:
                oldest = con.execute("SELECT min(started) FROM visits").fetchone()[0]
            self._first_start = min(oldest or self._previous, self._previous)
        return self._first_start

    def boundary(self) -> int | None:
        """The moment (µs) after which a first sighting is new (see the module's notes):
        the previous visit's start; a first visit's own; None with no visit at all."""
        if self._started is not None:
            return self._started if self._previous is None else self._previous
        with self._pool.reading() as con:
            newest, before = _start_of(con, 0), _start_of(con, 1)
        return newest if before is None else before

    def first_seen(self, paths: Iterable[str] | None = None) -> dict[str, int]:
        """path -> when first seen (µs since the epoch) for `paths` (None: every path)."""
        with self._pool.reading() as con:
            if paths is None:
                return dict(con.execute("SELECT path, at FROM first_seen"))
            found: dict[str, int] = {}
            wanted = list(paths)
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                found.update(con.execute(
                    f"SELECT path, at FROM first_seen WHERE path IN "
                    f"({','.join('?' * len(chunk))})", chunk))
            return found

    def seen_between(self, start: datetime | None = None, end: datetime | None = None
                     ) -> set[str]:
        """The paths first seen from `start` (inclusive) to `end` (exclusive)."""
        low = _NEVER if start is None else datetime_to_us(start)
        high = _ALWAYS if end is None else datetime_to_us(end)
        return set(self._seen_from(low, high))

    def added_between(self, start: int | None, end: int | None) -> frozenset[str]:
        """`added:`: the paths first seen from `start` to `end` (epoch seconds, as the
        query's date filters; None: open).  The answer is kept until this process records
        sightings again: a search typed letter by letter asks the same range each time."""
        key = (start, end, self._sightings)
        kept = self._added
        if kept is None or kept[0] != key:
            low = _NEVER if start is None else start * 1_000_000
            high = _ALWAYS if end is None else end * 1_000_000
            kept = self._added = (key, frozenset(self._seen_from(low, high)))
        return kept[1]

    def _seen_from(self, low: int, high: int) -> list[str]:
        with self._pool.reading() as con:
            return [row[0] for row in con.execute(
                "SELECT path FROM first_seen WHERE at >= ? AND at < ?", (low, high))]

    def new_paths(self) -> set[str]:
        """The paths first seen after the boundary ("New", `is:new`): empty with no
        visit, and on a first visit until something arrives."""
        boundary = self.boundary()
        if boundary is None:
            return set()
        return set(self._seen_from(boundary + 1, _ALWAYS))


def _start_of(con: sqlite3.Connection, skip: int) -> int | None:
    """The start of the newest visit (skip 0), of the one before it (1); None: none."""
    row = con.execute("SELECT started FROM visits ORDER BY id DESC LIMIT 1 OFFSET ?",
                      (skip,)).fetchone()
    return None if row is None else row[0]
