"""The metadata cache: every article's record with the size and mtime it was read at.

Opening an unchanged archive of 100,000 articles reads this one SQLite file
and parses no article.  A cache that is corrupt or of an older schema is
rebuilt (it holds nothing that the archive itself does not).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Iterable

from reader.archive.model import Article, Problem

SCHEMA_VERSION = 3
_SEP = "\x1f"
_COLUMNS = (
    "path, fs_path, size, mtime_ns, title, date, summary, categories, tags, lang,"
    " translations, thumbnail, link, source, mtime, problem"
)
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles ({_COLUMNS}, PRIMARY KEY (path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS unreadable (path PRIMARY KEY, fs_path, size, mtime_ns, reason)
    WITHOUT ROWID;
PRAGMA user_version = {SCHEMA_VERSION};
"""


class MetadataCache:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.notice = ""  # set when a damaged cache was rebuilt
        self._db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = self._open()
        except sqlite3.DatabaseError as exc:
            self.notice = f"metadata cache was damaged ({exc}); rebuilt from the archive"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            db = self._open()
        return db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                db.executescript("DROP TABLE IF EXISTS articles; DROP TABLE IF EXISTS unreadable;")
            db.executescript(_SCHEMA)
            db.execute("SELECT count(*) FROM articles").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        self._db.close()

    def stamps(self) -> dict[str, tuple[int, int]]:
        """path -> (size, mtime_ns) of every cached file, readable or not."""
        rows = self._db.execute(
            "SELECT path, size, mtime_ns FROM articles UNION ALL "
            "SELECT path, size, mtime_ns FROM unreadable"
        )
        return {path: (size, mtime) for path, size, mtime in rows}

    def articles(self) -> list[Article]:
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM articles")
        return [_article(row) for row in rows]

    def problems(self) -> list[Problem]:
        rows = self._db.execute(
            "SELECT path, problem FROM articles WHERE problem != '' UNION ALL "
            "SELECT path, reason FROM unreadable ORDER BY 1"
        )
        return [Problem(path, reason) for path, reason in rows]

    def fs_path(self, path: str) -> str | None:
        row = self._db.execute("SELECT fs_path FROM articles WHERE path = ?", (path,)).fetchone()
        return os.fsdecode(row[0]) if row else None

    def store(self, found: Iterable[tuple[Article, str, int]], unreadable: Iterable[tuple]) -> None:
        """Upsert (article, fs_path, mtime_ns) records and (path, fs_path, size, mtime_ns, reason)."""
        with self._db:
            self._db.executemany(
                f"INSERT OR REPLACE INTO articles ({_COLUMNS}) VALUES ({','.join('?' * 16)})",
                (_row(article, fs_path, mtime_ns) for article, fs_path, mtime_ns in found),
            )
            rows = [(r[0], os.fsencode(r[1]), *r[2:]) for r in unreadable]
            self._db.executemany("DELETE FROM articles WHERE path = ?", ((r[0],) for r in rows))
            self._db.executemany("INSERT OR REPLACE INTO unreadable VALUES (?,?,?,?,?)", rows)

    def forget(self, paths: Iterable[str]) -> None:
        keys = [(p,) for p in paths]
        with self._db:
            self._db.executemany("DELETE FROM articles WHERE path = ?", keys)
            self._db.executemany("DELETE FROM unreadable WHERE path = ?", keys)


def _row(a: Article, fs_path: str, mtime_ns: int) -> tuple:
    return (
        a.path, os.fsencode(fs_path), a.size, mtime_ns, a.title, a.date.isoformat(), a.summary,
        _SEP.join(a.categories), _SEP.join(a.tags), a.lang, _SEP.join(a.translations),
        a.thumbnail, a.link, a.source, a.mtime, a.problem,
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
