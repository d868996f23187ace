"""The undo log: every undoable change is one *step*, undone (and redone) as a whole.

A step is a row of `bulk_changes` and, for each mark it changed, a row of
`bulk_items` with the value and time it replaced (`prev`, `prev_at`), the value it
set (`new`) and the mark's time while the step holds (`new_at`).  Undo puts back
only the marks still as the step left them (`marks.<field>_at = new_at`): a mark
changed since, by the user or another process, is left alone.  An undo is itself a
dated change (the time of the undo), so it wins an export/import merge like any
other, and the older steps that set the mark it put back are re-dated with it, so
that undoing them next still finds the mark as they left it.

The steps form a stack: `undo` takes the newest step not undone, `redo` the one
undone last; a new step drops the undone ones (as every editor's redo).  The log is
bounded: the newest `UNDO_DEPTH` steps, and of those only as many as hold at most
`UNDO_ITEMS` marks together (the newest step always stays, however big).

Every function runs inside a transaction the caller opened (`BEGIN IMMEDIATE`),
each a few set-based statements: 100,000 marks undo in well under a second.
"""

from __future__ import annotations

import sqlite3

from reader.state.model import COLUMNS, READ, STAR, Undone

UNDO_DEPTH = 100  # steps the undo log keeps
UNDO_ITEMS = 300_000  # marks the kept steps hold together, at most (but the newest step)
# A step's item whose mark is still as that step left it (b: bulk_items, m: marks).
_AS_LEFT = (f"((b.field = {READ} AND m.read_at = b.new_at) "
            f"OR (b.field = {STAR} AND m.star_at = b.new_at))")


def open_step(con: sqlite3.Connection, label: str, now: int) -> int:
    """A new, empty step; the undone steps go (nothing is left to redo)."""
    con.execute("DELETE FROM bulk_changes WHERE undone IS NOT NULL")  # items: cascade
    return con.execute("INSERT INTO bulk_changes (at, label, count) VALUES (?, ?, 0)",
                       (now, label)).lastrowid


def differs(field: int, own: bool) -> str:
    """The SQL test of a mark `m` that a write of `field` changes: its value is not the
    one written (the parameter), or, for the user's `own` mark, the user never made one
    (a rule's mark had it so: reader/state/rule_marks.py)."""
    column, column_at = COLUMNS[field]
    never = f" OR m.{column_at} IS NULL OR m.{column_at} < 0" if own else ""
    return f"(coalesce(m.{column}, 0) != ?{never})"


def log_staged(con: sqlite3.Connection, step: int, field: int, value: bool, now: int,
               own: bool = False) -> None:
    """Log, in `step`, the staged paths (temp.staged) whose `field` is not `value` yet (or,
    `own`, was never marked)."""
    column, column_at = COLUMNS[field]
    con.execute(
        f"INSERT INTO bulk_items (change_id, path, field, prev, prev_at, new_at, new) "
        f"SELECT ?, s.path, ?, coalesce(m.{column}, 0), m.{column_at}, ?, ? "
        f"FROM temp.staged s LEFT JOIN marks m ON m.path = s.path "
        f"WHERE {differs(field, own)}", (step, field, now, int(value), int(value)))


def log_items(con: sqlite3.Connection, step: int, items: list[tuple]) -> None:
    """Log, in `step`, items (path, field, prev, prev_at, new_at, new) written by hand."""
    con.executemany("INSERT INTO bulk_items (change_id, path, field, prev, prev_at, new_at, "
                    "new) VALUES (?, ?, ?, ?, ?, ?, ?)", [(step,) + item for item in items])


def finish_step(con: sqlite3.Connection, step: int, changed: int) -> None:
    """`changed` marks were changed by `step`: it is dropped when none, and the log trimmed."""
    if changed == 0:
        con.execute("DELETE FROM bulk_changes WHERE id = ?", (step,))
        return
    con.execute("UPDATE bulk_changes SET count = count + ? WHERE id = ?", (changed, step))
    trim(con)


def trim(con: sqlite3.Connection) -> None:
    """Keep the newest UNDO_DEPTH steps, as many of them as hold UNDO_ITEMS marks."""
    con.execute("DELETE FROM bulk_changes WHERE id IN (SELECT id FROM ("
                "SELECT id, row_number() OVER newest AS n, sum(count) OVER newest AS held "
                "FROM bulk_changes WINDOW newest AS (ORDER BY id DESC)) "
                "WHERE n > ? OR (n > 1 AND held > ?))", (UNDO_DEPTH, UNDO_ITEMS))


