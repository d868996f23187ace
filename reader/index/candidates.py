"""The candidate set of a query as document numbers, and cheap orders over it.

Every query's matches are first computed as a set of docnums from the
posting blocks (`docsets.term_docs`, C-speed set algebra): the exact count
comes for free, and a date order needs only the date column.  Whoosh's
scoring (BM25F) then ranks the candidates when its work is moderate: it
walks every posting of the query's terms, whatever the filters, at several
microseconds each.  Past `BROAD` postings (a single common character typed
first, a common word, a filter over a common word) scoring would cost a
quarter second per keystroke at 100k articles, so such queries are ordered
title matches first, each part newest first.
"""

from __future__ import annotations

import heapq
from dataclasses import replace

from reader.index.docsets import term_docs
from reader.index.query import Node, phrase_terms

BROAD = 5000  # postings Whoosh would walk to score: past this, the cheap order is used
MAX_CACHED = 512


class CandidateFinder:
    """Docnum sets per searcher; term sets are cached (a keystroke repeats most terms)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self._terms: dict[tuple[str, str], set[int]] = {}
        self._all: set[int] | None = None
        self._dates: list[int] | None = None
        self.work = 0  # postings behind the sets made since the last reset

    def reset_work(self) -> None:
        self.work = 0

    def all_docs(self) -> set[int]:
        if self._all is None:
            self._all = set(self.searcher.reader().all_doc_ids())
        return self._all

    def docs(self, node: Node) -> set[int]:
        """A superset of the node's matches (exact unless the node is not `exact`)."""
        kind = node.kind
        if kind == "and":
            sets = sorted((self.docs(c) for c in node.children if c.kind != "not"), key=len)
            result = set(sets[0]) if sets else set(self.all_docs())
            for s in sets[1:]:
                result &= s
            for c in node.children:
                if c.kind == "not" and c.children[0].exact:
                    result -= self.docs(c.children[0])
            return result
        if kind == "or":
            return set().union(*(self.docs(c) for c in node.children))
        if kind == "not":
            child = node.children[0]
            return self.all_docs() - self.docs(child) if child.exact else set(self.all_docs())
        terms = phrase_terms(node) if kind in ("run", "phrase") else [node.text]
        per_field = []
        for fieldname in node.fields:
            sets = sorted((self._term(fieldname, t) for t in terms), key=len)
            per_field.append(set.intersection(*sets) if len(sets) > 1 else sets[0])
        return set().union(*per_field)

    def _term(self, fieldname: str, term: str) -> set[int]:
        key = (fieldname, term)
        if key not in self._terms:
            if len(self._terms) > MAX_CACHED:
                self._terms.clear()
            self._terms[key] = term_docs(self.searcher, fieldname, [term])
        self.work += len(self._terms[key])
        return self._terms[key]

    def dates(self) -> list[int]:
        """Every document's date (epoch seconds), indexed by docnum."""
        if self._dates is None:
            self._dates = list(self.searcher.reader().column_reader("date"))
        return self._dates

    def newest(self, docs: set[int], limit: int | None) -> list[int]:
        key = self.dates().__getitem__
        if limit is None or limit >= len(docs):
            return sorted(docs, key=key, reverse=True)
        return heapq.nlargest(limit, docs, key=key)

    def broad_order(self, text: Node, docs: set[int], limit: int | None) -> list[int]:
        """Title matches newest first, then the others newest first."""
        titled = self.docs(in_title(text)) & docs
        first = self.newest(titled, limit)
        if limit is not None and len(first) >= limit:
            return first
        rest = self.newest(docs - titled, None if limit is None else limit - len(first))
        return first + rest


def in_title(node: Node) -> Node:
    """The node with every text part looked for in the title only."""
    if node.children:
        return replace(node, children=[in_title(c) for c in node.children])
    return replace(node, fields=("title",))
