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
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable, NamedTuple

from reader.index.whoosh_patches.leaf_ids import deleted_docs
from reader.index.whoosh_patches.prefix_records import segment_prefix_terms

KEPT = 24  # walked (field, prefix) expansions kept per searcher


class Walk(NamedTuple):
    """A walked prefix's terms, each with its documents, and the deleted documents."""

    terms: dict[bytes, list[int]]
    gone: frozenset[int]


class PrefixTerms:
    """Per searcher: for each walked (field, prefix), its terms and their documents."""

    def __init__(self, searcher):
        self.searcher = searcher
        self._walked: OrderedDict[tuple[str, bytes], Walk] = OrderedDict()

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
        wanted = prefix.encode("utf-8")
        kept = [w for name, w in self._walked if name == fieldname and wanted.startswith(w)]
        if kept:
            walked = max(kept, key=len)
            self._walked.move_to_end((fieldname, walked))
            walk = self._walked[(fieldname, walked)]
            if walked == wanted:
                return walk
            return Walk({t: d for t, d in walk.terms.items() if t.startswith(wanted)},
                        walk.gone)
        walk = self._walk(fieldname, prefix, check)
        self._walked[(fieldname, wanted)] = walk
        if len(self._walked) > KEPT:
            self._walked.popitem(last=False)
        return walk

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
