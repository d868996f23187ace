"""Signatures and stories kept on disk (`stories.sqlite3` in the archive's data dir), so
that a warm start computes and groups nothing: each signature is stamped with the file's
size and mtime, as the metadata cache stamps its records, and a row whose stamp differs
is computed again.  The `stories` table holds each member of a story (its number, date
and how it is linked), changed with the signatures in one transaction; the setting
`grouped` (the window, in days) says the stories are those of every signature stored.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # (imported where a signature is read or written: reading the stories
    from reader.stories.signature import Signature  # needs no folding)

FILE_NAME = "stories.sqlite3"
VERSION = "2"  # of the signature: rows of another version are computed again
_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS signatures (
    path TEXT PRIMARY KEY, size INTEGER, mtime REAL, date REAL, source TEXT,
    exact INTEGER, title TEXT, minhash BLOB, shingles INTEGER, lead BLOB, length INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stories (
    path TEXT PRIMARY KEY, story INTEGER, date REAL, why TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stories_by_number ON stories (story);
"""
Stamp = tuple[int, float]  # the file's size and mtime when its signature was made
StoredMember = tuple[str, float, str]  # a story's member: path, date, how it is linked


class SignatureStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        if self._version() != VERSION:
            with self._db:
                self._db.execute("DROP TABLE signatures")
                self._db.execute("DROP TABLE stories")
                self._db.execute("DELETE FROM settings WHERE name = 'grouped'")
                self._db.execute("INSERT OR REPLACE INTO settings VALUES ('version', ?)",
                                 (VERSION,))
            self._db.executescript(_SCHEMA)

    @classmethod
    def in_dir(cls, data_dir: Path) -> "SignatureStore":
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        return cls(Path(data_dir) / FILE_NAME)

    def _version(self) -> str:
        row = self._db.execute("SELECT value FROM settings WHERE name = 'version'").fetchone()
        return row[0] if row else ""

    def load(self) -> dict[str, tuple[Stamp, Signature]]:
        rows = self._db.execute("SELECT path, size, mtime, date, source, exact, title, "
                                "minhash, shingles, lead, length FROM signatures")
        return {r[0]: ((r[1], r[2]), _signature(r)) for r in rows}

    def stamps(self) -> dict[str, Stamp]:
        """The stamp of every signature stored (what a warm start compares: 100,000
        rows in a few tens of milliseconds, no signature made)."""
        return {r[0]: (r[1], r[2]) for r in
                self._db.execute("SELECT path, size, mtime FROM signatures")}

    def signatures(self) -> list[Signature]:
        rows = self._db.execute("SELECT path, size, mtime, date, source, exact, title, "
                                "minhash, shingles, lead, length FROM signatures")
        return [_signature(r) for r in rows]

    def grouped(self) -> float | None:
        """The window (days) of the stories stored, when they are every signature's."""
        row = self._db.execute("SELECT value FROM settings WHERE name = 'grouped'").fetchone()
        return float(row[0]) if row else None

    def stories(self) -> dict[int, list[StoredMember]]:
        """Every story stored: its number -> (path, date, why) of each member."""
        found: dict[int, list[StoredMember]] = {}
        for path, number, date, why in self._db.execute("SELECT * FROM stories"):
            found.setdefault(number, []).append((path, date, why))
        return found

    def put_stories(self, left: Iterable[str], members: Iterable[tuple[int, StoredMember]],
                    window: float) -> None:
        """Forget the story of each path `left`, store `members` (number, member), and
        mark the stories as every signature's."""
        with self._db:
            self._db.executemany("DELETE FROM stories WHERE path = ?", [(p,) for p in left])
            self._db.executemany("INSERT OR REPLACE INTO stories VALUES (?, ?, ?, ?)",
                                 [(m[0], n, m[1], m[2]) for n, m in members])
            self._db.execute("INSERT OR REPLACE INTO settings VALUES ('grouped', ?)",
                             (repr(float(window)),))

    def ungrouped(self) -> None:
        """Forget the stories stored: they are not every signature's (a grouping was
        cut short, or is made anew)."""
        with self._db:
            self._db.execute("DELETE FROM stories")
            self._db.execute("DELETE FROM settings WHERE name = 'grouped'")

    def put(self, stamped: Iterable[tuple[Stamp, Signature]]) -> None:
        from reader.stories.signature import LEAD_BITS

        rows = [(s.path, size, mtime, s.date, s.source, s.exact, s.title, s.minhash,
                 s.shingles, s.lead.to_bytes(LEAD_BITS // 8, "little"), s.length)
                for (size, mtime), s in stamped]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO signatures VALUES "
                                 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def delete(self, paths: Iterable[str]) -> None:
        with self._db:
            self._db.executemany("DELETE FROM signatures WHERE path = ?",
                                 [(p,) for p in paths])

    def close(self) -> None:
        self._db.close()


def _signature(row: tuple) -> Signature:
    from reader.stories.signature import Signature

    path, _, _, date, source, exact, title, minhash, shingles, lead, length = row
    return Signature(path, date, source, exact, title, minhash, shingles,
                     int.from_bytes(lead, "little"), length)
