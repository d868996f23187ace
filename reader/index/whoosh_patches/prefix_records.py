"""A segment's terms that start with a prefix, each with its documents, read in place.

A word being typed (`sup`) expands in every segment (50 at 100,000 articles, two
fields each) to its terms, and each term's postings are read: `pro` is 7,000 term
records and 96,000 postings.  Whoosh's `items_from` makes a TermInfo object and
two generator steps per term, and its posting reader unpickles each block whole
(ids, then a float per posting for the weights, then the values).  Here:

- the prefix's records are found by two bisections of the segment's key index
  (the first key at or after the prefix, the first after every key it starts),
  read straight from the mapped bytes, and parsed in place (W3's layout: lengths,
  key, a fixed TermInfo part, then inlined postings or a pointer);
- a term in one or two documents (two records in three) has them in its record's
  fixed part (its first and last document): nothing is unpickled;
- of a pickle of postings (inlined, or a block of up to 128), only the leading
  tuple of ids is decompressed and unpickled: its end is found by a regular
  expression over the pickle's opcodes (each id is a K, M or J opcode), and the
  weights and values after it are never read.

Anything else (another codec, a pickle of another shape) is read as Whoosh reads
it.  Measured on the 100k archive, a fresh prefix's whole walk (50 segments x 2
fields, CPU, best of 5 at load 14): `sup` 30.5 -> 16.5 ms, `thr` 24.1 -> 15.4 ms,
`pro` 104 -> 58 ms.
"""

from __future__ import annotations

import io
import pickle
import re
import struct
import weakref
import zlib
from itertools import accumulate

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo, W3TermsReader

from reader.index.whoosh_patches.leaf_ids import _term_ids
from reader.lazy_re import lazy

_RECORD = struct.Struct("!ii")  # an ordered hash file's key and value lengths
_INFO = W3TermInfo._struct  # a term record's fixed part: inlined?, weight, count ... ids
_POINTER = struct.Struct("!q")  # a posting list's place, after the fixed part
_BLOCK_LENGTH = struct.Struct("!i")  # negative: the posting list's last block
_INDEX_ENTRY = {code: struct.Struct("!" + code) for code in "BHiIq"}  # key index entries
# a pickled block header: (count, last id, max weight, compression, min/max length)
_HEADER = lazy(rb"\x80\x02\((?:K.|M..|J....|G.{8}){6}tq\x00\.", re.S)
# the ids that a pickled postings tuple starts with: (ids, weights, values)
_IDS = lazy(rb"\x80\x02(?:\((?:K.|M..|J....)*t|(?:K.|M..|J....){1,3}[\x85-\x87])", re.S)
_STOP = b"."


def segment_prefix_terms(reader, fieldname: str, prefix: str, offset: int,
                         terms: dict[bytes, list[int]]) -> None:
    """Add to `terms` each term of one segment's field that starts with `prefix`, with
    its documents (plus `offset`; deleted ones too) added to the term's list: a term's
    documents in one segment are distinct, and the segments' numbers are disjoint."""
    if not reader.doc_count_all():  # also Whoosh's EmptyReader: no `_terms`
        return
    lexicon, bprefix = reader._terms, prefix.encode("utf-8")
    if _in_place(lexicon):
        if fieldname in lexicon._fieldmap:
            _records(lexicon, lexicon._keycoder(fieldname, bprefix), len(bprefix), offset,
                     terms)
        return
    fmt = reader.schema[fieldname].format
    for (name, btext), info in lexicon.items_from(fieldname, bprefix):  # another codec
        if name != fieldname or not btext.startswith(bprefix):
            return
        docs: set[int] = set()
        _term_ids(lexicon, info, fmt, offset, docs)
        terms.setdefault(btext, []).extend(docs)


def _in_place(lexicon) -> bool:
    """Whether the lexicon and its postings are W3's, in mapped (or read) bytes."""
    return isinstance(lexicon, W3TermsReader) \
        and type(lexicon._codec).postings_reader is W3Codec.postings_reader \
        and all(isinstance(getattr(f, "_buf", None), (bytes, memoryview))
                for f in (getattr(lexicon._tindex, "dbfile", None), lexicon._postfile))


