"""Every hit of a query as a set of docnums: what a held group (a saved search) needs.

A listing ranks or sorts its hits and makes a record of each; a group needs only
the set, so here there is no order, no score and no record.  The index answers
most of a query exactly (`Node.exact`); only a CJK run of three or more
characters and a phrase need each candidate's text read and checked, and only
where the rest of the query leaves the answer open.  Each node gives two sets,
`sure` (matches whatever the text says) and `maybe` (only the text can tell):

    exact node     sure = its documents           maybe = none
    run, phrase    sure = none                    maybe = its candidates
    a OR b         sure = either's sure           maybe = either's maybe, less sure
    a AND b        sure = both sure               maybe = both possible, less sure
    NOT a          sure = neither a's sure nor maybe    maybe = a's maybe

so `英伟达 OR nvidia` reads no article that says nvidia, and `英伟达 lang:en` reads
only the English candidates.  The text check (`verify`: reader/index/set_check.py)
answers as the listing's own, so the set is exactly the listing's.
"""

from __future__ import annotations

from typing import Callable

from reader.index.candidates import CandidateFinder
from reader.index.query import Node

CHECK_EVERY = 64  # texts checked between two calls of `check` (it raises to stop)


def hit_docs(finder: CandidateFinder, text: Node | None, allow: set[int] | None,
             exclude: set[int] | None, verify: Callable[[int], bool],
             check: Callable[[], None]) -> set[int]:
    """The documents matching `text` (None: any), within `allow` (None: any), not in
    `exclude`; `verify(docnum)` checks one document's text."""
    if text is None:
        sure, maybe = set(finder.all_docs() if allow is None else allow), set()
    else:
        sure, maybe = split(finder, text)
    for docs in (sure, maybe):
        if allow is not None:
            docs &= allow
        if exclude:
            docs -= exclude
    for i, docnum in enumerate(maybe):
        if i % CHECK_EVERY == 0:
            check()
        if verify(docnum):
            sure.add(docnum)
    return sure


def split(finder: CandidateFinder, node: Node) -> tuple[set[int], set[int]]:
    """(sure, maybe) of a node (see above): its matches are sure and some of maybe."""
    if node.exact:
        return finder.docs(node), set()
    if node.kind in ("run", "phrase"):
        return set(), finder.docs(node)
    parts = [split(finder, c) for c in node.children]
    if node.kind == "not":
        sure, maybe = parts[0]
        return finder.all_docs() - sure - maybe, maybe
    if node.kind == "or":
        sure = set().union(*(s for s, _ in parts))
        return sure, set().union(*(m for _, m in parts)) - sure
    return _both(parts)


def _both(parts: list[tuple[set[int], set[int]]]) -> tuple[set[int], set[int]]:
    """AND: sure where every part is sure, maybe where every part is possible."""
    parts.sort(key=lambda p: len(p[0]) + len(p[1]))
    sure = set(parts[0][0])
    possible = parts[0][0] | parts[0][1]
    for s, m in parts[1:]:
        sure &= s
        possible &= (s | m) if m else s
    return sure, possible - sure
