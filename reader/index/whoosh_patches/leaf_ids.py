"""Document numbers read straight from a segment's posting blocks.

Whoosh 2.7.4's own way to a term's documents is a matcher walked one posting
per Python call (`all_ids()`), and its constant-score prefix query does that
for every expanded term: `open*` took p95 161 ms at 10k articles.  Reading
each posting block in one go (its length, pickled info and delta-coded ids:
the W3 leaf matcher's layout), and a short list straight from its term
record, is several times faster; each term is looked up once in the
segment's hash table.  This reaches into a segment reader's `_terms` (its
lexicon and postings) and `_perdoc` (its deletions); a codec other than
W3's is walked with its own matcher.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from itertools import accumulate
from typing import Iterator

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher
from whoosh.reading import TermNotFound

_BLOCK_LENGTH = struct.Struct("!i")  # negative: the posting list's last block


def deleted_docs(reader) -> set[int]:
    """A segment's deleted document numbers (segment-relative)."""
    return set(reader._perdoc.deleted_docs())


def segment_ids_into(reader, fieldname: str, terms: list[str], prefix: str | None,
                 offset: int, into: set[int]) -> None:
    """Add to `into` the documents (plus `offset`) of one segment that have any of the
    terms, or any term starting with `prefix`; the prefix walks the segment's
    lexicon once (term records in order, short lists read from the record)."""
    if not reader.doc_count_all():  # also Whoosh's EmptyReader: no `_terms`
        return
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
