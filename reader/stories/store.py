"""Signatures and stories kept on disk (`stories.sqlite3` in the archive's data dir): the
grouper's only state, so that neither a warm start nor the first change after it builds
anything in memory.  Each signature is stamped with the file's size and mtime, as the
metadata cache stamps its records, and a row whose stamp differs is computed again.

- `signatures`: one row an article, indexed by its exact digest and its folded title;
- `bands`: the LSH band keys of each signature (reader/stories/bands.py), indexed, so
  that an article's candidates are one query (32 look-ups in a B-tree: well under a
  millisecond at 100,000 articles) instead of an index built in memory (6-9 s of CPU);
- `stories`: each member of a story (its number, date and how it is linked).
Every change is made in the caller's transaction (`batch`), so the stories stored are
always those of the signatures stored; the setting `grouped` (the window, in days, and
the version of the rules, `RULES`) says they were grouped in that window by these rules
(it is cleared while every signature is grouped anew; stories of older rules are grouped
anew from the signatures stored, no file read).
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

if TYPE_CHECKING:  # (imported where a signature is read or written: reading the stories
    from reader.stories.signature import Signature  # needs no folding)

FILE_NAME = "stories.sqlite3"
VERSION = "4"  # of the signature and its tables: rows of another version are made again
RULES = "2"  # of reader/stories/grouping.py's `match` (2: exact copies dated one second)
_SIGNATURE = ("path TEXT NOT NULL UNIQUE, size INTEGER, mtime REAL, date REAL, source "
              "TEXT, exact INTEGER, title TEXT, minhash BLOB, shingles INTEGER, lead BLOB, "
              "length INTEGER, numbers BLOB")
_COLUMNS = ("path, size, mtime, date, source, exact, title, minhash, shingles, lead, "
            "length, numbers")
_COLUMNS_2 = _COLUMNS.removesuffix(", numbers")  # (version 2 had no numbers)
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS signatures (id INTEGER PRIMARY KEY, {_SIGNATURE});
CREATE INDEX IF NOT EXISTS signatures_by_exact ON signatures (exact);
CREATE INDEX IF NOT EXISTS signatures_by_title ON signatures (title);
CREATE TABLE IF NOT EXISTS bands (
    key INTEGER, id INTEGER, PRIMARY KEY (key, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stories (
    path TEXT PRIMARY KEY, story INTEGER, date REAL, why TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stories_by_number ON stories (story);
"""
_MEMBERS = "FROM stories s LEFT JOIN signatures g ON g.path = s.path"
_IN_ORDER = "ORDER BY coalesce(g.id, 0)"  # (the order their signatures came in)
Stamp = tuple[int, float]  # the file's size and mtime when its signature was made
StoredMember = tuple[str, float, str]  # a story's member: path, date, how it is linked
CACHE_KB = 65_536  # the writer's page cache (private memory, at most 64 MB)
_MARKS = 500  # paths asked for in one statement (SQLite allows 32,766 parameters)


