"""The state file on disk: its tables, how a connection is opened, what counts as damage.

The file is SQLite in WAL mode.  Every connection waits up to `BUSY_TIMEOUT_S`
for another writer instead of failing with "database is locked", and uses
`synchronous=FULL`, so a committed mark survives a `kill -9` and a power cut.

A file at the state path that is not a readable newsreader state file is
*damaged*: it is renamed aside (with its `-wal` and `-shm` companions) to
`<name>.corrupt-<UTC time>` and never overwritten.  A file written by a newer
newsreader, one we may not read, or one that cannot be used now (a full disk, a
lock held too long: errors.py tells them apart) is left where it is.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from reader.state.errors import DamagedStateError, StateError, is_busy, kind_of, refusal

APPLICATION_ID = 0x4E525354  # "NRST": marks the file as a newsreader state file
SCHEMA_VERSION = 3  # 2: the undo log keeps undone steps (redo); visits and first sightings
# 3: when the archive was first seen whole (the baseline of "new": visits.py)
BUSY_TIMEOUT_S = 30.0
SQLITE_HEADER = b"SQLite format 3\x00"

SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (
    path     TEXT PRIMARY KEY,        -- Article.path: relative POSIX path in the archive
    read     INTEGER NOT NULL DEFAULT 0,
    read_at  INTEGER,                 -- when `read` last changed, microseconds since the epoch
    starred  INTEGER NOT NULL DEFAULT 0,
    star_at  INTEGER,                 -- when `starred` last changed
    title    TEXT,                    -- beside the key, for a readable export and
    link     TEXT                     -- for matching an import by link+title
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bulk_changes (  -- the undo log: one row a step (undo_log.py)
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    label  TEXT NOT NULL,
    count  INTEGER NOT NULL,
    undone INTEGER                    -- the undo's time while the step is undone (redo)
);
CREATE TABLE IF NOT EXISTS bulk_items (  -- what a step replaced, for undo
    change_id INTEGER NOT NULL REFERENCES bulk_changes(id) ON DELETE CASCADE,
    path      TEXT NOT NULL,
    field     INTEGER NOT NULL,       -- 0: read, 1: starred
    prev      INTEGER NOT NULL,
    prev_at   INTEGER,
    new_at    INTEGER NOT NULL,       -- the mark's time while the step holds (undo checks it)
    new       INTEGER,                -- the value the step set (redo)
    PRIMARY KEY (change_id, field, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS visits (  -- each session of the reader, written as it starts
    id       INTEGER PRIMARY KEY,
    started  INTEGER NOT NULL         -- microseconds since the epoch
);
CREATE TABLE IF NOT EXISTS first_seen (  -- when the reader first saw each article file
    path  TEXT PRIMARY KEY,
    at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS first_seen_at ON first_seen (at);
CREATE TABLE IF NOT EXISTS baseline (  -- one row: when a scan of the whole archive first
    at  INTEGER NOT NULL              -- ended, its sightings recorded (visits.py)
);
"""
# A format-2 file with sightings had its baseline: its first visit's (it ended or not).
# (run after SCHEMA, which makes the table)
UPGRADE_FROM_2 = "INSERT INTO baseline (at) SELECT min(at) FROM first_seen HAVING count(*) > 0"
# Format 1's tables made format 2's (then SCHEMA adds the new tables and indexes).
UPGRADE_FROM_1 = """
ALTER TABLE bulk_changes ADD COLUMN undone INTEGER;  -- the undo's time, while undone
ALTER TABLE bulk_items ADD COLUMN new INTEGER        -- the value the step set
"""


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), with our pragmas."""
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                          check_same_thread=False)
    con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    _use_wal(con)
    con.execute("PRAGMA synchronous = FULL")
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("PRAGMA temp_store = MEMORY")
    return con


def _use_wal(con: sqlite3.Connection) -> None:
    """Switch to WAL.  Two processes creating the file at once can see "locked" here
    (SQLite calls no busy handler for this switch), so wait and retry, as the busy
    timeout would."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    delay = 0.002
    while True:
        try:
            if con.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            if con.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() == "wal":
                return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked: could not switch to WAL mode")
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def open_checked(path: Path) -> sqlite3.Connection:
    """Open (creating if absent) the state file at `path` and make sure it is sound.

    Raises `DamagedStateError` after moving a damaged file aside, and `StateError`
    for a file that must stay where it is (unreadable, newer, busy, disk full).
    """
    _check_access(path)
    if _has_foreign_header(path):
        _damaged(path, "it is not an SQLite database")
    try:
        con = connect(path)
    except sqlite3.Error as exc:
        _refuse(path, exc)
    try:
        _check_contents(con, path)
        _create_schema(con)
    except sqlite3.Error as exc:
        con.close()
        _refuse(path, exc)
    except BaseException:
        con.close()
        raise
    return con


def _refuse(path: Path, exc: sqlite3.Error) -> None:
    """Move the file aside if `exc` says it is damaged; else leave it, and say why."""
    kind = kind_of(exc, path.parent)
    if kind == "damaged":
        _damaged(path, str(exc))
    raise refusal(path, exc, kind) from exc


def _check_access(path: Path) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StateError(f"cannot create the folder for the state file {path}: {exc}") from exc
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StateError(f"cannot read and write the state file {path}: permission denied "
                         "(fix its permissions; it was left as it is)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StateError(f"cannot write in {folder}, where the state file lives: "
                         "permission denied")


def _has_foreign_header(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StateError(f"cannot read the state file {path}: {exc}") from exc
    return bool(head) and head != SQLITE_HEADER


def _check_contents(con: sqlite3.Connection, path: Path) -> None:
    con.execute("BEGIN")  # one snapshot: another process may be creating the file now
    try:
        verdict = con.execute("PRAGMA quick_check").fetchone()[0]
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        version = con.execute("PRAGMA user_version").fetchone()[0]
        tables = con.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
    finally:
        con.execute("COMMIT")
    if verdict != "ok":
        con.close()
        _damaged(path, f"integrity check failed: {verdict}")
    if app_id == 0 and tables == 0:
        return  # a new, empty file
    if app_id != APPLICATION_ID:
        con.close()
        _damaged(path, "it is an SQLite database, but not a newsreader state file")
    if version > SCHEMA_VERSION:
        raise StateError(f"the state file {path} was written by a newer newsreader "
                         f"(format {version}, this one reads up to {SCHEMA_VERSION}); "
                         "it was left as it is: upgrade newsreader")


def _create_schema(con: sqlite3.Connection) -> None:
    if con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        before = UPGRADE_FROM_1 + ";" if version == 1 else ""
        after = ";" + UPGRADE_FROM_2 if version == 2 else ""
        for statement in _statements(before + SCHEMA + after):
            con.execute(statement)
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:  # SQLite may have rolled back already (a full disk)
            con.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """The statements of `script` (no `;` inside one), their comments dropped."""
    lines = (line.split("--")[0] for line in script.splitlines())
    return [text.strip() for text in "\n".join(lines).split(";") if text.strip()]


def _damaged(path: Path, reason: str) -> None:
    kept = move_aside(path)
    raise DamagedStateError(
        f"the state file {path} is damaged ({reason}); it was kept as {kept} "
        "and was not replaced", kept)


def move_aside(path: Path) -> Path:
    """Rename `path` (and its -wal/-shm files) to `<path>.corrupt-<UTC time>[-n]`."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    return target
