"""A hash file's directory of 256 tables read in one piece when it opens.

Whoosh 2.7.4's HashReader reads the directory at the end of a terms file one
12-byte entry per Python call (256 reads through the compound file's SubFile):
opening a searcher over 50 segments, which a `newsreader search` process does
once and the reader after every commit, spent 0.05 s of its 0.06 s of CPU there.
Here the 256 entries are one read and one `iter_unpack`: the same list of
(position, numslots).  `install()` swaps HashReader.__init__ for this copy of
it, which differs only in that read.
"""

from __future__ import annotations

import os

from whoosh.filedb import filetables
from whoosh.filedb.filetables import FileFormatError, HashReader

_original_init = HashReader.__init__


def _init(self, dbfile, length=None, magic=b"HSH3", startoffset=0):
    self.dbfile = dbfile
    self.startoffset = startoffset
    self.is_closed = False
    if length is None:
        dbfile.seek(0, os.SEEK_END)
        length = dbfile.tell() - startoffset
    dbfile.seek(startoffset)
    filemagic = dbfile.read(4)
    if filemagic != magic:
        raise FileFormatError("Unknown file header %r" % filemagic)
    self.hashtype = dbfile.read_byte()
    self.hashfn = filetables._hash_functions[self.hashtype]
    dbfile.read_int()  # unused future expansion bits
    dbfile.read_int()
    self.startofdata = dbfile.tell()
    exptr = startoffset + length - filetables._INT_SIZE
    expos = exptr - dbfile.get_int(exptr)  # the extras' length, at the end of the file
    dbfile.seek(expos)
    self._read_extras()
    dbfile.seek(expos - filetables._directory_size)
    data = dbfile.read(filetables._directory_size)
    if len(data) != filetables._directory_size:
        raise EOFError("hash file directory cut short")
    self.tables = list(filetables._dir_entry.iter_unpack(data))
    self.endofdata = self.tables[0][0]


def install() -> None:
    HashReader.__init__ = _init
