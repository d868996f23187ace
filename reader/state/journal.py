"""Marks acknowledged before the database has them: a small append-only journal per process.

The reader shows a mark at once and writes it to SQLite from a queue, which may wait
for the write lock while another process (an import, another reader) holds it.  So
that a `kill -9` in that wait loses nothing shown, each change is first written here,
beside the state file, and fsynced:

    state.sqlite3.pending-<pid>-<token>      one JSON line per change

The process holds an exclusive `flock` on its journal for as long as it lives, and
empties it whenever the database holds every change in it; a clean close deletes it.
An unlocked journal is one whose process died: the next open replays its changes into
the database (each wins only where it is newer than what the database holds, so a
replay twice changes nothing) and deletes it.
"""

from __future__ import annotations

import fcntl
import json
import errno
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from reader.state.errors import StateUnwritableError


@dataclass(frozen=True, slots=True)
class Change:
    """One acknowledged change: `field` (READ or STAR) set to `value` at `at` (µs)."""

    field: int
    value: bool
    at: int
    paths: tuple[str, ...]
    undoable: bool = False
    label: str = ""
    own: bool = False  # the user's own mark even where the value is already so (a rule's)

    def to_line(self) -> bytes:
        own = {"o": True} if self.own else {}
        return json.dumps({"f": self.field, "v": self.value, "at": self.at, "u": self.undoable,
                           "l": self.label, **own, "p": self.paths}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8", "surrogatepass") + b"\n"


def parse_lines(data: bytes) -> list[Change]:
    """The changes of a journal; a line that is not one (the torn last line of a write
    that was never acknowledged) is skipped."""
    changes = []
    for line in data.split(b"\n"):
        try:
            item = json.loads(line)
            changes.append(Change(int(item["f"]), bool(item["v"]), int(item["at"]),
                                  tuple(str(p) for p in item["p"]), bool(item["u"]),
                                  str(item["l"]), bool(item.get("o", False))))
        except (ValueError, TypeError, KeyError, RecursionError):
            continue
    return changes


class Journal:
    """This process's journal beside `state_path`; created at the first change."""

    def __init__(self, state_path: Path) -> None:
        self.path = state_path.with_name(
            f"{state_path.name}.pending-{os.getpid()}-{secrets.token_hex(4)}")
        self._fd: int | None = None
        self._lock = threading.Lock()
        self.unsaved = 0  # changes appended that the database does not hold yet

    def append(self, change: Change) -> None:
        """Write `change` and fsync it; StateUnwritableError when it cannot be kept."""
        with self._lock:
            try:
                if self._fd is None:
                    self._fd = _create_locked(self.path)
                _write_line(self._fd, change.to_line())
                self.unsaved += 1
            except OSError as exc:
                why = " (the disk is full)" if exc.errno == errno.ENOSPC else ""
                raise StateUnwritableError(f"cannot keep marks in {self.path} ({exc}){why}: "
                                           "marks cannot be saved now") from exc

    def saved(self) -> None:
        """The database holds one more of the changes: emptied when it holds them all."""
        with self._lock:
            self.unsaved -= 1
            if self.unsaved == 0 and self._fd is not None:
                try:
                    os.ftruncate(self._fd, 0)
                except OSError:
                    pass  # a replay of what is left changes nothing

    def close(self) -> None:
        """Release the journal: deleted when the database holds all of it, else left for
        the next open to replay."""
        with self._lock:
            if self._fd is None:
                return
            if self.unsaved == 0:
                self.path.unlink(missing_ok=True)
            os.close(self._fd)  # the lock goes with it
            self._fd = None


def _write_line(fd: int, line: bytes) -> None:
    """Append `line` whole and fsync it, or leave the file as it was (a line half
    written by a full disk would swallow the next one)."""
    size = os.lseek(fd, 0, os.SEEK_END)
    try:
        written = os.write(fd, line)
        if written != len(line):
            raise OSError(f"only {written} of {len(line)} bytes written")
        os.fsync(fd)
    except OSError:
        try:
            os.ftruncate(fd, size)
        except OSError:
            pass
        raise


def _create_locked(path: Path) -> int:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a new name: nobody else can hold it
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the file's name survives a power cut, not only a kill
    finally:
        os.close(folder)
    return fd


class Orphan:
    """The journal of a process that died, locked by us while we replay it."""

    def __init__(self, path: Path, fd: int, changes: list[Change]) -> None:
        self.path, self.changes, self._fd = path, changes, fd

    def done(self, replayed: bool) -> None:
        """Delete it when `replayed`; release it either way."""
        if replayed:
            self.path.unlink(missing_ok=True)
        os.close(self._fd)


def orphans(state_path: Path) -> list[Orphan]:
    """The journals beside `state_path` whose process died, each locked for us."""
    found = []
    for path in sorted(state_path.parent.glob(f"{state_path.name}.pending-*")):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue  # replayed and deleted by another process meanwhile
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            data = _read_all(fd)
        except OSError:  # locked: its process lives (BlockingIOError), or unreadable
            os.close(fd)
            continue
        if not path.exists():  # deleted between our open and our lock
            os.close(fd)
            continue
        found.append(Orphan(path, fd, parse_lines(data)))
    return found


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)
