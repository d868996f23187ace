"""The documents of a prefix word (`nvid` while it is typed, `open*`), by the terms it
expands to, kept so that the next keystroke narrows them instead of walking again.

A prefix walks every segment's lexicon from the prefix on (at 100,000 articles in 50
segments, `sup` expands to 6,800 term records: 30-40 ms).  Typing the word on
(`sup`, `supp`, `supply`) asks for prefixes of prefixes: each walk keeps its terms
with their documents, and a longer prefix is the union of the kept terms that start
with it (a few set unions), with no lexicon read.  Erasing back to a walked prefix
finds it kept too.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable

from reader.index.whoosh_patches.leaf_ids import deleted_docs, segment_prefix_terms

KEPT = 24  # walked (field, prefix) expansions kept per searcher


class PrefixTerms:
    """Per searcher: for each walked (field, prefix), its terms and their live documents."""

    def __init__(self, searcher):
        self.searcher = searcher
        self._walked: OrderedDict[tuple[str, bytes], dict[bytes, set[int]]] = OrderedDict()

    def docs(self, fieldnames, prefix: str, check: Callable[[], None] = lambda: None
             ) -> set[int]:
        """Live documents with a word starting with `prefix` in any of the fields;
        `check` is called before each segment of a walk (it raises to stop)."""
        out: set[int] = set()
        for fieldname in fieldnames:
            out.update(*self.terms(fieldname, prefix, check).values())
        return out

    def terms(self, fieldname: str, prefix: str, check: Callable[[], None] = lambda: None
              ) -> dict[bytes, set[int]]:
        """The field's terms that start with `prefix`, each with its live documents."""
        wanted = prefix.encode("utf-8")
        kept = [w for name, w in self._walked if name == fieldname and wanted.startswith(w)]
        if kept:
            walked = max(kept, key=len)
            self._walked.move_to_end((fieldname, walked))
            terms = self._walked[(fieldname, walked)]
            if walked == wanted:
                return terms
            return {t: d for t, d in terms.items() if t.startswith(wanted)}
        terms = self._walk(fieldname, prefix, check)
        self._walked[(fieldname, wanted)] = terms
        if len(self._walked) > KEPT:
            self._walked.popitem(last=False)
        return terms

    def _walk(self, fieldname: str, prefix: str, check: Callable[[], None]
              ) -> dict[bytes, set[int]]:
        terms: dict[bytes, set[int]] = {}
        gone: set[int] = set()
        for sub, offset in self.searcher.leaf_searchers():
            check()
            reader = sub.reader()
            if not reader.doc_count_all():  # an empty index's EmptyReader has no lexicon
                continue
            if reader.has_deletions():
                gone.update(map(offset.__add__, deleted_docs(reader)))
            segment_prefix_terms(reader, fieldname, prefix, offset, terms)
        if gone:
            for term in list(terms):
                terms[term] -= gone
                if not terms[term]:
                    del terms[term]
        return terms
