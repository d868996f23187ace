"""Ordering a first scan newest first, from a cheap look at each file's `date` line.

A first scan of 100,000 files parses for a minute; a reader shows what it has found
so far, newest first.  Parsed in walk order, the newest articles would come at a
random moment of that minute; parsed newest first, the first batch holds them and
the list is right at once.  The order costs one read of each file's first KB (about
10 us a file: a second at 100k, against ~50 s of parsing) and only changes when a
file is parsed, never what is stored.

The look finds a top-level `date` key (YAML `date:`, TOML `date =`, JSON `"date":`)
in the front matter's first KB and reads it as the parser does.  A file where it
finds none (no front matter, a date further down or under another key) may be of any
date: such files go first, newest file time first (a scraper writes new files last).
Equal dates go by path, as the catalog lists them: the first batch is the catalog's
newest, whoever reads the dates (the reader's first look reads them in worker
processes, reader/archive/first_look.py, and the scan that follows reuses them).
"""

from __future__ import annotations

import heapq
import math
import os
import re
import stat
import threading
from array import array
from dataclasses import dataclass
from datetime import datetime, time, tzinfo
from pathlib import Path
from typing import Callable, Iterable, Mapping

from reader.archive import fields
from reader.archive.walk import FoundFile, found_file

PEEK_BYTES = 1024
# Where front matter starts with this byte: how it ends, how its top-level date key
# starts (YAML and TOML: at the start of a line), and the value's first characters
# that a date can hold.
_CLOSING = {b"-": b"\n---", b"+": b"\n+++", b"{": b"\n}"}
_DATE_KEYS = {b"-": (b"\ndate", b'\n"date"'), b"+": (b"\ndate",), b"{": (b'"date"',)}
_DATE_VALUE = re.compile(rb"""\n?"?date"?[ \t]*[:=][ \t]*["']?([0-9][0-9T:.+\- Zz]*)""")
_YAML_DATE = re.compile(rb"""\n"?date"?[ \t]*:[ \t]*["']?([0-9][0-9T:.+\- Zz]*)""")
_EPOCH = datetime(1970, 1, 1)
_FILE_FLAGS = os.O_RDONLY | os.O_NONBLOCK  # a file that became a pipe does not block
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY


# A date read, by the file's fs_rel: (size, mtime_ns, date) of the file as it was read.
Dated = Mapping[str, tuple[int, int, "float | None"]]


def newest_first(root: Path, files: list[FoundFile], tz: tzinfo,
                 known: Dated | None = None, cancel: threading.Event | None = None
                 ) -> list[FoundFile]:
    """`files` in the order to parse them: those of unknown date first (newest file time
    first), then by the date of their front matter, newest first (`order_key`).  `known`:
    dates read already (by the first look); a file whose size and mtime are those it was
    read at is not read again.  Once `cancel` is set, no more dates are read (the scan
    stops before it parses anything)."""
    dates = _dates(root, files, tz, known or {}, cancel.is_set if cancel else bool)
    keys = list(map(order_key, files, dates))
    return [files[i] for i in sorted(range(len(files)), key=keys.__getitem__)]


def order_key(found: FoundFile, date: float | None) -> tuple:
    """A file's place in the parse order (`date`: its front matter's, None if unseen);
    equal dates by path, as the catalog (fs_rel: two spellings of one id)."""
    if date is None:
        return 0, -found.mtime_ns, found.rel, found.fs_rel
    return 1, -date, found.rel, found.fs_rel


def _dates(root: Path, files: list[FoundFile], tz: tzinfo, known: Dated,
           stopped: Callable[[], bool]) -> list[float | None]:
    dates: list[float | None] = [None] * len(files)
    unread = []
    for i, found in enumerate(files):
        seen = known.get(found.fs_rel)
        if seen is not None and seen[:2] == (found.size, found.mtime_ns):
            dates[i] = seen[2]
        else:
            unread.append(i)
    for i, date in zip(unread, peek_dates(root, [files[i].fs_rel for i in unread], tz,
                                          stopped)):
        dates[i] = date
    return dates


def peek_dates(root: Path, fs_rels: list[str], tz: tzinfo,
               stopped: Callable[[], bool] = bool) -> list[float | None]:
    """The front-matter date (POSIX time) of each file, None where none is seen; only
    the first files' once `stopped()` says so (a quit)."""
    peek = _Peeker(root)
    try:
        return [peek.date_of(fs_rel, tz) for fs_rel in fs_rels if not stopped()]
    finally:
        peek.close()


@dataclass
class Peeked:
    """The files a look read, in arrays (cheap to build and to send between processes):
    their fs_rels, the size and mtime_ns of each in turn (`stamps`), and the date of each
    (NaN where none was seen)."""

    fs_rels: list[str]
    stamps: array
    dates: array

    def found(self) -> list[FoundFile]:
        sizes, mtimes = self.stamps[0::2], self.stamps[1::2]
        return [found_file(*file) for file in zip(self.fs_rels, map(_Stat, sizes, mtimes))]

    def date(self, i: int) -> float | None:
        return None if math.isnan(self.dates[i]) else self.dates[i]

    def newest(self, count: int) -> list[tuple[tuple, FoundFile]]:
        """The `count` first files in parse order (`order_key`), with their keys."""
        dates = self.dates
        dated = heapq.nlargest(count, (d for d in dates if not math.isnan(d)))
        floor = dated[-1] if len(dated) == count else -math.inf
        chosen = [i for i, d in enumerate(dates) if not d < floor]  # NaN too: undated
        found = [found_file(self.fs_rels[i], _Stat(self.stamps[2 * i], self.stamps[2 * i + 1]))
                 for i in chosen]
        keyed = sorted(zip(map(order_key, found, map(self.date, chosen)), found))
        return keyed[:count]


