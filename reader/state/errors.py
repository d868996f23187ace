"""What went wrong with the state file, told apart: damaged, full, read-only, busy, other.

Only a *damaged* file (SQLite says it is corrupt or no database, or its integrity check
fails) is moved aside.  A full disk, a read-only file or folder, a lock held by another
process or an I/O error leave the file where it is, with every mark in it: they mean
marks cannot be saved *now*, and the message says which and what to do.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

# SQLite's primary result codes (an extended code keeps its primary one in the low byte)
_CODES = {3: "readonly", 5: "busy", 6: "busy", 8: "readonly", 10: "io", 11: "damaged",
          13: "full", 14: "readonly", 23: "readonly", 26: "damaged"}
# what the message says, when an error carries no code (one raised by hand)
_WORDS = (("locked", "busy"), ("busy", "busy"), ("disk is full", "full"),
          ("malformed", "damaged"), ("not a database", "damaged"), ("readonly", "readonly"),
          ("read-only", "readonly"), ("disk i/o error", "io"))
LOW_SPACE = 1 << 20  # bytes free below which an I/O error is taken for a full disk


class StateError(Exception):
    """The state store cannot be used; the message says why and what was done."""


class DamagedStateError(StateError):
    """The state file was damaged and has been moved aside to `kept_at`."""

    def __init__(self, message: str, kept_at: Path) -> None:
        super().__init__(message)
        self.kept_at = kept_at


class StateBusyError(StateError):
    """Another process held the state file's lock for longer than we wait."""


class StateUnwritableError(StateError):
    """The state file cannot take a write now (full disk, read-only, I/O error); the
    file and every mark in it were left as they are."""


def kind_of(exc: sqlite3.Error, folder: Path | None = None) -> str:
    """"damaged", "busy", "full", "readonly", "io" or "other".  An I/O error where
    `folder`'s disk has (almost) no space left counts as "full": SQLite reports some
    full disks so (it cannot grow its shared-memory file)."""
    code = getattr(exc, "sqlite_errorcode", None)
    kind = _CODES.get(code & 0xFF, "other") if isinstance(code, int) else _by_words(exc)
    if kind == "io" and folder is not None and _free_bytes(folder) < LOW_SPACE:
        return "full"
    return kind


def is_busy(exc: sqlite3.Error) -> bool:
    return kind_of(exc) == "busy"


def _by_words(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    return next((kind for words, kind in _WORDS if words in text), "other")


def _free_bytes(folder: Path) -> int:
    try:
        stat = os.statvfs(folder)
    except OSError:
        return LOW_SPACE  # cannot tell: not taken for a full disk
    return stat.f_bavail * stat.f_frsize


def refusal(path: Path, exc: sqlite3.Error, kind: str) -> StateError:
    """The error to raise for `exc` (not damage) on the state file at `path`."""
    if kind == "busy":
        return StateBusyError(f"the state file {path} stayed locked by another process for "
                              f"too long ({exc}); marks cannot be saved now")
    reason = {"full": "the disk is full", "readonly": "it is read-only",
              "io": "the disk reported an error"}.get(kind)
    if reason is None:
        return StateError(f"the state file {path} cannot be used ({exc}); it was left as it is")
    hint = {"full": "free some space", "readonly": "check its permissions and its disk",
            "io": "check the disk"}[kind]
    return StateUnwritableError(
        f"{reason} ({exc}): marks cannot be saved now; every earlier mark is kept in "
        f"{path}, left as it is: {hint}")
