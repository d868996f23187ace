"""The documents of a prefix word (`nvid` while it is typed, `open*`), by the terms it
expands to, kept so that the next keystroke narrows them instead of walking again.

A prefix walks every segment's lexicon from the prefix on (at 100,000 articles in 50
segments, `sup` expands to 6,800 term records; the walk itself is
whoosh_patches/prefix_records.py).  Typing the word on (`sup`, `supp`, `supply`) asks
for prefixes of prefixes: each walk keeps its terms with their documents, and a
longer prefix is the union of the kept terms that start with it, with no lexicon
read.  Erasing back to a walked prefix finds it kept too.  A term's documents are
kept as a list (deleted ones too: they are taken out of each union), which is
quicker to fill than a set.

The walks are kept per index commit, not per searcher: the reader's two searchers
(the first page's and the complete list's, see reader/session/search.py) are on
the same commit most of the time, and the complete list, asked for a moment after
the first page, finds the first page's walk.  A commit is known by its folder,
generation and segments (each with its deleted count): another commit (new
articles, deleted ones) has walks of its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, NamedTuple

from reader.index.whoosh_patches.leaf_ids import deleted_docs
from reader.index.whoosh_patches.prefix_records import segment_prefix_terms

KEPT = 24  # walked (field, prefix) expansions kept per index commit
COMMITS = 4  # commits whose walks are kept (the reader's two searchers share one)


class Walk(NamedTuple):
    """A walked prefix's terms, each with its documents, and the deleted documents."""

    terms: dict[bytes, list[int]]
    gone: frozenset[int]


class PrefixTerms:
    """Per searcher: for each walked (field, prefix), its terms and their documents (kept
    with the walks of every searcher on the same commit)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self._kept = _kept_for(searcher)

    def docs(self, fieldnames, prefix: str, check: Callable[[], None] = lambda: None
             ) -> set[int]:
        """Live documents with a word starting with `prefix` in any of the fields;
        `check` is called before each segment of a walk (it raises to stop)."""
        out: set[int] = set()
        gone: frozenset[int] = frozenset()
        for fieldname in fieldnames:
            walk = self.terms(fieldname, prefix, check)
            out.update(*walk.terms.values())
            gone = walk.gone
        return out - gone if gone else out

    def terms(self, fieldname: str, prefix: str, check: Callable[[], None] = lambda: None
              ) -> Walk:
        """The field's terms that start with `prefix`, each with its documents."""
        wanted, kept = prefix.encode("utf-8"), self._kept
        with kept.lock:  # (a walk that `check` stops releases it)
            walked = max((w for name, w in kept.walks if name == fieldname
                          and wanted.startswith(w)), key=len, default=None)
            if walked is None:
                walk = kept.walks[(fieldname, wanted)] = self._walk(fieldname, prefix, check)
                if len(kept.walks) > KEPT:
                    kept.walks.popitem(last=False)
                return walk
            kept.walks.move_to_end((fieldname, walked))
            walk = kept.walks[(fieldname, walked)]
        if walked == wanted:
            return walk
        return Walk({t: d for t, d in walk.terms.items() if t.startswith(wanted)}, walk.gone)

    def _walk(self, fieldname: str, prefix: str, check: Callable[[], None]) -> Walk:
        terms: dict[bytes, list[int]] = {}
        gone: set[int] = set()
        for sub, offset in self.searcher.leaf_searchers():
            check()
            reader = sub.reader()
            if not reader.doc_count_all():  # an empty index's EmptyReader has no lexicon
                continue
            if reader.has_deletions():
                gone.update(map(offset.__add__, deleted_docs(reader)))
            segment_prefix_terms(reader, fieldname, prefix, offset, terms)
        return Walk(terms, frozenset(gone))


class _Kept:
    """The walks kept for one commit, and the lock of the threads that share them."""

    def __init__(self):
        self.walks: OrderedDict[tuple[str, bytes], Walk] = OrderedDict()
        self.lock = threading.Lock()


_COMMITS: OrderedDict[tuple, _Kept] = OrderedDict()
_COMMITS_LOCK = threading.Lock()


def _kept_for(searcher) -> _Kept:
    """The walks of the searcher's commit (its own, if the commit cannot be told)."""
    commit = _commit_of(searcher)
    if commit is None:
        return _Kept()
    with _COMMITS_LOCK:
        kept = _COMMITS.get(commit)
        if kept is None:
            kept = _COMMITS[commit] = _Kept()
            if len(_COMMITS) > COMMITS:
                _COMMITS.popitem(last=False)
        _COMMITS.move_to_end(commit)
        return kept


def _commit_of(searcher) -> tuple | None:
    """(folder, generation, (segment id, deleted count) of each segment), or None."""
    folder = getattr(getattr(getattr(searcher, "_ix", None), "storage", None), "folder", None)
    generation = searcher.reader().generation()
    segments = []
    for sub, _ in searcher.leaf_searchers():
        segment = getattr(sub.reader(), "segment", lambda: None)()
        if segment is None:
            return None
        segments.append((segment.segment_id(), segment.deleted_count()))
    if folder is None or generation is None or generation < 0:
        return None
    return str(folder), generation, tuple(segments)
