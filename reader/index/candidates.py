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

"Newest first" is one order for every caller, date then docnum (`newest_order`,
made once per searcher when the reader warms it; a single search picks from the
dates instead, in the same order): the first page of a search is exactly the head of its
complete list.  The newest hits of a broad set are found by walking that order
until enough are in the set (`filter` at C speed: a hundredth of the set's
size), not by a heap over the whole set.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_right
from dataclasses import replace
from itertools import islice
from typing import Callable

from reader.index.docsets import term_docs
from reader.index.prefixes import PrefixTerms
from reader.index.whoosh_patches.numeric_column import numeric_values
from reader.index.query import Filter, Node, phrase_terms

BROAD = 5000  # postings Whoosh would walk to score: past this, the cheap order is used
MAX_CACHED = 512


class CandidateFinder:
    """Docnum sets per searcher; term sets are cached (a keystroke repeats most terms).
    `leaves`: only these (sub-searcher, offset) pairs of the searcher are read (the
    segments that hold a few paths: a query group looked for again within a delta)."""

    def __init__(self, searcher, leaves=None):
        self.searcher = searcher
        self.leaves = leaves
        self._terms: dict[tuple, set[int]] = {}
        self._all: set[int] | None = None
        self._dates: array | None = None
        self._order: tuple[array, array] | None = None
        self.prefixes = PrefixTerms(searcher)
        self.work = 0  # postings behind the sets made since the last reset

    def reset_work(self) -> None:
        self.work = 0

    def all_docs(self) -> set[int]:
        if self._all is None:
            if self.leaves is None:
                self._all = set(self.searcher.reader().all_doc_ids())
            else:
                self._all = {offset + d for sub, offset in self.leaves
                             for d in sub.reader().all_doc_ids()}
        return self._all

    def filter_docs(self, f: Filter) -> set[int]:
        """The live documents of a filter (negation aside): a tag, category, language or
        source from posting blocks (`lang:zh` also takes zh-CN, zh-HK ...), a date range
        from the date column; "any": the documents of any of its filters (each one's
        negation taken)."""
        if f.field == "any":
            return set().union(*((self.all_docs() - self.filter_docs(c)) if c.negated
                                 else self.filter_docs(c) for c in f.value))
        if f.field == "date":
            return self._cached(("date", f.value), lambda: self._dated(*f.value))
        value = str(f.value)
        prefix = value + "-" if f.field == "lang" and "-" not in value else None
        return self._cached(("filter", f.field, value), lambda: term_docs(
            self.searcher, f.field, [value], prefix, leaves=self.leaves))

    def _dated(self, start: int | None, end: int | None) -> set[int]:
        """The live documents dated from `start` until before `end` (None: no bound),
        from the date column (every document has a date), as `filter_query`'s range."""
        low, high = -2 ** 63 if start is None else start, 2 ** 63 if end is None else end
        if self.leaves is None:
            return self._dated_in_order(low, high)
        out: set[int] = set()
        for sub, offset in self.leaves:
            reader = sub.reader()
            dated = _in_span(numeric_values(reader, "date"), low, high)
            out.update(offset + d for d in dated & set(reader.all_doc_ids()))
        return out

    def _dated_in_order(self, low: int, high: int) -> set[int]:
        """The whole searcher's: a slice of the newest-first order, whose dates fall as it
        goes (two bisections and one set made from an array, not a pass over every
        document: the first `after:2024-06-01` took 0.2 s at 100,000 articles).  Until
        the order is made (it costs 0.1 s at 100k, and a hit set never needs it), one
        pass over the dates (6 ms)."""
        dates = self.dates()
        if self._order is None:
            docs = _in_span(dates, low, high)
        else:
            order = self._order[0]

            def older(docnum: int) -> int:  # rises along the newest-first order
                return -dates[docnum]

            first = bisect_right(order, -high, key=older)  # dated >= high
            docs = set(order[first:bisect_right(order, -low, key=older)])
        if self.searcher.reader().has_deletions():
            docs &= self.all_docs()
        return docs

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
        if kind == "prefix":  # (a prefix inside OR or NOT was looked up as a whole word)
            if self.leaves is not None:  # a delta's segments only: not the kept walks
                return set().union(*(self._cached(("prefix", f, node.text), lambda f=f: term_docs(
                    self.searcher, f, [], prefix=node.text, leaves=self.leaves))
                    for f in node.fields))
            return self.prefix_docs(node)
        terms = phrase_terms(node) if kind in ("run", "phrase") else [node.text]
        per_field = []
        for fieldname in node.fields:
            sets = sorted((self._term(fieldname, t) for t in terms), key=len)
            per_field.append(set.intersection(*sets) if len(sets) > 1 else sets[0])
        return set().union(*per_field)

    def prefix_docs(self, node: Node, check: Callable[[], None] = lambda: None) -> set[int]:
        """The documents of a prefix node's words (reader/index/prefixes.py)."""
        docs = self.prefixes.docs(node.fields, node.text, check)
        self.work += len(docs)
        return docs

    def _term(self, fieldname: str, term: str) -> set[int]:
        return self._cached((fieldname, term), lambda: term_docs(
            self.searcher, fieldname, [term], leaves=self.leaves))

    def _cached(self, key: tuple, make) -> set[int]:
        if key not in self._terms:
            if len(self._terms) > MAX_CACHED:
                self._terms.clear()
            self._terms[key] = make()
        self.work += len(self._terms[key])
        return self._terms[key]

    def dates(self) -> array:
        """Every document's date (epoch seconds), indexed by docnum."""
        if self._dates is None:
            self._dates = numeric_values(self.searcher.reader(), "date")  # 0.27 s -> 1 ms
        return self._dates

    def newest_order(self) -> tuple[array, array]:
        """Every docnum newest first (equal dates: the lower docnum first), and each
        docnum's place in that order."""
        if self._order is None:
            dates = self.dates()
            order = array("i", sorted(range(len(dates)), key=dates.__getitem__, reverse=True))
            place = array("i", bytes(4 * len(order)))
            for index, docnum in enumerate(order):
                place[docnum] = index
            self._order = order, place
        return self._order

    def newest(self, docs: set[int], limit: int | None) -> list[int]:
        """The first `limit` of `docs` (None: all) in the newest-first order.  Until the
        order is made (`SearchIndex.warm`: the reader's), they are picked from the dates:
        one search alone (`newsreader search`) would pay more for the order of the whole
        archive (60 ms at 100k) than its sets cost to sort."""
        if self._order is None:
            return newest_by_date(docs, self.dates(), limit)
        order, place = self.newest_order()
        if _walk_is_cheaper(len(docs), len(order), limit):
            found = filter(docs.__contains__, order)
            return list(found if limit is None else islice(found, limit))
        if limit is None or limit >= len(docs):
            return sorted(docs, key=place.__getitem__)
        return heapq.nsmallest(limit, docs, key=place.__getitem__)

    def broad_order(self, text: Node, docs: set[int], limit: int | None) -> list[int]:
        """Title matches newest first, then the others newest first."""
        titled = self.docs(in_title(text)) & docs
        first = self.newest(titled, limit)
        if limit is not None and len(first) >= limit:
            return first
        rest = self.newest(docs - titled, None if limit is None else limit - len(first))
        return first + rest


def newest_by_date(docs: set[int], dates, limit: int | None) -> list[int]:
    """`newest_order`'s head of `docs`, from their dates alone: stable sorts and heaps keep
    equal dates in docnum order."""
    ascending = sorted(docs)
    if limit is None or limit >= len(ascending):
        return sorted(ascending, key=dates.__getitem__, reverse=True)
    return heapq.nlargest(limit, ascending, key=dates.__getitem__)


def _in_span(dates: array, low: int, high: int) -> set[int]:
    """The docnums whose date is from `low` until before `high`."""
    return {d for d, date in enumerate(dates) if low <= date < high}


def _walk_is_cheaper(size: int, archive: int, limit: int | None) -> bool:
    """Whether walking the archive's order beats sorting the set (a step of the walk
    costs about a third of a sorted item): a walk for `limit` items goes about
    limit * archive / size steps."""
    if size == 0:
        return False
    steps = archive if limit is None else min(archive, limit * archive // size)
    return steps < 3 * size


def in_title(node: Node) -> Node:
    """The node with every text part looked for in the title only."""
    if node.children:
        return replace(node, children=[in_title(c) for c in node.children])
    return replace(node, fields=("title",))
