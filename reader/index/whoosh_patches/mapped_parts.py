"""Reading the parts of a compound segment from its memory map, without copying them.

Whoosh 2.7.4 maps each compound segment file (mmap) and hands out each part
(terms, postings, stored fields ...) as a BufferFile, whose constructor copies
the part into a BytesIO.  Opening a searcher therefore read and copied the
whole index: at 100,000 articles ~600 MB of copies plus ~600 MB of mapped
pages, for each of the reader's two searchers.  Here a part reads straight
from the map through Whoosh's SubFile (a seek and a read of just the bytes
asked for), and its random-access `get` slices a memoryview as before.  Each
page is touched once when the part opens (in the worker that opens the
searcher), so later lookups take no page faults: queries cost what they did
with the copies, and the pages are the file's, shared with the page cache,
not private memory.

`install()` swaps CompoundStorage.open_file once per process; the index
modules call it before any index is opened (the writer's child process too).
A short-lived process that looks up a few terms (`newsreader search`) calls
`touch_pages(False)` first: touching every page of a 640 MB index cost it a
tenth of a second and made its resident size 650 MB, for a search that reads
a few hundred KB of it.
"""

from __future__ import annotations

import mmap

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

_original_open_file = compound.CompoundStorage.open_file
PAGE = mmap.PAGESIZE
_touch = [True]


def touch_pages(on: bool) -> None:
    """Whether parts opened from now on map every page at once (the default)."""
    _touch[0] = on


class MappedPart(BufferFile):
    """A BufferFile over [offset, offset + length) of a map, read in place."""

    def __init__(self, source, offset: int, length: int, name: str | None = None):
        self._buf = memoryview(source)[offset:offset + length]
        if _touch[0]:  # map every page now, once: a first look at a term then costs
            bytes(self._buf[::PAGE])  # no page faults (they made cold queries ~2x slower)
        self._name = name
        self.file = compound.SubFile(source, offset, length, name=name)
        self.onclose = None
        self.is_real = False
        self.is_closed = False


def _open_part(self, name, *args, **kwargs):
    if self.is_closed or not self._source:
        return _original_open_file(self, name, *args, **kwargs)
    offset, length = self.range(name)
    return MappedPart(self._source, offset, length, name=name)


def install() -> None:
    compound.CompoundStorage.open_file = _open_part
