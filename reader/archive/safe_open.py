"""Reading an article file without ever blocking: regular files only.

Opening a named pipe for reading waits until something writes to it, and a
device may never end, so a `fifo.md` once hung the scan, the index and the
reader for good.  Every place that reads an article file (the scan, opening an
article, the index writer, the search's text check and snippets) goes through
`read_regular`: the name is checked with stat before it is opened, then opened
with O_NONBLOCK (which returns at once whatever the name has become since) and
checked again on the open descriptor (fstat), so a file swapped for a pipe in
between is refused too.
"""

from __future__ import annotations

import os
import stat

_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
          | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))


class NotRegularFile(OSError):
    """The name is a folder, pipe, socket or device; str() says which."""


def kind_of(mode: int) -> str:
    """What a file of this mode is, in words ("a named pipe")."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def not_regular(mode: int) -> str:
    """The reason a file of this mode is not read ('' for a regular file)."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    return f"is {kind_of(mode)}, not a regular file: not read"


def read_regular(path: str | os.PathLike, limit: int) -> tuple[bytes, os.stat_result]:
    """The first `limit` bytes of a regular file and its stat.  Raises NotRegularFile for
    anything else (without opening it where stat already tells), OSError as open does."""
    reason = not_regular(os.stat(path).st_mode)
    if reason:
        raise NotRegularFile(reason)
    fd = os.open(path, _FLAGS)
    with open(fd, "rb", closefd=True) as file:
        st = os.fstat(fd)
        reason = not_regular(st.st_mode)
        if reason:  # replaced between the stat and the open
            raise NotRegularFile(reason)
        return _read_up_to(file, limit, st.st_size), st


def _read_up_to(file, limit: int, size: int) -> bytes:
    """file.read(limit), without the `limit`-sized buffer that read allocates (and gives
    back) for each file (35 us a file at 16 MB): as many bytes as stat saw plus one, and
    then, if the file has grown, the rest."""
    first = min(limit, size + 1)
    data = file.read(first)
    if len(data) == first < limit:
        data += file.read(limit - first)
    return data
