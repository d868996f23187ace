"""Every document's path in a segment, read from the `path` field's term records.

A query group (a saved search) needs the path of each of its hits: tens of
thousands at 100k articles.  Whoosh's way to a path is the document's stored
fields, decompressed and unpickled per document (67,000 paths: 3.3 s of CPU);
its lexicon iterator decodes a TermInfo object per term (100,000 paths: 1.2 s).
The path field is unique, so each term's record names its one document (the
W3 term record's min and max id, `W3TermInfo._struct`): the segment's ordered
term table (`OrderedHashReader`: key length, data length, key, data) is read in
one piece and walked with `unpack_from`.  A term with several documents (a
path replaced within one segment: the others are deleted) has its posting list
read (leaf_ids), each of them getting the path.
"""

from __future__ import annotations

import struct

from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.filedb.filetables import _lengths
from whoosh.system import pack_ushort

from reader.index.whoosh_patches.leaf_ids import segment_ids_into

_IDS = struct.Struct("!II")  # min id, max id: the last two fields of W3TermInfo._struct
_IDS_AT = W3TermInfo._struct.size - _IDS.size


def segment_paths(reader, fieldname: str = "path") -> list[str | None]:
    """Each document's path by the segment's own docnum (None: none recorded)."""
    paths: list[str | None] = [None] * reader.doc_count_all()
    if not paths:  # no documents: also Whoosh's EmptyReader (an index of no segment)
        return paths
    terms = reader._terms
    fnum = terms._fieldmap.get(fieldname)
    if fnum is None or not paths:
        return paths
    table, prefix = terms._tindex, pack_ushort(fnum)
    start = table.closest_key_pos(prefix)
    if start is None:
        return paths
    data = table.dbfile.get(start, table.endofdata - start)
    at, size, heads = 0, len(data), _lengths.size
    while at < size:
        keylen, datalen = _lengths.unpack_from(data, at)
        key = data[at + heads:at + heads + keylen]
        if key[:2] != prefix:
            break
        low, high = _IDS.unpack_from(data, at + heads + keylen + _IDS_AT)
        path = key[2:].decode("utf-8")
        if low == high:
            paths[low] = path
        else:
            _each_document(reader, fieldname, path, paths)
        at += heads + keylen + datalen
    return paths


def _each_document(reader, fieldname: str, path: str, paths: list) -> None:
    docs: set[int] = set()
    segment_ids_into(reader, fieldname, [path], None, 0, docs)
    for docnum in docs:
        paths[docnum] = path
