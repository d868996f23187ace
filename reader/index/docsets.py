"""Sets of document numbers read straight from posting blocks.

Used where scores do not matter: prefix words (`open*`, constant score, as
Whoosh scores them too) and metadata filters.  Whoosh's own constant-score
prefix query walks every posting of every expanded term one Python call at
a time; reading whole blocks of ids is several times faster (the block
reading itself, on Whoosh's internals, is whoosh_patches/leaf_ids.py).
"""

from __future__ import annotations

from typing import Callable

from reader.index.whoosh_patches.leaf_ids import segment_ids

MAX_CACHED = 256


def term_docs(searcher, fieldname: str, terms: list[str], prefix: str | None = None,
              check: Callable[[], None] = lambda: None) -> set[int]:
    """Live documents that have any of `terms` (or any term starting with `prefix`)
    in `fieldname`.  Each segment is read on its own: its own lexicon for a prefix,
    rather than Whoosh's merged one, which is merged in Python.  `check` is called
    before each segment (it raises to stop: a common prefix takes a tenth of a second)."""
    out: set[int] = set()
    btexts = [t.encode("utf-8") for t in terms]
    bprefix = prefix.encode("utf-8") if prefix is not None else None
    for sub, offset in searcher.leaf_searchers():
        check()
        ids = segment_ids(sub.reader(), fieldname, btexts, bprefix)
        out |= ids if offset == 0 else set(map(offset.__add__, ids))
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
