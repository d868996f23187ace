"""Document numbers read straight from a segment's posting blocks.

Whoosh 2.7.4's own way to a term's documents is a matcher walked one posting
per Python call (`all_ids()`), and its constant-score prefix query does that
for every expanded term: `open*` took p95 161 ms at 10k articles.  Reading
whole blocks of ids (the W3 leaf matcher's `_read_ids` / `_next_block`), and
a short list straight from its term record, is several times faster.  This
reaches into a segment reader's `_terms` (its lexicon and postings) and
`_perdoc` (its deletions); any matcher other than W3's leaf is walked with
the public `all_ids()`.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3LeafMatcher


def segment_ids(reader, fieldname: str, btexts: list[bytes], prefix: bytes | None) -> set[int]:
    """Live documents (segment-relative numbers) of one segment reader that have any of
    `btexts`, or any term starting with `prefix`, in `fieldname`."""
    fmt = reader.schema[fieldname].format
    ids: set[int] = set()
    if prefix is not None:
        ids = _prefix_ids(reader._terms, fieldname, prefix, fmt)
    for btext in btexts:
        if (fieldname, btext) in reader:
            ids |= _ids(reader._terms.matcher(fieldname, btext, fmt))
    if ids and reader.has_deletions():
        ids -= set(reader._perdoc.deleted_docs())
    return ids


def _prefix_ids(terms, fieldname: str, prefix: bytes, fmt) -> set[int]:
    """Ids of every term with the prefix, walking the segment's lexicon once (term
    records in order, short lists read straight from the record)."""
    ids: set[int] = set()
    for (name, btext), info in terms.items_from(fieldname, prefix):
        if name != fieldname or not btext.startswith(prefix):
            break
        if info.is_inlined():
            ids.update(info.inlined_postings()[0])
        else:
            ids |= _ids(terms._codec.postings_reader(terms._postfile, info, fmt))
    return ids


def _ids(matcher) -> set[int]:
    if not isinstance(matcher, W3LeafMatcher):
        return set(matcher.all_ids())
    ids: set[int] = set()
    while matcher.is_active():
        matcher._read_ids()
        ids.update(matcher._ids)
        matcher._next_block()
    return ids