def _records(lexicon, start: bytes, width: int, offset: int, terms: dict) -> None:
    """Each term record whose key starts with `start` (field number and prefix, the
    prefix `width` bytes), its documents added to its term's list in `terms`."""
    tindex = lexicon._tindex
    data, postings, end = tindex.dbfile._buf, lexicon._postfile._buf, tindex.endofdata
    position, skip, length = _first_key_at(tindex, start), len(start) - width, len(start)
    fixed, unpack, info = _INFO.size, _RECORD.unpack_from, _INFO.unpack_from
    while position < end:
        keylen, datalen = unpack(data, position)
        keypos = position + _RECORD.size
        if data[keypos:keypos + length] != start:
            return
        value = keypos + keylen
        term = bytes(data[keypos + skip:value])
        ids = terms.get(term)
        if ids is None:
            ids = terms[term] = []
        inlined, _, count, _, _, _, first, last = info(data, value)
        if not inlined:
            _block_ids(postings, _POINTER.unpack_from(data, value + fixed)[0], offset, ids)
        elif count == 1:
            ids.append(first + offset)
        elif count == 2:
            ids.extend((first + offset, last + offset))
        else:
            ids.extend(map(offset.__add__, _pickled_ids(data[value + fixed:value + datalen])))
        position = value + datalen


_PROBED = weakref.WeakKeyDictionary()  # key index -> {entry: key} of its bisections' top
_KEPT_SPAN = 64  # a bisection's keys are kept while its span is wider than this


def _first_key_at(tindex, key: bytes) -> int:
    """The position of the first key at or after `key` (the end of the keys if none
    is), by bisecting the ordered hash file's key index.  The first steps of every
    bisection look at the same few keys: those are kept (a few hundred a segment)."""
    data, entry = tindex.dbfile._buf, _INDEX_ENTRY[tindex.extras["indextype"]].unpack_from
    base, size, lengths = tindex.indexbase, tindex.indexsize, _RECORD.unpack_from
    kept = _PROBED.get(tindex)
    if kept is None:
        kept = _PROBED[tindex] = {}
    lo, hi = 0, tindex.indexlen
    while lo < hi:
        mid = (lo + hi) // 2
        found = kept.get(mid)
        if found is None:
            position = entry(data, base + mid * size)[0]
            keypos = position + _RECORD.size
            found = bytes(data[keypos:keypos + lengths(data, position)[0]])
            if hi - lo > _KEPT_SPAN:
                kept[mid] = found
        if found < key:
            lo = mid + 1
        else:
            hi = mid
    return entry(data, base + lo * size)[0] if lo < tindex.indexlen else tindex.endofdata


def _pickled_ids(pickled) -> tuple[int, ...]:
    """The first element (the ids) of a pickled (ids, weights, values) tuple, unpickled
    alone where its opcodes are the usual ones."""
    ids = _IDS.match(pickled)
    if ids is None:
        return pickle.loads(pickled)[0]
    return pickle.loads(bytes(pickled[:ids.end()]) + _STOP)


def _block_ids(postings, at: int, offset: int, into: list[int]) -> None:
    """Add to `into` the documents (plus `offset`) of the posting list at `at`, block by
    block (W3LeafMatcher's layout: each block's length, pickled header and data, whose
    ids are delta-coded from 0), decompressing only as much as the ids take."""
    if bytes(postings[at:at + 4]) != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"not a posting list at {at}")
    position, last = at + 4, False
    while not last:
        size = _BLOCK_LENGTH.unpack_from(postings, position)[0]
        last, size, start = size < 0, abs(size), position + 4
        deltas = _block_deltas(postings[start:start + size])
        deltas[0] += offset
        into.extend(accumulate(deltas))
        position = start + size


def _block_deltas(block) -> list[int]:
    header = _HEADER.match(block)
    if header is None:  # another header's shape: read as Whoosh reads it
        data = io.BytesIO(block)
        compression = pickle.load(data)[3]
        body = data.read()
        return list(pickle.loads(zlib.decompress(body) if compression else body)[0])
    count, _, _, compression, _, _ = pickle.loads(block[:header.end()])
    body = block[header.end():]
    # the ids come first: each at most 5 bytes, with the tuple's 4 bytes of opcodes
    head = zlib.decompressobj().decompress(body, 5 * count + 4) if compression else body
    ids = _IDS.match(head)
    if ids is not None:
        deltas = list(pickle.loads(bytes(head[:ids.end()]) + _STOP))
        if len(deltas) == count:
            return deltas
    return list(pickle.loads(zlib.decompress(body) if compression else body)[0])
