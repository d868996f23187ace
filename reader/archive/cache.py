"""The metadata cache: every article's record with the size and mtime it was read at.

Opening an unchanged archive of 100,000 articles reads this one SQLite file
and parses no article.  A cache that is corrupt or of an older schema is
rebuilt (it holds nothing that the archive itself does not).

It is also the one ledger of what the search index holds: `indexed` is the
mtime an article was indexed at (NULL: not indexed; a record stored anew by
a scan starts NULL), `index_removals` the paths forgotten here but still to
delete from the index, and the setting `index_ledger` names the index this
ledger describes (the index manifest records the same name; a rebuilt cache
no longer matches, and the index is rebuilt with it).  What needs indexing
is one query on a partial index: its cost is the number of such articles.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import datetime
from pathlib import Path
from typing import Iterable

from reader.archive.model import Article, Problem

SCHEMA_VERSION = 5  # 5: front matter fields capped (title, tags, ...)
_SEP = "\x1f"
_CHUNK = 1000
_NEWEST_FIRST = "ORDER BY ts DESC, path"
_COLUMNS = (
    "path, fs_path, size, mtime_ns, title, date, summary, categories, tags, lang,"
    " translations, thumbnail, link, source, mtime, problem"
)
# `ts` (seconds since the epoch, UTC) orders articles by date in SQL: the newest page
# is read without loading the whole archive.
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles ({_COLUMNS}, ts REAL, PRIMARY KEY (path)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS articles_by_ts ON articles (ts DESC);
CREATE TABLE IF NOT EXISTS settings (name PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS unreadable (path PRIMARY KEY, fs_path, size, mtime_ns, reason)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS index_removals (path PRIMARY KEY) WITHOUT ROWID;
PRAGMA user_version = {SCHEMA_VERSION};
"""
# added to a cache of this schema without a rebuild (a bump would re-parse every file)
_LEDGER = """
ALTER TABLE articles ADD COLUMN indexed REAL;
"""
_TO_INDEX = "indexed IS NOT mtime"
_LEDGER_INDEX = f"CREATE INDEX IF NOT EXISTS articles_to_index ON articles (path) WHERE {_TO_INDEX}"


_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


