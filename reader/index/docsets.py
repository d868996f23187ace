"""Sets of document numbers read straight from posting blocks.

Used where scores do not matter: prefix words (`open*`, constant score, as
Whoosh scores them too) and metadata filters.  Whoosh's own constant-score
prefix query walks every posting of every expanded term one Python call at
a time; reading whole blocks of ids is several times faster (the block
reading itself, on Whoosh's internals, is whoosh_patches/leaf_ids.py).
"""

from __future__ import annotations

from typing import Callable

from reader.index.whoosh_patches.leaf_ids import deleted_docs, segment_ids_into

MAX_CACHED = 256


def term_docs(searcher, fieldname: str, terms: list[str], prefix: str | None = None,
              check: Callable[[], None] = lambda: None, leaves=None) -> set[int]:
    """Live documents that have any of `terms` (or any term starting with `prefix`)
    in `fieldname`.  Each segment is read on its own: its own lexicon for a prefix,
    rather than Whoosh's merged one, which is merged in Python.  `check` is called
    before each segment (it raises to stop: a common prefix takes a tenth of a second).
    `leaves`: only these of the searcher's (sub-searcher, offset) pairs are read."""
    out: set[int] = set()
    for sub, offset in searcher.leaf_searchers() if leaves is None else leaves:
        check()
        reader = sub.reader()
        if not reader.doc_count_all():  # an empty index's EmptyReader has no lexicon
            continue
        deleted = reader.has_deletions()
        ids: set[int] = set() if deleted else out  # numbers as the searcher's, offset added
        segment_ids_into(reader, fieldname, terms, prefix, offset, ids)
        if deleted and ids:
            ids -= set(map(offset.__add__, deleted_docs(reader)))
            out |= ids
    return out


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
