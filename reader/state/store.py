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
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Union

from reader.archive.model import Article
from reader.state import transfer
from reader.state.model import READ, STAR, BulkChange, ImportReport, Mark, us_to_datetime
from reader.state.schema import StateError, _is_busy, connect, move_aside, open_checked
from reader.state.schema import DamagedStateError

UNDO_DEPTH = 10
_COLUMNS = {READ: ("read", "read_at"), STAR: ("starred", "star_at")}

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
        column = _COLUMNS[field][0]
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
            _upsert(con, STAR, [(path, title, link)], starred, self._now())
        return starred

    def undo(self) -> int:
        """Undo the last bulk change; returns how many articles it restored (0: nothing to undo)."""
        with self._writing() as con:
            row = con.execute("SELECT id FROM bulk_changes ORDER BY id DESC LIMIT 1").fetchone()
            if row is None:
                return 0
            restored = _restore(con, row[0], self._now())
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
            _stage(con, rows)
            change_id = _log_bulk(con, field, value, now, label) if undoable else None
            changed = _upsert_staged(con, field, value, now)
            if change_id is not None:
                _finish_log(con, change_id, changed)
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
        entries = transfer.parse_document(data)
        known = _lookup(articles)
        with self._writing() as con:
            local = {r[0]: r[1:] for r in con.execute(
                "SELECT path, read, read_at, starred, star_at FROM marks")}
            plan = transfer.plan_import(entries, local, known)
            if plan.updates:
                _apply_import(con, plan.updates, self._now(), len(entries))
        return plan.report

    # -- connections --------------------------------------------------------------

    def _now(self) -> int:
        """Microseconds since the epoch, strictly increasing within this store."""
        with self._lock:
            self._last_us = max(time.time_ns() // 1000, self._last_us + 1)
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
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StateError(f"the state file {self.path} stayed locked by another "
                                 f"newsreader for too long: {exc}") from exc
            raise StateError(f"the state file {self.path} cannot be used: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StateError(f"the state file {self.path} cannot be used ({exc}); restart "
                             "newsreader to check it") from exc


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


def _stage(con: sqlite3.Connection, rows: list[tuple]) -> None:
    con.execute("CREATE TEMP TABLE IF NOT EXISTS staged "
                "(path TEXT PRIMARY KEY, title TEXT, link TEXT) WITHOUT ROWID")
    con.execute("DELETE FROM temp.staged")
    con.executemany("INSERT INTO temp.staged VALUES (?, ?, ?)", rows)


def _log_bulk(con: sqlite3.Connection, field: int, value: bool, now: int, label: str) -> int:
    column, column_at = _COLUMNS[field]
    change_id = con.execute("INSERT INTO bulk_changes (at, label, count) VALUES (?, ?, 0)",
                            (now, label)).lastrowid
    con.execute(
        f"INSERT INTO bulk_items (change_id, path, field, prev, prev_at, new_at) "
        f"SELECT ?, s.path, ?, coalesce(m.{column}, 0), m.{column_at}, ? "
        f"FROM temp.staged s LEFT JOIN marks m ON m.path = s.path "
        f"WHERE coalesce(m.{column}, 0) != ?", (change_id, field, now, int(value)))
    return change_id


def _finish_log(con: sqlite3.Connection, change_id: int, changed: int) -> None:
    if changed == 0:
        con.execute("DELETE FROM bulk_changes WHERE id = ?", (change_id,))
        return
    con.execute("UPDATE bulk_changes SET count = ? WHERE id = ?", (changed, change_id))
    _trim_log(con)


def _trim_log(con: sqlite3.Connection) -> None:
    """Keep the last UNDO_DEPTH bulk changes (their items go with them)."""
    con.execute("DELETE FROM bulk_changes WHERE id NOT IN "
                "(SELECT id FROM bulk_changes ORDER BY id DESC LIMIT ?)", (UNDO_DEPTH,))


def _upsert_staged(con: sqlite3.Connection, field: int, value: bool, now: int) -> int:
    """Set `field` to `value` for the staged paths where it differs; returns how many."""
    column, column_at = _COLUMNS[field]
    cursor = con.execute(
        f"INSERT INTO marks (path, {column}, {column_at}, title, link) "
        f"SELECT s.path, ?, ?, s.title, s.link FROM temp.staged s "
        f"LEFT JOIN marks m ON m.path = s.path WHERE coalesce(m.{column}, 0) != ? "
        f"ON CONFLICT (path) DO UPDATE SET {column} = excluded.{column}, "
        f"{column_at} = excluded.{column_at}, title = coalesce(excluded.title, marks.title), "
        f"link = coalesce(excluded.link, marks.link)", (int(value), now, int(value)))
    return cursor.rowcount


def _upsert(con: sqlite3.Connection, field: int, rows: list[tuple], value: bool, now: int) -> None:
    column, column_at = _COLUMNS[field]
    con.executemany(
        f"INSERT INTO marks (path, {column}, {column_at}, title, link) VALUES (?, ?, ?, ?, ?) "
        f"ON CONFLICT (path) DO UPDATE SET {column} = excluded.{column}, "
        f"{column_at} = excluded.{column_at}, title = coalesce(excluded.title, marks.title), "
        f"link = coalesce(excluded.link, marks.link)",
        [(path, int(value), now, title, link) for path, title, link in rows])


def _restore(con: sqlite3.Connection, change_id: int, now: int) -> int:
    """Put back what bulk change `change_id` replaced, where nothing changed since."""
    untouched = ("b.change_id = ? AND b.path = marks.path AND "
                 "((b.field = 0 AND marks.read_at = b.new_at) OR "
                 "(b.field = 1 AND marks.star_at = b.new_at))")
    restored = con.execute(f"SELECT count(DISTINCT marks.path) FROM bulk_items b JOIN marks "
                           f"ON {untouched}", (change_id,)).fetchone()[0]
    for field, (column, column_at) in _COLUMNS.items():
        con.execute(f"UPDATE marks SET {column} = b.prev, {column_at} = ? FROM bulk_items b "
                    f"WHERE b.change_id = ? AND b.field = ? AND b.path = marks.path "
                    f"AND marks.{column_at} = b.new_at", (now, change_id, field))
    return restored


def _apply_import(con: sqlite3.Connection, updates: list[transfer.Update], now: int,
                  entries: int) -> None:
    """Write an import's winning fields, logged as one bulk change."""
    change_id = con.execute("INSERT INTO bulk_changes (at, label, count) VALUES (?, ?, ?)",
                            (now, f"import of {entries} entries", len(updates))).lastrowid
    for field, (column, column_at) in _COLUMNS.items():
        winners = [(u.path, u.title, u.link) + u.fields[field]
                   for u in updates if field in u.fields]
        con.executemany(
            f"INSERT INTO marks (path, {column}, {column_at}, title, link) "
            f"VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
            f"{column} = excluded.{column}, {column_at} = excluded.{column_at}, "
            f"title = coalesce(marks.title, excluded.title), "
            f"link = coalesce(marks.link, excluded.link)",
            [(path, int(value), at, title, link)
             for path, title, link, value, at, _, _ in winners])
        con.executemany(
            "INSERT INTO bulk_items (change_id, path, field, prev, prev_at, new_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(change_id, path, field, int(prev), prev_at, at)
             for path, _, _, _, at, prev, prev_at in winners])
    _trim_log(con)


__all__ = ["StateStore", "StateError", "DamagedStateError", "UNDO_DEPTH", "move_aside"]