def undo(con: sqlite3.Connection, now: int) -> Undone | None:
    """Undo the newest step not undone yet; None when there is none."""
    row = con.execute("SELECT id, label FROM bulk_changes WHERE undone IS NULL "
                      "ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    step, label = row
    _take(con, f"SELECT b.path, b.field, b.prev, b.prev_at FROM bulk_items b JOIN marks m "
               f"ON m.path = b.path WHERE b.change_id = ? AND {_AS_LEFT}", (step,))
    _write_taken(con, now, never=True)
    # The older steps that set what was put back: re-dated with it (see the docstring).
    # A scan of the older steps' items (UNDO_ITEMS at most), each looked up in temp.taken.
    con.execute("UPDATE bulk_items SET new_at = ? WHERE change_id < ? AND EXISTS ("
                "SELECT 1 FROM temp.taken t WHERE t.field = bulk_items.field "
                "AND t.path = bulk_items.path AND t.prev_at = bulk_items.new_at)", (now, step))
    con.execute("UPDATE bulk_changes SET undone = ? WHERE id = ?", (now, step))
    return _outcome(con, step, label)


def redo(con: sqlite3.Connection, now: int) -> Undone | None:
    """Redo the step undone last; None when there is none."""
    row = con.execute("SELECT id, label, undone FROM bulk_changes WHERE undone IS NOT NULL "
                      "ORDER BY undone DESC LIMIT 1").fetchone()
    if row is None:
        return None
    step, label, undone_at = row
    # Still as the undo left them: dated at the undo, or (put back to no mark) undated.
    _take(con, "SELECT b.path, b.field, coalesce(b.new, 1 - b.prev), NULL FROM bulk_items b "
               "JOIN marks m ON m.path = b.path WHERE b.change_id = ?1 AND "
               "((b.field = 0 AND (m.read_at IN (?2, -?2) OR (m.read_at IS NULL "
               "AND b.prev_at IS NULL AND m.read = 0))) OR "
               "(b.field = 1 AND (m.star_at IN (?2, -?2) OR (m.star_at IS NULL "
               "AND b.prev_at IS NULL AND m.starred = 0))))",
          (step, undone_at))
    _write_taken(con, now)
    # The step holds again: what it replaced is what the undo left, dated then.
    con.execute("UPDATE bulk_items AS b SET prev_at = ?, new_at = ? FROM temp.taken t "
                "WHERE b.change_id = ? AND t.path = b.path AND t.field = b.field",
                (undone_at, now, step))
    con.execute("UPDATE bulk_changes SET undone = NULL WHERE id = ?", (step,))
    return _outcome(con, step, label)


def newest(con: sqlite3.Connection) -> tuple | None:
    """(id, at, label, count) of what `undo` would undo now."""
    return con.execute("SELECT id, at, label, count FROM bulk_changes WHERE undone IS NULL "
                       "ORDER BY id DESC LIMIT 1").fetchone()


def _take(con: sqlite3.Connection, select: str, args: tuple) -> None:
    """Fill temp.taken with (path, field, value, prev_at): the marks to write."""
    con.execute("CREATE TEMP TABLE IF NOT EXISTS taken (path TEXT NOT NULL, field INTEGER "
                "NOT NULL, value INTEGER NOT NULL, prev_at INTEGER, PRIMARY KEY (field, path)) "
                "WITHOUT ROWID")
    con.execute("DELETE FROM temp.taken")
    con.execute(f"INSERT INTO temp.taken {select}", args)


def _write_taken(con: sqlite3.Connection, now: int, never: bool = False) -> None:
    """Write temp.taken's marks, dated `now`.  `never` (an undo): a mark put back to one the
    user never made (unset, with no time) is left with no time again, as a mark never
    made: the oldest to a merge, and no mark of the user's, so a rule's mark applies to
    it again (reader/state/rule_marks.py).  (Files written before dated it minus the
    undo's time, a time before 1970 that an export had to explain: such a time is read
    as no time: model.stored_time.)"""
    dated = "CASE WHEN t.prev_at IS NULL AND t.value = 0 THEN NULL ELSE ?1 END" if never \
        else "?1"
    for field, (column, column_at) in COLUMNS.items():
        con.execute(f"UPDATE marks SET {column} = t.value, {column_at} = {dated} "
                    f"FROM temp.taken t WHERE t.field = ?2 AND t.path = marks.path",
                    (now, field))


def _outcome(con: sqlite3.Connection, step: int, label: str) -> Undone:
    marks = con.execute("SELECT path, field, value FROM temp.taken").fetchall()
    paths = con.execute("SELECT count(DISTINCT path) FROM bulk_items WHERE change_id = ?",
                        (step,)).fetchone()[0]
    restored = len({path for path, _, _ in marks})
    return Undone(label, restored, paths - restored,
                  tuple((path, field, bool(value)) for path, field, value in marks))