@dataclass(frozen=True, slots=True)
class _Stat:  # what found_file reads of an os.stat_result
    st_size: int
    st_mtime_ns: int


def peek_listed(root: Path, listed: Iterable[tuple[str, os.DirEntry]], tz: tzinfo) -> Peeked:
    """The files `walk_listed` gives, each opened once for its stat and its date (the first
    look: a file that is not regular or cannot be read is left to the scan, which says
    why).  The loop of the first look, 100,000 files at a first open: kept tight."""
    out = Peeked([], array("q"), array("d"))
    add_rel, add_stamp, add_date = out.fs_rels.append, out.stamps.append, out.dates.append
    offsets, is_regular, nan = {}, stat.S_ISREG, math.nan
    folder, folder_fd = None, -1  # a folder's files come together: one open folder
    try:
        for fs_rel, entry in listed:
            place, _, name = fs_rel.rpartition("/")
            try:
                if not entry.is_file():  # the listing's type (a symlink: its target's)
                    continue  # never opened: a named pipe would block
                if place != folder:
                    if folder_fd >= 0:
                        os.close(folder_fd)
                    folder, folder_fd = None, -1
                    folder_fd = os.open(os.path.join(root, place), _FOLDER_FLAGS)
                    folder = place
                fd = os.open(name, _FILE_FLAGS, dir_fd=folder_fd)
                try:
                    st, head = os.fstat(fd), os.read(fd, PEEK_BYTES)
                finally:
                    os.close(fd)
            except OSError:
                continue
            if is_regular(st.st_mode):
                add_rel(fs_rel)
                add_stamp(st.st_size)
                add_stamp(st.st_mtime_ns)
                date = front_matter_date(head, tz, offsets)
                add_date(nan if date is None else date)
    finally:
        if folder_fd >= 0:
            os.close(folder_fd)
    return out


def front_matter_date(head: bytes, tz: tzinfo, offsets: dict | None = None) -> float | None:
    """The POSIX time of the top-level `date` of the front matter that starts `head`
    (the first bytes of a file), or None if there is none to be seen there.  `offsets`
    memoizes `tz`'s offset by day (exact but for the hours of a daylight-saving change:
    good enough to order by)."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    opening = head[:1]
    if opening == b"-":  # YAML, nearly every file: one search
        end = head.find(b"\n---", 1)
        match = _YAML_DATE.search(head, 0, end if end > 0 else len(head))
        return (_timestamp(match.group(1).decode("ascii").strip(), tz,
                           {} if offsets is None else offsets) if match else None)
    if opening not in _CLOSING:
        return None
    end = head.find(_CLOSING[opening], 1)
    end = end if end > 0 else len(head)
    for key in _DATE_KEYS[opening]:
        at = head.find(key, 0, end)
        while at >= 0:
            match = _DATE_VALUE.match(head, at, end)
            if match:
                return _timestamp(match.group(1).decode("ascii").strip(), tz,
                                  {} if offsets is None else offsets)
            at = head.find(key, at + 1, end)
    return None


def _timestamp(text: str, tz: tzinfo, offsets: dict) -> float | None:
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
    except ValueError:  # another form Hugo accepts: the parser's own reading
        moment = fields.parse_date(text, tz)
        return moment.timestamp() if moment is not None else None
    if moment.tzinfo is not None:
        return moment.timestamp()
    offset = offsets.get(text[:10])  # an ISO date's day is in its first ten characters
    if offset is None:
        noon = datetime.combine(moment.date(), time(12))
        offset = offsets[text[:10]] = tz.utcoffset(noon).total_seconds()
    return (moment - _EPOCH).total_seconds() - offset


class _Peeker:
    """Reads the first KB of files, opening each relative to its folder's descriptor (a
    third cheaper than by its whole path); the walk gives a folder's files together, so
    one folder is kept open at a time."""

    def __init__(self, root: Path):
        self.root = root
        self.offsets: dict = {}  # the time zone's offset by day
        self.folder, self.folder_fd = "", -1

    def date_of(self, fs_rel: str, tz: tzinfo) -> float | None:
        try:
            head = self._read(fs_rel)
        except OSError:  # gone or unreadable: the parse will say why
            return None
        return front_matter_date(head, tz, self.offsets)

    def _read(self, fs_rel: str) -> bytes:
        folder, _, name = fs_rel.rpartition("/")
        fd = os.open(name, _FILE_FLAGS, dir_fd=self._open_folder(folder))
        try:
            return os.read(fd, PEEK_BYTES)
        finally:
            os.close(fd)

    def _open_folder(self, folder: str) -> int:
        if self.folder_fd < 0 or folder != self.folder:
            self.close()
            self.folder_fd = os.open(os.path.join(self.root, folder), _FOLDER_FLAGS)
            self.folder = folder
        return self.folder_fd

    def close(self) -> None:
        if self.folder_fd >= 0:
            os.close(self.folder_fd)
            self.folder_fd = -1
