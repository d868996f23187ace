"""Sets of document numbers read straight from posting blocks.

Used where scores do not matter: prefix words (`open*`, constant score, as
Whoosh scores them too) and metadata filters.  Whoosh's own constant-score
prefix query walks every posting of every expanded term one Python call at
a time; reading whole blocks of ids is several times faster.  This leans on
the 2.7.4 codec's leaf matcher (`_read_ids`, `_next_block`); any other
matcher is walked with the public `all_ids()`.
"""

from __future__ import annotations

from typing import Callable

from whoosh.codec.whoosh3 import W3LeafMatcher

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
        fmt = reader.schema[fieldname].format
        ids: set[int] = set()
        if prefix is not None:
            ids = _prefix_ids(reader._terms, fieldname, prefix.encode("utf-8"), fmt)
        for btext in (t.encode("utf-8") for t in terms):
            if (fieldname, btext) in reader:
                ids |= _ids(reader._terms.matcher(fieldname, btext, fmt))
        if ids and reader.has_deletions():
            ids -= set(reader._perdoc.deleted_docs())
        out |= ids if offset == 0 else set(map(offset.__add__, ids))
    return out


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
