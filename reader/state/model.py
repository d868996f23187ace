"""The records the state store hands out, and the one time format it uses.

Times are stored as integer microseconds since the Unix epoch (UTC) and shown
as ISO 8601 with microseconds and a `Z`, e.g. `2025-02-14T10:00:00.000000Z`.

A change time is *trusted* when it lies from the epoch to `MAX_AHEAD` past this
machine's clock (docs/state-format.md says why): an import refuses any other,
and an export or merge treats one already in a store as the oldest possible.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
READ, STAR = 0, 1  # the two fields of a mark, as the undo log and the import name them
COLUMNS = {READ: ("read", "read_at"), STAR: ("starred", "star_at")}  # each one's columns
MAX_AHEAD = timedelta(days=1)  # how far past this machine's clock a change may be dated
_MAX_AHEAD_US = MAX_AHEAD // timedelta(microseconds=1)
# The times a datetime can hold in every time zone (UTC offsets stay within a day).
_LOWEST_US = (datetime.min.replace(tzinfo=timezone.utc) + timedelta(days=1) - EPOCH) \
    // timedelta(microseconds=1)
_HIGHEST_US = (datetime.max.replace(tzinfo=timezone.utc) - timedelta(days=1) - EPOCH) \
    // timedelta(microseconds=1)


def now_us() -> int:
    """This machine's clock, in microseconds since the epoch."""
    return time.time_ns() // 1000


def is_trusted(us: object, now: int) -> bool:
    """True for a stored time from the epoch to `MAX_AHEAD` past `now` (both µs)."""
    return (isinstance(us, int) and not isinstance(us, bool)
            and 0 <= us <= now + _MAX_AHEAD_US)


def stored_time(value: object, us: int | None) -> int | None:
    """A mark's stored change time as it counts: none for an unset mark dated minus a
    trusted time (an undo back to no mark dated it so, before it left it undated:
    reader/state/undo_log.py), else as stored."""
    old_undo = isinstance(us, int) and us < 0 and not value and is_trusted(-us, now_us())
    return None if old_undo else us


def us_to_datetime(us: int | None) -> datetime | None:
    """The time `us` stands for, clamped into what a datetime can hold in every time
    zone: a store may hold any integer (one written before imports were checked)."""
    if us is None:
        return None
    return EPOCH + timedelta(microseconds=min(max(us, _LOWEST_US), _HIGHEST_US))


def datetime_to_us(when: datetime) -> int:
    if when.tzinfo is None:
        raise ValueError("a time without a time zone")
    return (when - EPOCH) // timedelta(microseconds=1)


def us_to_iso(us: int | None) -> str | None:
    when = us_to_datetime(us)
    return None if when is None else when.isoformat(timespec="microseconds").replace("+00:00", "Z")


def iso_to_us(text: str) -> int:
    """Parse an ISO 8601 time that carries a zone (`Z` or `+hh:mm`); ValueError otherwise."""
    when = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    return datetime_to_us(when)


@dataclass(frozen=True, slots=True)
class Mark:
    """The state of one article and when each part of it last changed."""

    path: str
    read: bool = False
    read_at: datetime | None = None
    starred: bool = False
    starred_at: datetime | None = None
    title: str = ""
    link: str = ""


@dataclass(frozen=True, slots=True)
class BulkChange:
    """One undoable change of many articles, as the undo log keeps it."""

    id: int
    at: datetime
    label: str
    count: int  # articles it changed


@dataclass(frozen=True, slots=True)
class Undone:
    """What an undo (or a redo) of one step did."""

    label: str  # the step's, e.g. "mark read: 1,204 articles"
    restored: int  # articles put back
    left: int  # articles of the step changed since, left as they are
    marks: tuple[tuple[str, int, bool], ...] = ()  # (path, READ or STAR, value) written


@dataclass(slots=True)
class ImportReport:
    """What an import did.  Every entry lands in exactly one of the first three counts."""

    changed: int = 0  # articles whose read or starred state changed
    kept_local: int = 0  # entries older than the local state, or equal to it
    unchanged: int = 0  # entries that only confirmed the local state (maybe newer times)
    matched_by_link: int = 0  # entries whose path was unknown, matched by link and title
    unknown_paths: list[str] = field(default_factory=list)  # kept under their own path

    @property
    def entries(self) -> int:
        return self.changed + self.kept_local + self.unchanged

    def summary(self) -> str:
        parts = [f"{self.entries} entries", f"{self.changed} changed",
                 f"{self.kept_local} kept (local state newer)", f"{self.unchanged} already so"]
        if self.matched_by_link:
            parts.append(f"{self.matched_by_link} matched by link and title")
        if self.unknown_paths:
            parts.append(f"{len(self.unknown_paths)} matched no article here (kept for later)")
        return ", ".join(parts)

    def none_matched(self) -> bool:
        """True when there were entries and not one of them matched an article here."""
        return bool(self.entries) and len(self.unknown_paths) == self.entries
