"""The reader's visits (sessions) and when it first saw each article file: "new since
the last visit" and `added:` dates (no Textual here).

    visits = store.visits
    visits.begin(); visits.save_start()   # the reader, as it opens: written at once
    visits.see(delta_added_paths)         # the paths it had never seen: stamped now
    visits.new_paths()                    # first seen since the previous visit started

A visit's start is committed as the reader opens (its state writer's first write), so a
crash still leaves the boundary for the next one.  A path's first sighting is kept for good: a file deleted and added
again (an editor's save, a `git checkout` there and back, a scraper rewriting it) is
the same article, not a new one, as its marks are kept by path too.

The first visit the store records sees the whole archive at once; every path it sees
is stamped with that visit's start (the *baseline*), so the next visit's "New" holds
what arrived after it, not the whole archive.  A process that never began a visit (the
CLI) sees the visits as the reader left them: its previous visit is the one before the
newest, so `newsreader search is:new` lists what the reader shows as New.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Callable, Iterable

from reader.state.model import datetime_to_us, us_to_datetime
from reader.state.pool import ConnectionPool

VISITS_KEPT = 1_000  # visits the store remembers
SEE_BATCH = 50_000  # paths recorded in one transaction (a short hold of the write lock)


class Visits:
    """The visits and first sightings of one state store (`StateStore.visits`)."""

    def __init__(self, pool: ConnectionPool, now: Callable[[], int]) -> None:
        self._pool = pool
        self._now = now
        self._id: int | None = None
        self._started: int | None = None
        self._previous: int | None = None

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

    def see(self, paths: Iterable[str]) -> list[str]:
        """Record the first sighting of those of `paths` never seen before; returns them.
        Stamped now, or with the visit's start during the first visit (the baseline)."""
        first_visit = self._started is not None and self._previous is None
        at = self._started if first_visit else self._now()
        wanted, seen = list(paths), []
        for start in range(0, len(wanted), SEE_BATCH):
            with self._pool.writing() as con:  # paths as one JSON text: 3x executemany's speed
                seen += [row[0] for row in con.execute(
                    "INSERT OR IGNORE INTO first_seen SELECT value, ? FROM json_each(?) "
                    "WHERE true RETURNING path",
                    (at, json.dumps(wanted[start:start + SEE_BATCH])))]
        return seen

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
        """The paths first seen from `start` (inclusive) to `end` (exclusive): `added:`."""
        low = -2 ** 63 if start is None else datetime_to_us(start)
        high = 2 ** 63 - 1 if end is None else datetime_to_us(end)
        with self._pool.reading() as con:
            return {row[0] for row in con.execute(
                "SELECT path FROM first_seen WHERE at >= ? AND at < ?", (low, high))}

    def new_paths(self) -> set[str]:
        """The paths first seen after the previous visit started (empty on a first visit)."""
        previous = self.previous_session_start()
        if previous is None:
            return set()
        with self._pool.reading() as con:
            return {row[0] for row in con.execute(
                "SELECT path FROM first_seen WHERE at > ?", (datetime_to_us(previous),))}


def _start_of(con: sqlite3.Connection, skip: int) -> int | None:
    """The start of the newest visit (skip 0), of the one before it (1); None: none."""
    row = con.execute("SELECT started FROM visits ORDER BY id DESC LIMIT 1 OFFSET ?",
                      (skip,)).fetchone()
    return None if row is None else row[0]