class MetadataCache:
    """Thread-safe: one connection, one lock (a scan worker writes while the UI reads)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.notice = ""  # set when a damaged cache was rebuilt or the data dir is read-only
        self._lock = threading.RLock()
        self._db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self._open(self.path)
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) not in _CORRUPT_CODES:
                return self._in_memory(exc)
            self.notice = f"metadata cache was damaged ({exc}); rebuilt from the archive"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return self._open(self.path)
        except OSError as exc:
            return self._in_memory(exc)

    def _in_memory(self, exc: Exception) -> sqlite3.Connection:
        """A data dir that can't be written: work from memory, and say so."""
        reason = getattr(exc, "strerror", None) or exc
        self.notice = (f"cannot write the metadata cache in {self.path.parent} ({reason}): "
                       "working without a cache this time")
        return self._open(":memory:")

    def _open(self, target) -> sqlite3.Connection:
        db = sqlite3.connect(target, timeout=30, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                db.executescript("DROP TABLE IF EXISTS articles; DROP TABLE IF EXISTS unreadable;"
                             "DROP TABLE IF EXISTS index_removals;")
            db.executescript(_SCHEMA)
            if "indexed" not in {row[1] for row in db.execute("PRAGMA table_info(articles)")}:
                db.executescript(_LEDGER)
            db.execute(_LEDGER_INDEX)
            db.execute("SELECT 1 FROM articles LIMIT 1").fetchone()  # readable (not a count:
            # that read every row, 10 ms of a CLI search at 100k and 30 ms at 1M)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def stamps(self) -> dict[str, tuple[int, int]]:
        """path -> (size, mtime_ns) of every cached file, readable or not."""
        rows = self._query(
            "SELECT path, size, mtime_ns FROM articles UNION ALL "
            "SELECT path, size, mtime_ns FROM unreadable"
        )
        return {path: (size, mtime) for path, size, mtime in rows}

    def articles(self, cancel: threading.Event | None = None) -> list[Article]:
        """Every cached record, in path order (the table's own: reading it in date order
        through the ts index costs half a second more at 100k), read in chunks: one
        fetchall() of 100,000 rows would hold the GIL for a third of a second and stall
        the UI thread meanwhile.  Once `cancel` is set (a quit, which closes the cache
        and waits for its lock), only the chunks read so far."""
        out: list[Article] = []
        stopped = cancel.is_set if cancel is not None else bool
        with self._lock:
            cursor = self._db.execute(f"SELECT {_COLUMNS} FROM articles ORDER BY path")
            while not stopped() and (rows := cursor.fetchmany(_CHUNK)):
                out.extend(_article(row) for row in rows)
        return out

    def newest(self, limit: int) -> list[Article]:
        """The `limit` newest articles, newest first: a first screen before the full load."""
        rows = self._query(f"SELECT {_COLUMNS} FROM articles {_NEWEST_FIRST} LIMIT ?", (limit,))
        return [_article(row) for row in rows]

    def articles_since(self, ts: float) -> list[Article]:
        """The articles dated at or after `ts` (seconds since the epoch), newest first:
        the last days' records without the archive's (a range of the ts index)."""
        rows = self._query(f"SELECT {_COLUMNS} FROM articles WHERE ts >= ? {_NEWEST_FIRST}",
                           (ts,))
        return [_article(row) for row in rows]

    def dates_of(self, paths: Iterable[str]) -> dict[str, float]:
        """path -> ts of those of `paths` that are cached articles (their dates, without
        their records)."""
        out: dict[str, float] = {}
        for chunk in _chunks(paths):
            out.update(self._query(
                f"SELECT path, ts FROM articles WHERE path IN ({_marks(chunk)})", chunk))
        return out

    def article(self, path: str) -> Article | None:
        rows = self._query(f"SELECT {_COLUMNS} FROM articles WHERE path = ?", (path,))
        return _article(rows[0]) if rows else None

    def count(self) -> int:
        return self._query("SELECT count(*) FROM articles")[0][0]

    def holds_more_than(self, n: int) -> bool:
        """Whether more than `n` articles are cached: `n` rows stepped over, where `count`
        reads them all (30 ms at 1,000,000)."""
        return bool(self._query("SELECT 1 FROM articles LIMIT 1 OFFSET ?", (n,)))

    def problems(self) -> list[Problem]:
        rows = self._query(
            "SELECT path, problem FROM articles WHERE problem != '' UNION ALL "
            "SELECT path, reason FROM unreadable ORDER BY 1"
        )
        return [Problem(path, reason) for path, reason in rows]

    def fs_path(self, path: str) -> str | None:
        rows = self._query("SELECT fs_path FROM articles WHERE path = ?", (path,))
        return os.fsdecode(rows[0][0]) if rows else None

    def setting(self, name: str) -> str | None:
        row = self._query("SELECT value FROM settings WHERE name = ?", (name,))
        return row[0][0] if row else None

    def set_setting(self, name: str, value: str | None) -> None:
        """Store (None: remove) one named value, e.g. the folder stamps of the last scan."""
        with self._lock, self._db:
            if value is None:
                self._db.execute("DELETE FROM settings WHERE name = ?", (name,))
            else:
                self._db.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (name, value))

    # The index ledger (see the module's docstring); the index writer marks it after each
    # commit, so a crash in between only costs indexing that batch again.

    def index_ledger(self) -> str:
        """The name of the index this ledger describes ("" if none)."""
        row = self._query("SELECT value FROM settings WHERE name = 'index_ledger'")
        return row[0][0] if row else ""

    def to_index(self) -> list[tuple[str, str]]:
        """(path, name on disk) of every article not indexed as it is now."""
        rows = self._query(f"SELECT path, fs_path FROM articles WHERE {_TO_INDEX}")
        return [(path, os.fsdecode(fs)) for path, fs in rows]

    def anything_to_index(self) -> bool:
        """Whether an article is not indexed as it is now, or a path is to leave the index
        (two reads of one row at most)."""
        return bool(self._query(f"SELECT 1 FROM articles WHERE {_TO_INDEX} LIMIT 1")
                    or self._query("SELECT 1 FROM index_removals LIMIT 1"))

    def to_unindex(self) -> list[str]:
        """Paths forgotten here that the index may still hold."""
        return [row[0] for row in self._query("SELECT path FROM index_removals")]

    def mark_indexed(self, indexed: Iterable[tuple[str, float]], removed: Iterable[str]) -> None:
        """Record (path, mtime) pairs as indexed and `removed` as deleted from the index."""
        with self._lock, self._db:
            self._db.executemany("UPDATE articles SET indexed = ? WHERE path = ?",
                                 ((mtime, path) for path, mtime in indexed))
            self._db.executemany("DELETE FROM index_removals WHERE path = ?",
                                 ((p,) for p in removed))

    def reset_ledger(self, name: str, stamps: dict[str, tuple[int, float]] | None = None
                     ) -> None:
        """Start the ledger of the index `name`: nothing indexed, or what `stamps` (path ->
        (size, mtime), an older index manifest's) say; stamped paths this cache does not
        know are queued for removal."""
        stamps = stamps or {}
        with self._lock, self._db:
            self._db.execute("UPDATE articles SET indexed = NULL WHERE indexed IS NOT NULL")
            self._db.execute("DELETE FROM index_removals")
            self._db.executemany(
                "UPDATE articles SET indexed = ? WHERE path = ? AND size = ?",
                ((mtime, path, size) for path, (size, mtime) in stamps.items()))
            self._db.executemany(
                "INSERT OR IGNORE INTO index_removals SELECT ? WHERE NOT EXISTS "
                "(SELECT 1 FROM articles WHERE path = ?)", ((p, p) for p in stamps))
            self._db.execute("INSERT OR REPLACE INTO settings VALUES ('index_ledger', ?)",
                             (name,))

    def clear_indexed(self) -> None:
        """Every article to be indexed again (e.g. its date moved with the time zone)."""
        with self._lock, self._db:
            self._db.execute("UPDATE articles SET indexed = NULL WHERE indexed IS NOT NULL")

    def store(self, found: Iterable[tuple[Article, str, int]], unreadable: Iterable[tuple]) -> None:
        """Upsert (article, fs_path, mtime_ns) records and (path, fs_path, size, mtime_ns, reason)."""
        found = list(found)
        with self._lock, self._db:
            self._db.executemany(
                f"INSERT OR REPLACE INTO articles ({_COLUMNS}, ts) VALUES ({','.join('?' * 17)})",
                (_row(article, fs_path, mtime_ns) for article, fs_path, mtime_ns in found),
            )  # a file that was unreadable before and reads now is no longer a problem:
            keys = [(article.path,) for article, _, _ in found]
            self._db.executemany("DELETE FROM unreadable WHERE path = ?", keys)
            self._db.executemany("DELETE FROM index_removals WHERE path = ?", keys)  # the new
            rows = [(r[0], os.fsencode(r[1]), *r[2:]) for r in unreadable]  # record replaces
            self._forget_articles([(r[0],) for r in rows])  # the indexed one
            self._db.executemany("INSERT OR REPLACE INTO unreadable VALUES (?,?,?,?,?)", rows)

    def set_timezone(self, name: str) -> bool:
        """Record the default zone the records were parsed in.  When it changed, every
        record is marked stale (the next scan parses every file again: a date that names
        no zone moves with the default) and True is returned.  A cache from before
        zones were recorded is taken to match."""
        try:
            with self._lock, self._db:
                row = self._db.execute("SELECT value FROM settings WHERE name = 'timezone'"
                                       ).fetchone()
                if row is not None and row[0] == name:
                    return False
                self._db.execute("INSERT OR REPLACE INTO settings VALUES ('timezone', ?)",
                                 (name,))
                if row is None:
                    return False
                self._db.execute("UPDATE articles SET mtime_ns = -1")
                self._db.execute("UPDATE unreadable SET mtime_ns = -1")
                return True
        except sqlite3.OperationalError:  # a read-only cache: the scan cannot store either
            return False

    # What a scan of a few paths needs, without reading every row (scan_paths, watch).
    # Each record: path -> (size, mtime_ns, fs_path, readable).

    def known_of(self, paths: Iterable[str]) -> dict[str, tuple[int, int, str, bool]]:
        """The records of those of `paths` the cache knows, readable or not."""
        paths, out = list(paths), {}
        for start in range(0, len(paths), _CHUNK // 2):
            chunk = tuple(paths[start:start + _CHUNK // 2])
            marks = ",".join("?" * len(chunk))
            out.update(self._known(f"path IN ({marks})", chunk))
        return out

    def known_under(self, folder: str) -> dict[str, tuple[int, int, str, bool]]:
        """The records of every cached path below `folder` (an id, without a slash at the
        end): a range of the primary key, so as cheap as the folder is small."""
        # '0' is the character after '/'
        return self._known("path >= ? AND path < ?", (f"{folder}/", f"{folder}0"))

    def _known(self, where: str, params: tuple) -> dict[str, tuple[int, int, str, bool]]:
        rows = self._query(
            f"SELECT path, size, mtime_ns, fs_path, 1 FROM articles WHERE {where} UNION ALL "
            f"SELECT path, size, mtime_ns, fs_path, 0 FROM unreadable WHERE {where}",
            params + params)
        return {path: (size, mtime, os.fsdecode(fs), bool(ok))
                for path, size, mtime, fs, ok in rows}

    def _forget_articles(self, keys: list[tuple[str]]) -> None:
        """Drop records, queueing their removal from the index (whether or not it holds them:
        a record stored anew since it was indexed has lost its stamp)."""
        self._db.executemany("DELETE FROM articles WHERE path = ?", keys)
        self._db.executemany("INSERT OR IGNORE INTO index_removals VALUES (?)", keys)

    def forget(self, paths: Iterable[str]) -> None:
        keys = [(p,) for p in paths]
        with self._lock, self._db:
            self._forget_articles(keys)
            self._db.executemany("DELETE FROM unreadable WHERE path = ?", keys)

    # What a consumer keeping its own copy (the reader's catalog, `newsreader watch`)
    # reconciles with (reader/archive/reconcile.py): each article's stamp, (size, mtime)
    # as its Article carries them, then the full records of those that differ.

    def article_stamps(self, paths: Iterable[str] | None = None, folders: Iterable[str] = ()
                       ) -> dict[str, tuple[int, float]]:
        """path -> (size, mtime) of every article (`paths` None), or of those of `paths`
        and those below `folders` (ids, without a slash at the end)."""
        if paths is None:
            return self._stamps("1", ())
        out: dict[str, tuple[int, float]] = {}
        for chunk in _chunks(paths):
            out.update(self._stamps(f"path IN ({_marks(chunk)})", chunk))
        for folder in folders:  # '0' is the character after '/'
            out.update(self._stamps("path >= ? AND path < ?", (f"{folder}/", f"{folder}0")))
        return out

    def _stamps(self, where: str, params: tuple) -> dict[str, tuple[int, float]]:
        rows = self._query(f"SELECT path, size, mtime FROM articles WHERE {where}", params)
        return {path: (size, mtime) for path, size, mtime in rows}

    def stamp_rows(self) -> list[tuple[str, int, float]]:
        """(path, size, mtime) of every article, as SQLite hands them (no loop in Python:
        a whole-archive reconcile compares them as sets)."""
        return self._query("SELECT path, size, mtime FROM articles")

    def articles_of(self, paths: Iterable[str]) -> list[Article]:
        """The records of those of `paths` that are cached articles."""
        out: list[Article] = []
        for chunk in _chunks(paths):
            out += map(_article, self._query(
                f"SELECT {_COLUMNS} FROM articles WHERE path IN ({_marks(chunk)})", chunk))
        return out

    def to_index_of(self, paths: Iterable[str]) -> dict[str, str]:
        """path -> name on disk of those of `paths` not indexed as they are now (another
        newsreader on this data dir may have indexed the others already)."""
        out: dict[str, str] = {}
        for chunk in _chunks(paths):
            out.update((path, os.fsdecode(fs)) for path, fs in self._query(
                f"SELECT path, fs_path FROM articles WHERE {_TO_INDEX} AND path IN "
                f"({_marks(chunk)})", chunk))
        return out

def _chunks(paths: Iterable[str]) -> Iterable[tuple[str, ...]]:
    """`paths` in tuples small enough for one statement's parameters."""
    paths = list(paths)
    return (tuple(paths[start:start + _CHUNK]) for start in range(0, len(paths), _CHUNK))


def _marks(chunk: tuple) -> str:
    return ",".join("?" * len(chunk))

def _row(a: Article, fs_path: str, mtime_ns: int) -> tuple:
    return (
        a.path, os.fsencode(fs_path), a.size, mtime_ns, a.title, a.date.isoformat(), a.summary,
        _SEP.join(a.categories), _SEP.join(a.tags), a.lang, _SEP.join(a.translations),
        a.thumbnail, a.link, a.source, a.mtime, a.problem, a.date.timestamp(),
    )


def _split(value: str) -> tuple[str, ...]:
    return tuple(value.split(_SEP)) if value else ()


def _article(row: tuple) -> Article:
    (path, _fs, size, _mt, title, date, summary, cats, tags, lang, trans,
     thumb, link, source, mtime, problem) = row
    return Article(
        path, title, datetime.fromisoformat(date), summary, _split(cats), _split(tags), lang,
        _split(trans), thumb, link, source, size, mtime, problem,
    )
