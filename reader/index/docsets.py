"""Sets of document numbers read straight from posting blocks.

Used where scores do not matter: prefix words (`open*`, constant score, as
Whoosh scores them too) and metadata filters.  Whoosh's own constant-score
prefix query walks every posting of every expanded term one Python call at
a time; reading whole blocks of ids is several times faster.  This leans on
the 2.7.4 codec's block layout (`_block_ids`, as W3LeafMatcher reads it);
any other matcher is walked with the public `all_ids()`.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from itertools import accumulate
from typing import Callable, Iterator

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher
from whoosh.reading import TermNotFound

_BLOCK_LENGTH = struct.Struct("!i")  # negative: the posting list's last block

MAX_CACHED = 256


def term_docs(searcher, fieldname: str, terms: list[str], prefix: str | None = None,
              check: Callable[[], None] = lambda: None) -> set[int]:
    """Live documents that have any of `terms` (or any term starting with `prefix`)
    in `fieldname`.  Each segment is read on its own: its own lexicon for a prefix,
    rather than Whoosh's merged one, which is merged in Python.  `check` is called
    before each segment (it raises to stop: a common prefix takes a tenth of a second)."""
    out: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        check()
        reader = sub.reader()
        if not reader.doc_count_all():  # an empty index's EmptyReader has no lexicon
            continue
        deleted = reader.has_deletions()
        ids: set[int] = set() if deleted else out  # numbers as the searcher's, offset added
        _segment_ids(reader, fieldname, terms, prefix, offset, ids)
        if deleted and ids:
            ids -= set(map(offset.__add__, reader._perdoc.deleted_docs()))
            out |= ids
    return out


def _segment_ids(reader, fieldname: str, terms: list[str], prefix: str | None,
                 offset: int, into: set[int]) -> None:
    """Add to `into` the documents (plus `offset`) of one segment that have any of the
    terms, or any term starting with `prefix`; the prefix walks the segment's
    lexicon once (term records in order, short lists read from the record)."""
    fmt, lexicon = reader.schema[fieldname].format, reader._terms
    if prefix is not None:
        bprefix = prefix.encode("utf-8")
        for (name, btext), info in lexicon.items_from(fieldname, bprefix):
            if name != fieldname or not btext.startswith(bprefix):
                break
            _term_ids(lexicon, info, fmt, offset, into)
    for btext in (t.encode("utf-8") for t in terms):
        try:  # one look in the segment's hash table ("in", then term_info, were two)
            info = lexicon.term_info(fieldname, btext)
        except TermNotFound:
            continue
        _term_ids(lexicon, info, fmt, offset, into)


def _term_ids(lexicon, info, fmt, offset: int, into: set[int]) -> None:
    """Add one term's documents (plus `offset`) to `into`: from its record when
    inlined, else block by block (W3LeafMatcher's layout), else through the codec's
    own matcher."""
    if info.is_inlined():
        into.update(map(offset.__add__, info.inlined_postings()[0]))
    elif type(lexicon._codec).postings_reader is W3Codec.postings_reader:
        for deltas in _block_deltas(lexicon._postfile, info.extent()[0]):
            deltas[0] += offset  # each block's ids are coded from 0
            into.update(accumulate(deltas))
    else:
        into.update(map(offset.__add__, _ids(lexicon._codec.postings_reader(
            lexicon._postfile, info, fmt))))


def _block_deltas(postfile, offset: int) -> Iterator[list[int]]:
    """Each block's delta-coded ids of the posting list at `offset`: per block its length, its
    pickled info (count, last id, max weight, compression ...) and its data,
    (delta-coded ids, weights, values), each in one read.  Whoosh's matcher reads the
    same through a file object a few bytes at a time, several times slower."""
    if postfile.get(offset, 4) != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"not a posting list at {offset}")
    position, last = offset + 4, False
    while not last:
        size = _BLOCK_LENGTH.unpack(postfile.get(position, 4))[0]
        last, size = size < 0, abs(size)
        block = io.BytesIO(postfile.get(position + 4, size))
        compression = pickle.load(block)[3]
        body = block.read()
        yield list(pickle.loads(zlib.decompress(body) if compression else body)[0])
        position += 4 + size


def _ids(matcher) -> set[int]:
    if not isinstance(matcher, W3LeafMatcher):
        return set(matcher.all_ids())
    ids: set[int] = set()
    while matcher.is_active():
        matcher._read_ids()
        ids.update(matcher._ids)
        matcher._next_block()
    return ids


def prefix_docs(searcher, fieldnames, prefix: str, cache: dict,
                check: Callable[[], None] = lambda: None) -> set[int]:
    """Live documents with a word starting with `prefix` in any of the fields (cached
    per searcher: typing extends a prefix, and erasing comes back to one; a set that
    `check` stopped is not kept)."""
    key = ("prefix", tuple(fieldnames), prefix)
    if key not in cache:
        docs: set[int] = set()
        for fieldname in fieldnames:
            docs |= term_docs(searcher, fieldname, [], prefix=prefix, check=check)
        if len(cache) > MAX_CACHED:
            cache.clear()
        cache[key] = docs
    return cache[key]