class SignatureStore:
    def __init__(self, path: Path | str, db: sqlite3.Connection | None = None) -> None:
        self.path = path
        self._held = False  # batches join one transaction until `commit` (hold)
        if db is not None:  # read_only's: taken as it is
            self._db = db
            return
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        # A commit waits for no disk flush (a few at each change: 0.2 s of a 1,000-file
        # burst): a power cut may lose the last ones, never the store's consistency,
        # and signatures lost are made again (their stamps then differ).
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Grouping reads and inserts band keys at random (32 an article, 3.2 million rows
        # at 100,000 articles): with SQLite's 2 MB of page cache a 1,000-file burst was
        # staged in 1.2-1.3 s, with CACHE_KB (kept between bursts) in 0.8-1.0 s
        self._db.execute(f"PRAGMA cache_size=-{CACHE_KB}")
        version = self._version()
        if version == "2":
            _migrate_2(self._db)
        elif version != VERSION:
            with self._db:
                for table in ("signatures", "bands", "stories"):
                    self._db.execute(f"DROP TABLE IF EXISTS {table}")
                self._db.execute("DELETE FROM settings WHERE name = 'grouped'")
        self._db.executescript(_SCHEMA)
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO settings VALUES ('version', ?)",
                             (VERSION,))

    @classmethod
    def in_dir(cls, data_dir: Path) -> "SignatureStore":
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        return cls(Path(data_dir) / FILE_NAME)

    @classmethod
    def read_only(cls, data_dir: Path) -> "SignatureStore | None":
        """The store of `data_dir` as it is, for reading only (a command's: opening it to
        write stores its version, a commit and two fsyncs, 10-30 ms); None when there is
        none or it is of another version (which the next writer makes anew)."""
        return cls.read_only_file(Path(data_dir) / FILE_NAME)

    @classmethod
    def read_only_file(cls, path: Path) -> "SignatureStore | None":
        """The store in the file `path`, for reading only (see `read_only`)."""
        path = Path(path).absolute()
        if not path.is_file():
            return None
        try:
            db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True,
                                 check_same_thread=False)
            row = db.execute("SELECT value FROM settings WHERE name = 'version'").fetchone()
        except sqlite3.Error:
            return None
        if row is None or row[0] != VERSION:
            db.close()
            return None
        return cls(path, db)

    @classmethod
    def in_memory(cls) -> "SignatureStore":
        return cls(":memory:")

    def _version(self) -> str:
        self._db.execute("CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, "
                         "value TEXT)")
        row = self._db.execute("SELECT value FROM settings WHERE name = 'version'").fetchone()
        return row[0] if row else ""

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction: the changes made inside are stored together or not at all.
        While `held`, the batches join one transaction that `commit` ends (an error in
        any rolls back all of it)."""
        if not self._held:
            with self._db:
                yield
            return
        try:
            yield
        except BaseException:
            self._db.rollback()
            raise

    def hold(self) -> None:
        """The batches from now on are one transaction, stored at `commit`."""
        self._held = True

    def commit(self) -> None:
        """The held transaction stored (its batches stored together), and batches are
        their own transactions again."""
        self._held = False
        self._db.commit()

    # -- signatures ------------------------------------------------------------------

    def stamps(self) -> dict[str, Stamp]:
        """The stamp of every signature stored (what a warm start compares: 100,000
        rows in a few tens of milliseconds, no signature made)."""
        return {r[0]: (r[1], r[2]) for r in
                self._db.execute("SELECT path, size, mtime FROM signatures")}

    def load(self) -> dict[str, tuple[Stamp, Signature]]:
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM signatures")
        return {r[0]: ((r[1], r[2]), _signature(r)) for r in rows}

    def signatures(self) -> list[Signature]:
        return [_signature(r) for r in
                self._db.execute(f"SELECT {_COLUMNS} FROM signatures ORDER BY date, path")]

    def signature(self, path: str) -> Signature | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM signatures WHERE path = ?",
                               (path,)).fetchone()
        return None if row is None else _signature(row)

    def signatures_of(self, paths: Sequence[str]) -> dict[str, Signature]:
        """The signatures stored of `paths` (those that have one), by path."""
        found = {}
        for chunk in _chunks(list(paths)):
            found.update((r[0], _signature(r)) for r in self._db.execute(
                f"SELECT {_COLUMNS} FROM signatures WHERE path IN ({_marks(chunk)})", chunk))
        return found

    def candidates(self, sig: Signature, keys: list[int], titled: bool,
                   window: float) -> list[Signature]:
        """The signatures within `window` seconds of `sig` that share a band key with
        `keys`, its exact digest or (if `titled`) its title; `sig` itself left out."""
        marks = _marks(keys)
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM signatures WHERE id IN ("
            f"SELECT id FROM bands WHERE key IN ({marks}) "
            "UNION SELECT id FROM signatures WHERE exact = ? "
            "UNION SELECT id FROM signatures WHERE title = ? AND ?) "
            "AND date BETWEEN ? AND ? AND path != ?",
            (*keys, sig.exact, sig.title, titled, sig.date - window, sig.date + window,
             sig.path))
        return [_signature(r) for r in rows]

    def put(self, stamp: Stamp, sig: Signature, keys: list[int], id_: int | None = None
            ) -> None:
        """Store `sig` (replacing its path's signature, whose bands the caller dropped
        with `delete`, under the id it had: `id_`) and its band `keys`.  Ids grow as
        signatures come, so a story's members in id order are in the order they came."""
        from reader.stories.signature import LEAD_BITS

        row = (id_, sig.path, *stamp, sig.date, sig.source, sig.exact, sig.title,
               sig.minhash, sig.shingles, sig.lead.to_bytes(LEAD_BITS // 8, "little"),
               sig.length, sig.numbers)
        cursor = self._db.execute(f"INSERT OR REPLACE INTO signatures (id, {_COLUMNS}) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        self._db.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)",
                             [(key, cursor.lastrowid) for key in keys])

    def delete(self, path: str, keys: list[int]) -> int | None:
        """Forget the signature of `path` and its band `keys`; the id it had (None: it
        had none)."""
        row = self._db.execute("SELECT id FROM signatures WHERE path = ?", (path,)).fetchone()
        if row is None:
            return None
        self._db.executemany("DELETE FROM bands WHERE key = ? AND id = ?",
                             [(key, row[0]) for key in keys])
        self._db.execute("DELETE FROM signatures WHERE id = ?", row)
        return row[0]

    # -- stories ---------------------------------------------------------------------

    def grouped(self) -> float | None:
        """The window (days) the stories stored were grouped in (None: being grouped,
        or grouped by other rules than these)."""
        row = self._db.execute("SELECT value FROM settings WHERE name = 'grouped'").fetchone()
        window, _, rules = (row[0] if row else "").partition(" rules ")
        return float(window) if row and rules == RULES else None

    def set_grouped(self, window: float | None) -> None:
        if window is None:
            self._db.execute("DELETE FROM stories")
            self._db.execute("DELETE FROM settings WHERE name = 'grouped'")
        else:
            self._db.execute("INSERT OR REPLACE INTO settings VALUES ('grouped', ?)",
                             (f"{float(window)!r} rules {RULES}",))

    def stories(self) -> dict[int, list[StoredMember]]:
        """Every story stored: its number -> (path, date, why) of each member, in the
        order they came (`members`)."""
        return self._members_in_order()

    def stories_of(self, paths: Iterable[str]) -> dict[int, list[StoredMember]]:
        """The stories stored that hold any of `paths`, as `stories` has them."""
        numbers = {row[0] for chunk in _chunks(list(paths)) for row in self._db.execute(
            f"SELECT story FROM stories WHERE path IN ({_marks(chunk)})", chunk)}
        found: dict[int, list[StoredMember]] = {}
        for chunk in _chunks(sorted(numbers)):  # (a story's members all in one chunk)
            found |= self._members_in_order(f"WHERE s.story IN ({_marks(chunk)})", chunk)
        return found

    def _members_in_order(self, where: str = "", args: Sequence = ()
                          ) -> dict[int, list[StoredMember]]:
        found: dict[int, list[StoredMember]] = {}
        for path, number, date, why in self._db.execute(
                f"SELECT s.path, s.story, s.date, s.why {_MEMBERS} {where} {_IN_ORDER}",
                args):
            found.setdefault(number, []).append((path, date, why))
        return found

    def story_of(self, path: str) -> int | None:
        row = self._db.execute("SELECT story FROM stories WHERE path = ?", (path,)).fetchone()
        return None if row is None else row[0]

    def members(self, number: int) -> list[StoredMember]:
        """The members of story `number` in the order they came (their signatures' ids:
        a tie in date goes to the one that was there first)."""
        return self._db.execute(f"SELECT s.path, s.date, s.why {_MEMBERS} WHERE s.story = ? "
                                f"{_IN_ORDER}", (number,)).fetchall()

    def new_number(self) -> int:
        return self._db.execute("SELECT coalesce(max(story), 0) + 1 FROM stories").fetchone()[0]

    def put_members(self, number: int, members: Iterable[StoredMember]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO stories VALUES (?, ?, ?, ?)",
                             [(path, number, date, why) for path, date, why in members])

    def leave(self, paths: Iterable[str]) -> None:
        self._db.executemany("DELETE FROM stories WHERE path = ?", [(p,) for p in paths])

    def close(self) -> None:
        self._db.close()


def _chunks(values: list) -> Iterator[list]:
    for start in range(0, len(values), _MARKS):
        yield values[start:start + _MARKS]


def _marks(chunk: list) -> str:
    return ", ".join("?" * len(chunk))


def _signature(row: tuple) -> Signature:
    from reader.stories.signature import Signature

    path, _, _, date, source, exact, title, minhash, shingles, lead, length, numbers = row
    return Signature(path, date, source, exact, title, minhash, shingles,
                     int.from_bytes(lead, "little"), length, numbers)


def _migrate_2(db: sqlite3.Connection) -> None:
    """A store of version 2 (signatures keyed by path, no bands) taken over as it is:
    its signatures get ids and band keys (no numbers: a pair of them is confirmed as
    version 2 confirmed it, until its files change), its stories stay (about 5 s at 100,000
    articles, mostly SQLite's, once, in the worker that opens the stories)."""
    from reader.stories.bands import band_keys

    with db:
        db.execute("ALTER TABLE signatures RENAME TO signatures_2")
        db.execute(f"CREATE TABLE signatures (id INTEGER PRIMARY KEY, {_SIGNATURE})")
        db.execute(f"INSERT INTO signatures ({_COLUMNS_2}) "  # (numbers unknown: NULL)
                   f"SELECT {_COLUMNS_2} FROM signatures_2")
        db.execute("DROP TABLE signatures_2")
        db.execute("CREATE TABLE bands (key INTEGER, id INTEGER, PRIMARY KEY (key, id)) "
                   "WITHOUT ROWID")
        rows = db.execute("SELECT id, minhash FROM signatures WHERE shingles > 0")
        db.execute("CREATE TEMP TABLE keyed (key INTEGER, id INTEGER)")
        db.executemany("INSERT INTO keyed VALUES (?, ?)", ((key, id_) for id_, minhash
                                                           in rows.fetchall()
                                                           for key in band_keys(minhash)))
        # (SQLite sorts them, and a B-tree filled in order is filled fast)
        db.execute("INSERT OR IGNORE INTO bands SELECT key, id FROM keyed ORDER BY key, id")
        db.execute("DROP TABLE keyed")
