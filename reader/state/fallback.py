"""The marks of a state file that cannot be opened for writing (a full disk, a read-only
disk), so that the reader still shows what was saved while it says it cannot save more.

SQLite cannot open a WAL database even read-only when it cannot make the file's
shared-memory companion (what a full disk prevents); then the file is read as
*immutable*, which sees what the last checkpoint wrote (every mark of a reader that
was closed normally) but not what only a `-wal` file still holds.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote


def saved_marks(path: Path) -> tuple[set[str], set[str]]:
    """(read paths, starred paths) as the file holds them; empty sets when it cannot be
    read at all (absent, damaged, locked away)."""
    if not path.is_file():
        return set(), set()
    for mode in ("mode=ro", "immutable=1"):
        try:
            return _read(f"file:{quote(str(path))}?{mode}")
        except sqlite3.Error:
            continue
    return set(), set()


def _read(uri: str) -> tuple[set[str], set[str]]:
    con = sqlite3.connect(uri, uri=True, timeout=1.0)
    try:
        read, starred = set(), set()
        for path, is_read, is_starred in con.execute(
                "SELECT path, read, starred FROM marks WHERE read = 1 OR starred = 1"):
            if is_read:
                read.add(path)
            if is_starred:
                starred.add(path)
        return read, starred
    finally:
        con.close()
