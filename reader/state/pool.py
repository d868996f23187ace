"""The state store's connections: a small pool, so that each thread's call has its own.

Reads run on a connection as they are; writes in one `BEGIN IMMEDIATE` transaction,
committed on leaving and rolled back on error.  SQLite's errors leave here as
`StateError`s that say what happened (errors.py tells damage from a full disk).
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from reader.state.errors import StateError, kind_of, refusal
from reader.state.schema import BUSY_TIMEOUT_S, connect


class ConnectionPool:
    """Connections to the state file at `path`, handed out one per call."""

    def __init__(self, path: Path, first: sqlite3.Connection) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._free: list[sqlite3.Connection] = [first]
        self._all: list[sqlite3.Connection] = [first]
        self._closed = False

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for con in self._all:
                con.close()
            self._all.clear()
            self._free.clear()

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as con, self._translated():
            yield con

    @contextmanager
    def writing(self, wait_s: float = BUSY_TIMEOUT_S) -> Iterator[sqlite3.Connection]:
        """One `BEGIN IMMEDIATE` transaction, waiting up to `wait_s` for the write lock."""
        with self._connection() as con, self._translated():
            if wait_s != BUSY_TIMEOUT_S:
                con.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
            try:
                con.execute("BEGIN IMMEDIATE")
            finally:
                if wait_s != BUSY_TIMEOUT_S:
                    con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            try:
                yield con
            except BaseException:
                if con.in_transaction:  # SQLite may have rolled back already (a full disk)
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._closed:
                raise StateError(f"the state store {self.path} is closed")
            con = self._free.pop() if self._free else None
        if con is None:
            con = connect(self.path)
            with self._lock:
                self._all.append(con)
        try:
            yield con
        finally:
            with self._lock:
                if self._closed:
                    con.close()
                else:
                    self._free.append(con)

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            kind = kind_of(exc, self.path.parent)
            if kind == "damaged":
                raise StateError(f"the state file {self.path} cannot be used ({exc}); restart "
                                 "newsreader to check it") from exc
            raise refusal(self.path, exc, kind) from exc
        except UnicodeEncodeError as exc:  # a path or title with a lone surrogate
            raise StateError(f"cannot store {exc.object[exc.start:exc.end]!r} in the state "
                             "file: half of a surrogate pair is not text") from None
