"""The read/starred store of one archive: every mark is committed the moment it is made.

Keyed by `Article.path` (the relative POSIX path inside the archive), so the
marks outlive a moved archive folder, a rebuilt cache or index, and two files
with the same title or link never share state.

Writes run in `BEGIN IMMEDIATE` transactions and commit at once, so a second
process (another reader, `newsreader search`) waits its turn instead of losing
an update or failing with "database is locked".  The store is thread-safe: a
small pool hands each call its own connection.

Undo: a change of more than one article (or any change made with
`undoable=True`) is a *bulk change*; the log keeps the last `UNDO_DEPTH` of
them in the file, so `undo()` works after a restart.  Undo puts back only the
articles that nothing changed since, and stamps them with the time of the undo.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Union

from reader.archive.model import Article
from reader.state import transfer, writes
from reader.state.model import (READ, STAR, BulkChange, ImportReport, Mark, now_us,
                                us_to_datetime)
from reader.state.errors import DamagedStateError, StateError, kind_of, refusal
from reader.state.schema import connect, open_checked
from reader.state.writes import COLUMNS, UNDO_DEPTH

PathsOrArticles = Iterable[Union[str, Article]]
ArticleLookup = Union[Mapping[str, Article], Iterable[Article], None]


class StateStore:
    """Read/unread and starred marks of one archive's articles, in one SQLite file."""

    def __init__(self, path: Path, first: sqlite3.Connection, notice: str | None = None) -> None:
        self.path = path
        self.notice = notice  # set when open(recover=True) had to start afresh
        self._lock = threading.Lock()
        self._free: list[sqlite3.Connection] = [first]
        self._all: list[sqlite3.Connection] = [first]
        self._closed = False
        self._last_us = 0

    @classmethod
    def open(cls, path: str | Path, recover: bool = False) -> "StateStore":
        """Open the state file, creating it if absent.

        A damaged file is moved aside and `DamagedStateError` (a `StateError`)
        names where it was kept.  With `recover=True` a fresh store is started
        instead and `store.notice` carries that same message for the user.
        """
        path = Path(path)
        try:
            return cls(path, open_checked(path))
        except DamagedStateError as exc:
            if not recover:
                raise
            return cls(path, open_checked(path), notice=str(exc))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for con in self._all:
                con.close()
            self._all.clear()
            self._free.clear()

    def __enter__(self) -> "StateStore":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------

    def is_read(self, path: str) -> bool:
        return self._flag(READ, path)

    def is_starred(self, path: str) -> bool:
        return self._flag(STAR, path)

    def read_set(self) -> set[str]:
        with self._reading() as con:
            return {row[0] for row in con.execute("SELECT path FROM marks WHERE read = 1")}

    def starred_set(self) -> set[str]:
        with self._reading() as con:
            return {row[0] for row in con.execute("SELECT path FROM marks WHERE starred = 1")}

    def mark(self, path: str) -> Mark:
        """The article's state and when each part last changed (all unset if never marked)."""
        with self._reading() as con:
            row = con.execute("SELECT read, read_at, starred, star_at, title, link FROM marks "
                              "WHERE path = ?", (path,)).fetchone()
        if row is None:
            return Mark(path)
        return Mark(path, bool(row[0]), us_to_datetime(row[1]), bool(row[2]),
                    us_to_datetime(row[3]), row[4] or "", row[5] or "")

    def last_bulk_change(self) -> BulkChange | None:
        """What `undo()` would undo now, if anything."""
        with self._reading() as con:
            row = con.execute("SELECT id, at, label, count FROM bulk_changes "
                              "ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else BulkChange(row[0], us_to_datetime(row[1]), row[2], row[3])

    def _flag(self, field: int, path: str) -> bool:
        column = COLUMNS[field][0]
        with self._reading() as con:
            row = con.execute(f"SELECT {column} FROM marks WHERE path = ?", (path,)).fetchone()
        return bool(row and row[0])

    # -- writing ------------------------------------------------------------------

    def mark_read(self, paths: PathsOrArticles, read: bool = True, articles: ArticleLookup = None,
                  *, undoable: bool | None = None, label: str = "") -> int:
        """Mark articles read (or unread) in one transaction; returns how many changed.

        `paths` holds paths or `Article`s; `articles` (a path->Article mapping or
        articles) supplies titles and links to keep beside the marks.  Undoable
        when more than one path is given, unless `undoable` says otherwise.
        """
        return self._bulk(READ, paths, read, articles, undoable, label or _label(READ, read))

    def mark_starred(self, paths: PathsOrArticles, starred: bool = True,
                     articles: ArticleLookup = None, *, undoable: bool | None = None,
                     label: str = "") -> int:
        """Star (or unstar) articles in one transaction; returns how many changed."""
        return self._bulk(STAR, paths, starred, articles, undoable, label or _label(STAR, starred))

    def set_starred(self, path: str, starred: bool, article: Article | None = None) -> bool:
        """Star or unstar one article; True when that changed it."""
        items = [article] if article is not None else [path]
        return self._bulk(STAR, items, starred, None, False, "") == 1

    def toggle_star(self, path: str, article: Article | None = None) -> bool:
        """Flip the article's star in one transaction; returns the new state."""
        with self._writing() as con:
            row = con.execute("SELECT starred FROM marks WHERE path = ?", (path,)).fetchone()
            starred = not (row and row[0])
            title, link = (article.title, article.link) if article else (None, None)
            writes.upsert(con, STAR, [(path, title, link)], starred, self._now())
        return starred

    def undo(self) -> int:
        """Undo the last bulk change; returns how many articles it restored (0: nothing to undo)."""
        with self._writing() as con:
            row = con.execute("SELECT id FROM bulk_changes ORDER BY id DESC LIMIT 1").fetchone()
            if row is None:
                return 0
            restored = writes.restore(con, row[0], self._now())
            con.execute("DELETE FROM bulk_changes WHERE id = ?", row)
        return restored

    def _bulk(self, field: int, paths: PathsOrArticles, value: bool, articles: ArticleLookup,
              undoable: bool | None, label: str) -> int:
        rows = _rows(paths, articles)
        if not rows:
            return 0
        if undoable is None:
            undoable = len(rows) > 1
        with self._writing() as con:
            now = self._now()
            writes.stage(con, rows)
            change_id = writes.log_bulk(con, field, value, now, label) if undoable else None
            changed = writes.upsert_staged(con, field, value, now)
            if change_id is not None:
                writes.finish_log(con, change_id, changed)
        return changed

    # -- transfer -----------------------------------------------------------------

    def export_state(self, articles: ArticleLookup = None) -> dict:
        """The whole state as the documented JSON document (docs/state-format.md)."""
        with self._reading() as con:
            rows = con.execute("SELECT path, read, read_at, starred, star_at, title, link "
                               "FROM marks ORDER BY path").fetchall()
        return transfer.build_document(rows, _lookup(articles))

    def import_state(self, data: dict, articles: ArticleLookup = None) -> ImportReport:
        """Merge an exported document, the newer change winning per article and field.

        Raises `transfer.TransferError` (a `StateError`) for a malformed document,
        before anything is written.  The import is one undoable bulk change.
        """
        now = now_us()
        entries = transfer.parse_document(data, now)
        known = None if articles is None else _lookup(articles)
        with self._writing() as con:
            local = {r[0]: r[1:] for r in con.execute(
                "SELECT path, read, read_at, starred, star_at FROM marks")}
            plan = transfer.plan_import(entries, local, known, now)
            if plan.updates:
                writes.apply_import(con, plan.updates, self._now(), len(entries))
        return plan.report

    # -- connections --------------------------------------------------------------

    def _now(self) -> int:
        """Microseconds since the epoch, strictly increasing within this store."""
        with self._lock:
            self._last_us = max(now_us(), self._last_us + 1)
            return self._last_us

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
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as con, self._translated():
            yield con

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One `BEGIN IMMEDIATE` transaction, committed on leaving, rolled back on error."""
        with self._connection() as con, self._translated():
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                if con.in_transaction:  # SQLite may have rolled back already (a full disk)
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

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


def _label(field: int, value: bool) -> str:
    if field == READ:
        return "mark read" if value else "mark unread"
    return "star" if value else "unstar"


def _lookup(articles: ArticleLookup) -> Mapping[str, Article]:
    if articles is None:
        return {}
    if isinstance(articles, Mapping):
        return articles
    return {a.path: a for a in articles}


def _rows(paths: PathsOrArticles, articles: ArticleLookup) -> list[tuple[str, str | None, str | None]]:
    """(path, title, link) for each distinct path, titles and links where known."""
    known = _lookup(articles)
    rows: dict[str, tuple[str, str | None, str | None]] = {}
    for item in paths:
        article = item if isinstance(item, Article) else known.get(item)
        path = item.path if isinstance(item, Article) else item
        if article is None:
            rows[path] = (path, None, None)
        else:
            rows[path] = (path, article.title, article.link)
    return list(rows.values())


__all__ = ["StateStore", "StateError", "DamagedStateError", "UNDO_DEPTH"]
