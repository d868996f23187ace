"""The read/starred store of one archive: every mark is committed the moment it is made.

Keyed by `Article.path` (the relative POSIX path inside the archive), so the
marks outlive a moved archive folder, a rebuilt cache or index, and two files
with the same title or link never share state.

Writes run in `BEGIN IMMEDIATE` transactions and commit at once, so a second
process (another reader, `newsreader search`) waits its turn instead of losing
an update or failing with "database is locked".  The store is thread-safe: a
small pool hands each call its own connection (pool.py).

A caller that shows a change before the database has it (the reader, whose writes
wait in a queue) first `acknowledge_*`s it: the change is kept in a journal,
fsynced, so a `kill -9` while the write waits for another process's lock loses
nothing shown; `save()` writes it later.  Journals of processes that died are
replayed at the next open (journal.py, pending.py).

Undo: a change of more than one article (or any change made with
`undoable=True`; the reader makes every change so) is one *step* of the undo log,
kept in the file, so `undo()` and `redo()` work after a restart (undo_log.py).  Undo
puts back only the articles that nothing changed since, and stamps them with the time
of the undo.  An undo is shown once it is committed (it is no change the reader
shows first), and it is written by the reader's one state writer after every mark
acknowledged before it, so it undoes the newest of them.

The visits of the reader and when it first saw each article are in `visits`
(visits.py).

An import is written in transactions of about `IMPORT_HOLD_S` each, with a pause
between them, so that a million entries never keep another process's marks waiting
for more than a moment.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Iterable

from reader.archive.model import Article
from reader.state import journal, pending, transfer, undo_log, writes
from reader.state.errors import DamagedStateError, StateError, StateUnwritableError
from reader.state.journal import Change, Journal
from reader.state.model import (READ, STAR, BulkChange, ImportReport, Mark, Undone,
                                now_us, stored_time, us_to_datetime)
from reader.state.pending import Acknowledged
from reader.state.pool import ConnectionPool
from reader.state.schema import open_checked
from reader.state.undo_log import UNDO_DEPTH
from reader.state.visits import Visits
from reader.state.writes import COLUMNS, ArticleLookup, PathsOrArticles

IMPORT_BATCH = 2_000  # entries an import merges at a time
IMPORT_HOLD_S = 1.0  # how long an import holds the write lock at most, about
# The pause between an import's transactions: longer than the longest sleep of SQLite's
# busy handler (100 ms), so that a writer waiting for the lock always gets it in there.
IMPORT_PAUSE_S = 0.12


class StateStore:
    """Read/unread and starred marks of one archive's articles, in one SQLite file."""

    def __init__(self, path: Path, first: sqlite3.Connection, notice: str | None = None) -> None:
        self.path = path
        self.notice = notice  # set when open(recover=True) had to start afresh
        self._lock = threading.Lock()
        self._pool = ConnectionPool(path, first)
        self._journal = Journal(path)
        self._failed: list[Acknowledged] = []  # acknowledged, and their write failed
        self._orphaned: list[Change] = []  # a dead process's, not replayed yet
        self._last_us = 0
        self.visits = Visits(self._pool, self._now)

    @classmethod
    def open(cls, path: str | Path, recover: bool = False) -> "StateStore":
        """Open the state file, creating it if absent.

        A damaged file is moved aside and `DamagedStateError` (a `StateError`)
        names where it was kept.  With `recover=True` a fresh store is started
        instead and `store.notice` carries that same message for the user.
        """
        path = Path(path)
        try:
            store = cls(path, open_checked(path))
        except DamagedStateError as exc:
            if not recover:
                raise
            store = cls(path, open_checked(path), notice=str(exc))
        store._adopt_orphans()
        return store

    def close(self) -> int:
        """Close the file, after one last try at the changes whose write failed; a journal
        still holding unsaved changes stays for the next open.  Returns how many changes
        are lost: held in memory only (no journal could be written) and still unsaved."""
        self._retry()
        with self._lock:
            lost = sum(not item.journaled for item in self._failed)
        self._journal.close()
        self._pool.close()
        return lost

    @property
    def unsaved(self) -> int:
        """Changes acknowledged whose write failed so far (to be tried again)."""
        with self._lock:
            return len(self._failed)

    def retry(self) -> int:
        """Try the failed writes again now (the disk may have room again); how many are
        still unsaved."""
        self._retry()
        return self.unsaved

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
        """The read paths, with the changes of a dead process's journal that could not be
        replayed yet (the file was locked or full when it was opened)."""
        with self._pool.reading() as con:
            marked = {row[0] for row in con.execute("SELECT path FROM marks WHERE read = 1")}
            return pending.overlay(con, self._orphaned, READ, marked)

    def starred_set(self) -> set[str]:
        with self._pool.reading() as con:
            marked = {row[0] for row in con.execute("SELECT path FROM marks WHERE starred = 1")}
            return pending.overlay(con, self._orphaned, STAR, marked)

    def decided(self, field: int, paths: Iterable[str] | None = None) -> set[str]:
        """The paths (of `paths`, else all) whose `field` (READ or STAR) the user marked:
        its time is set and not below 0 (an unread mark leaves one; an undo back to no mark
        leaves none, older files dated it below 0: reader/state/undo_log.py) or its value
        (reader/state/rule_marks.py)."""
        column, column_at = COLUMNS[field]
        sql = f"SELECT path FROM marks WHERE ({column_at} >= 0 OR {column} = 1)"
        with self._pool.reading() as con:
            if paths is None:
                return {row[0] for row in con.execute(sql)}
            wanted, out = list(paths), set()
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                out.update(row[0] for row in con.execute(
                    f"{sql} AND path IN ({','.join('?' * len(chunk))})", chunk))
            return out

    def new_set(self) -> set[str]:
        """`is:new`: the paths first seen since the previous visit started (visits.py)."""
        return self.visits.new_paths()

    def added_between(self, start: int | None, end: int | None) -> frozenset[str]:
        """`added:`: the paths first seen from `start` to `end` (epoch seconds)."""
        return self.visits.added_between(start, end)

    def read_times(self, since_us: int = 0) -> dict[str, int]:
        """When each article read now was marked read (µs since the epoch), for those
        marked since `since_us` ("the archive at a glance": articles read per day)."""
        with self._pool.reading() as con:
            return dict(con.execute("SELECT path, read_at FROM marks WHERE read = 1 AND "
                                    "read_at >= ?", (since_us,)))

    def mark(self, path: str) -> Mark:
        """The article's state and when each part last changed (all unset if never marked)."""
        with self._pool.reading() as con:
            row = con.execute("SELECT read, read_at, starred, star_at, title, link FROM marks "
                              "WHERE path = ?", (path,)).fetchone()
        if row is None:
            return Mark(path)
        return Mark(path, bool(row[0]), us_to_datetime(stored_time(row[0], row[1])),
                    bool(row[2]), us_to_datetime(stored_time(row[2], row[3])), row[4] or "",
                    row[5] or "")

    def last_bulk_change(self) -> BulkChange | None:
        """What `undo()` would undo now, if anything."""
        with self._pool.reading() as con:
            row = undo_log.newest(con)
        return None if row is None else BulkChange(row[0], us_to_datetime(row[1]), row[2], row[3])

    def _flag(self, field: int, path: str) -> bool:
        column = COLUMNS[field][0]
        with self._pool.reading() as con:
            row = con.execute(f"SELECT {column} FROM marks WHERE path = ?", (path,)).fetchone()
        return bool(row and row[0])

    # -- writing ------------------------------------------------------------------

    def mark_read(self, paths: PathsOrArticles, read: bool = True, articles: ArticleLookup = None,
                  *, undoable: bool | None = None, label: str = "", own: bool = False) -> int:
        """Mark articles read (or unread) in one transaction; returns how many changed.

        `paths` holds paths or `Article`s; `articles` (a path->Article mapping or
        articles) supplies titles and links to keep beside the marks.  Undoable
        when more than one path is given, unless `undoable` says otherwise.
        """
        return self._bulk(READ, paths, read, articles, undoable, label or _label(READ, read),
                          own)

    def mark_starred(self, paths: PathsOrArticles, starred: bool = True,
                     articles: ArticleLookup = None, *, undoable: bool | None = None,
                     label: str = "", own: bool = False) -> int:
        """Star (or unstar) articles in one transaction; returns how many changed."""
        return self._bulk(STAR, paths, starred, articles, undoable,
                          label or _label(STAR, starred), own)

    def set_starred(self, path: str, starred: bool, article: Article | None = None) -> bool:
        """Star or unstar one article; True when that changed it."""
        items = [article] if article is not None else [path]
        return self._bulk(STAR, items, starred, None, False, "") == 1

    def toggle_star(self, path: str, article: Article | None = None) -> bool:
        """Flip the article's star in one transaction; returns the new state."""
        with self._pool.writing() as con:
            row = con.execute("SELECT starred FROM marks WHERE path = ?", (path,)).fetchone()
            starred = not (row and row[0])
            title, link = (article.title, article.link) if article else (None, None)
            writes.upsert(con, STAR, [(path, title, link)], starred, self._now())
        return starred

    def undo(self) -> Undone | None:
        """Undo the newest step of the undo log; None when there is nothing to undo."""
        with self._pool.writing() as con:
            return undo_log.undo(con, self._now())

    def redo(self) -> Undone | None:
        """Redo the step undone last; None when there is nothing to redo (a change made
        since an undo drops what it undid from the log)."""
        with self._pool.writing() as con:
            return undo_log.redo(con, self._now())

    def _bulk(self, field: int, paths: PathsOrArticles, value: bool, articles: ArticleLookup,
              undoable: bool | None, label: str, own: bool = False) -> int:
        rows = writes.rows_of(paths, articles)
        if not rows:
            return 0
        if undoable is None:
            undoable = len(rows) > 1
        with self._pool.writing() as con:
            return writes.apply(con, field, rows, value, self._now(),
                                label if undoable else None, own=own)

    # -- acknowledged first, written later --------------------------------------------

    def acknowledge_read(self, paths: PathsOrArticles, read: bool = True,
                         articles: ArticleLookup = None, *, undoable: bool | None = None,
                         label: str = "", own: bool = False) -> Acknowledged:
        """Keep a read mark in this process's journal, fsynced, without waiting for the
        database: once this returns a `kill -9` loses nothing of it.  Pass the result to
        `save()` (from any thread).  StateUnwritableError when it cannot be kept.  `own`:
        written where the user never marked it too (over a rule's mark)."""
        return self._acknowledge(READ, tuple(paths), read, articles, undoable,
                                 label or _label(READ, read), own)

    def acknowledge_star(self, paths: PathsOrArticles, starred: bool = True,
                         articles: ArticleLookup = None, *, undoable: bool | None = None,
                         label: str = "", own: bool = False) -> Acknowledged:
        """As `acknowledge_read`, for stars."""
        return self._acknowledge(STAR, tuple(paths), starred, articles, undoable,
                                 label or _label(STAR, starred), own)

    def save(self, item: Acknowledged) -> int:
        """Write an acknowledged change; returns how many articles it changed.  Then the
        changes whose write failed before are tried again, and dead journals replayed.
        A failure leaves the change in the journal, for the next save or open."""
        try:
            changed = pending.write(self._pool, item)
        except StateError as exc:
            with self._lock:
                self._failed.append(item)
            exc.args = (f"{exc} (kept in {self._journal.path}, to be saved when the state "
                        "file takes writes again)",)
            raise
        if item.journaled:
            self._journal.saved()
        self._retry()
        return changed

    def _acknowledge(self, field: int, items: tuple, value: bool, articles: ArticleLookup,
                     undoable: bool | None, label: str, own: bool = False) -> Acknowledged:
        """On the caller's thread (the UI's): only what the journal needs; the rows with
        their titles are made by `save()`, in the writer's."""
        paths = tuple(p if type(p) is str else p.path for p in items)
        undoable = len(set(paths)) > 1 if undoable is None else undoable
        change = Change(field, value, self._now(), paths, undoable, label, own)
        try:
            self._journal.append(change)
        except StateUnwritableError as exc:  # held here, and written once a write works
            with self._lock:
                self._failed.append(Acknowledged(change, items, articles, journaled=False))
            exc.args = (f"{exc}; kept in memory and saved once the disk takes writes again "
                        "(quitting before then loses them)",)
            raise
        return Acknowledged(change, items, articles)

    def _retry(self) -> None:
        with self._lock:
            failed, self._failed = self._failed, []
        for item in failed:  # older than what was just written: only where still newer
            try:
                pending.write(self._pool, item, only_newer=True)
            except StateError:
                with self._lock:
                    self._failed.append(item)
                continue
            if item.journaled:
                self._journal.saved()
        if self._orphaned:
            self._adopt_orphans()

    def _adopt_orphans(self) -> None:
        """Replay the journals of processes that died; keep what could not be replayed now
        (the file locked or full), shown by read_set/starred_set meanwhile."""
        waiting: list[Change] = []
        for orphan in journal.orphans(self.path):
            replayed = pending.replay(self._pool, orphan.changes)
            orphan.done(replayed)
            if not replayed:
                waiting.extend(orphan.changes)
        with self._lock:
            self._orphaned = waiting

    # -- transfer -----------------------------------------------------------------

    def export_state(self, articles: ArticleLookup = None) -> dict:
        """The whole state as the documented JSON document (docs/state-format.md)."""
        with self._pool.reading() as con:
            rows = con.execute("SELECT path, read, read_at, starred, star_at, title, link "
                               "FROM marks ORDER BY path").fetchall()
        return transfer.build_document(rows, writes.lookup(articles))

    def import_state(self, data: dict, articles: ArticleLookup = None) -> ImportReport:
        """Merge an exported document, the newer change winning per article and field.

        Raises `transfer.TransferError` (a `StateError`) for a malformed document,
        before anything is written.  The import is one undoable bulk change, written in
        transactions of at most about IMPORT_HOLD_S with a pause between them, in which
        another process's marks take the lock.
        """
        now = now_us()
        entries = transfer.parse_document(data, now)
        report = ImportReport()
        targets = transfer.resolve_paths(entries, None if articles is None else
                                         writes.lookup(articles), report)
        change_id, start = None, 0
        while start < len(entries):
            if start:
                _pause()
            try:
                with self._pool.writing() as con:
                    change_id, start = self._import_for_a_while(con, entries, start, targets,
                                                                report, change_id, now)
            except StateError as exc:
                if start:
                    exc.args = (f"{exc}; {start:,} of {len(entries):,} entries were imported "
                                "before it (importing the file again completes it)",)
                raise
        return report

    def _import_for_a_while(self, con: sqlite3.Connection, entries: list, start: int,
                            targets: dict, report: ImportReport, change_id: int | None,
                            now: int) -> tuple[int | None, int]:
        """Merge batches of entries from `start` for about IMPORT_HOLD_S; returns the
        import's bulk change and where the next transaction starts."""
        deadline = time.monotonic() + IMPORT_HOLD_S
        while True:  # at least one batch
            batch = entries[start:start + IMPORT_BATCH]
            local = writes.local_marks(con, [targets[e.path] for e in batch])
            updates = transfer.plan_batch(batch, targets, local, report, now)
            if updates:
                change_id = writes.apply_import(con, change_id, updates, self._now(),
                                                len(entries))
            start += len(batch)
            if start >= len(entries) or time.monotonic() >= deadline:
                return change_id, start

    # -- connections --------------------------------------------------------------

    def _now(self) -> int:
        """Microseconds since the epoch, strictly increasing within this store."""
        with self._lock:
            self._last_us = max(now_us(), self._last_us + 1)
            return self._last_us


def _pause() -> None:
    """Between an import's transactions: time for another writer to take the lock."""
    time.sleep(IMPORT_PAUSE_S)


def _label(field: int, value: bool) -> str:
    if field == READ:
        return "mark read" if value else "mark unread"
    return "star" if value else "unstar"


__all__ = ["StateStore", "StateError", "DamagedStateError", "UNDO_DEPTH"]
