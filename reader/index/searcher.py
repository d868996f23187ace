"""Searching an archive's index: one Whoosh searcher, reused and refreshed.

    index = SearchIndex.open(index_dir)
    results = index.search('英伟达 OR nvidia -crypto lang:en', limit=50, sort="relevance")

`search` never raises for a malformed query: `results.error` says what is
wrong (a `QueryError` message); nor for a damaged index, which is reported
the same way and marked so that the next update rebuilds it.  It is safe to call from several threads
while another thread (or the indexer process) updates the index: searches
run one at a time on the last committed index, refreshed at most every
`REFRESH_SECONDS`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Sequence
from zoneinfo import ZoneInfo

from whoosh import collectors
from whoosh import query as wq
from whoosh.query import Every
from whoosh.reading import TermNotFound

from reader.index.analysis import fold, script_variants
from reader.index.matching import ArticleText, matches, to_whoosh
from reader.index.candidates import BROAD, CandidateFinder
from reader.index.hit_sets import hit_docs
from reader.index.set_check import TextCheck
from reader.index.kept_checks import CHECKS_FILE, KeptChecks
from reader.index.path_table import PathTable
from reader.index.whoosh_patches.term_lookup import live_docnum
from reader.index.query import (SIGHTINGS, Filter, Node, ParsedQuery, QueryError, Scope,
                                parse_query)
from reader.index.results import Hit, SearchResults, checked_text
from reader.index.store import (damaged_path, load_summary, manifest_path, mark_damaged,
                                open_index)

REFRESH_SECONDS = 0.5
CANCEL_EVERY = 256  # hits collected between two questions to `cancelled`
EXACT_CHECKS = 100  # candidates always checked, so that small totals are exact
PATH_SETS = 8  # scopes' path sets whose docnums are kept per searcher
TEXTS_KEPT = 1024  # checked articles' texts kept per searcher (about 8 kB each)
DEFAULT_TZ = "Asia/Shanghai"
UNREADABLE = "the search index cannot be read: it is rebuilt at the next update"


@dataclass(frozen=True)
class IndexStatus:
    indexed: int  # articles in the last committed index
    complete: bool  # the last update ran to its end
    exists: bool


class SearchIndex:
    def __init__(self, index_dir: Path, root: Path | None = None, timezone: str | None = None):
        self.index_dir = Path(index_dir)
        summary = load_summary(self.index_dir)
        self.root = Path(root) if root else Path(summary.root) if summary else None
        self.tz = ZoneInfo(timezone or DEFAULT_TZ)
        self._lock = threading.RLock()
        self._searcher = None
        self._checked = 0.0
        self._docnums: dict[str, int | None] = {}
        self._paths: dict[int, str] = {}  # per searcher: docnum -> path
        self._request = _Request(False, _never, None)  # the search running (under the lock)
        self._filters: dict[tuple, set[int]] = {}  # per searcher: filter -> docnums
        self._path_sets: dict[frozenset[str], frozenset[int]] = {}  # per searcher: the same
        self._status: tuple[int, IndexStatus] | None = None
        self._candidates: CandidateFinder | None = None
        self._texts: dict[int, ArticleText] = {}  # per searcher: the texts checked last
        self._segment_paths: dict[str, list[str | None]] = {}  # segment id -> its paths
        self._table: PathTable | None = None  # per searcher (hit_set's)
        self._within: tuple[object, tuple, CandidateFinder] | None = None  # hit_set's
        self._kept_checks = KeptChecks(self.index_dir / CHECKS_FILE)  # hit_set's text checks

    @classmethod
    def open(cls, index_dir: Path, root: Path | None = None,
             timezone: str | None = None) -> "SearchIndex":
        return cls(index_dir, root, timezone)

    # -- state -------------------------------------------------------------------

    def status(self) -> IndexStatus:
        """How much is indexed, as of the last commit (re-read only when it changed)."""
        try:
            stamp = manifest_path(self.index_dir).stat().st_mtime_ns
        except OSError:
            return IndexStatus(0, False, False)
        if self._status is None or self._status[0] != stamp:
            summary = load_summary(self.index_dir)
            status = IndexStatus(summary.count, summary.complete, True) if summary \
                else IndexStatus(0, False, False)
            self._status = (stamp, status)
        return self._status[1]

    def refresh(self) -> None:
        with self._lock:
            self._checked = 0.0
            self._current()

    def warm(self) -> None:
        """Make now what the first search on this commit would otherwise pay for: the
        newest-first order, and each segment's stored fields opened (their first
        look maps every page: 100 hits spread over 50 segments cost 60 ms cold)."""
        with self._lock:
            searcher = self._current()
            if searcher is None:
                return
            self._finder(searcher).newest_order()
            for sub, offset in searcher.leaf_searchers():
                if sub.doc_count_all():
                    searcher.stored_fields(offset)

    def held_segments(self) -> list[tuple[str, list[str | None]]]:
        """The segments of the searcher the next search runs on, each as (segment id, its
        paths): what the index holds (a search begun later may run on a newer commit,
        never an older one).  Only the segments new since the last call are read (a
        commit of 2,000 articles: about 3 ms)."""
        with self._lock:
            searcher = self._current()
            return [] if searcher is None else self._path_table(searcher).segments()

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def _current(self):
        """The searcher on the last commit (None while no index exists)."""
        now = time.monotonic()
        if self._searcher is not None and now - self._checked < REFRESH_SECONDS:
            return self._searcher
        self._checked = now
        try:
            if self._searcher is None:
                ix = open_index(self.index_dir)
                self._searcher = ix.searcher() if ix is not None else None
            elif not self._searcher.up_to_date():
                self._searcher = _fresh(self._searcher)
                self._docnums, self._filters, self._paths = {}, {}, {}
                self._texts = {}
                self._path_sets = {}
        except Exception:  # caught mid-commit or damaged: keep the last one, retry later
            pass
        return self._searcher

    def doc_frequencies(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(documents indexed, how many of them hold each folded body term): what says
        how distinctive a term is (`reader.session.related`)."""
        with self._lock:
            searcher = self._current()
            if searcher is None:
                return 0, {}
            return searcher.doc_count(), {t: searcher.doc_frequency("body", t) for t in terms}

    def terms_held(self, paths: Sequence[str], terms: Iterable[str]) -> dict[str, set[str]]:
        """Which of the folded body `terms` each of `paths` holds (reader/session/
        related.py: a hit that shares one word alone is no related article): each term's
        postings skipped to the paths' documents, a few milliseconds for 30 paths."""
        with self._lock:
            searcher = self._current()
            held: dict[str, set[str]] = {path: set() for path in paths}
            if searcher is None:
                return held
            docs = sorted((d, p) for p in paths
                          if (d := self._docnum(searcher, p)) is not None)
            for term in terms:
                try:
                    postings = searcher.postings("body", term)
                except TermNotFound:
                    continue
                for docnum, path in docs:
                    if postings.is_active() and postings.id() < docnum:
                        postings.skip_to(docnum)
                    if not postings.is_active():
                        break
                    if postings.id() == docnum:
                        held[path].add(term)
            return held

    def _docnum(self, searcher, path: str) -> int | None:
        if path not in self._docnums:
            self._docnums[path] = live_docnum(searcher, path)
        return self._docnums[path]

    # -- searching ---------------------------------------------------------------

    def highlight_terms(self, query: str) -> list[str]:
        """The words and phrases of the query to highlight in an article, as typed and
        folded (simplified, lower case), longest first."""
        try:
            return _highlights(parse_query(query, self.tz))
        except QueryError:
            return []

    def search(self, query: str, limit: int = 50, sort: str = "relevance",
               state=None, paths_only: bool = False,
               cancelled: Callable[[], bool] | None = None,
               typing: bool = False, scope: Scope | None = None,
               checks: int | None = None) -> SearchResults:
        """The articles matching `query` within `scope` (a tree group: see `Scope`):
        `limit` 0 means all; sort "relevance" or "date".
        `paths_only`: no hit records, only `results.paths` (a complete listing of a common
        word costs half a second in records).  `cancelled` is asked every few hundred hits;
        when it says yes the search stops and `results.cancelled` is set.  `typing`: the
        query is being typed, its last word a prefix (see `parse_query`).  `checks`: at
        most this many candidates' texts are checked once a hit is found (a keystroke's
        first page: `面上涨` has 222 candidates at 100k and 6 hits); the hits are then
        the head of the complete list, fewer than `limit`, and the total estimated."""
        started = time.perf_counter()
        try:
            parsed = parse_query(query, self.tz, typing)
        except QueryError as exc:
            return SearchResults(query, error=str(exc))
        results = SearchResults(query, terms_of=lambda: _highlights(parsed))
        request = _Request(paths_only, cancelled or _never, checks)
        self._run_or_report(parsed, scope, state, results, request, lambda searcher, narrowed:
                            self._run(searcher, narrowed, results, limit, sort, state))
        results.seconds = time.perf_counter() - started
        return results

    def _run_or_report(self, parsed: ParsedQuery, scope: Scope | None, state,
                       results: SearchResults, request: "_Request", run) -> None:
        """`run(searcher, parsed narrowed by scope)` on the last commit, under the lock;
        a damaged index file becomes an error result, and the index is marked for a
        rebuild at the next update."""
        if scope is not None:
            parsed = scope.narrow(parsed)
        if parsed.needs_state and state is None:
            results.error = "is: and added: filters need the reading state"
        elif not parsed.empty:
            with self._lock:
                self._request = request
                searcher = self._current()
                if searcher is not None:
                    self._reporting(results, lambda: run(searcher, parsed))
                elif manifest_path(self.index_dir).exists() or \
                        damaged_path(self.index_dir).exists():
                    results.error = UNREADABLE

    def _reporting(self, results: SearchResults, run: Callable[[], None]) -> None:
        try:
            run()
        except _Cancelled:
            results.hits, results.total, results.cancelled = [], 0, True
        except _StateUnreadable as exc:  # the state store's fault, not the index's
            results.hits, results.total = [], 0
            results.error = f"the reading state cannot be read: {exc}"
        except Exception as exc:  # whatever a damaged segment makes Whoosh raise
            results.hits, results.total = [], 0
            results.error = UNREADABLE
            mark_damaged(self.index_dir, f"{type(exc).__name__}: {exc}")
            self._searcher, self._docnums, self._filters = None, {}, {}
            self._paths, self._candidates, self._path_sets = {}, None, {}
            self._texts = {}
            self._table, self._within, self._segment_paths = None, None, {}

    def _run(self, searcher, parsed: ParsedQuery, results: SearchResults, limit: int,
             sort: str, state) -> None:
        allow, exclude = self._doc_filter(searcher, parsed, state)
        text, allow, prefixes = self._prefixes_as_filter(searcher, parsed.text, allow)
        if text is None and (sort == "date" or not prefixes):
            self._by_date_only(searcher, parsed, results, limit, allow, exclude)
            return
        finder = self._finder(searcher)
        finder.reset_work()
        docs = finder.docs(text) if text is not None else set(allow)
        if allow is not None:
            docs &= allow
        if exclude:
            docs -= exclude
        want = limit if limit > 0 else None
        if sort == "date":
            order = ((d, 0.0) for d in finder.newest(docs, None if self._check(parsed) else want))
        else:
            order = self._by_relevance(searcher, finder, parsed, text, prefixes, docs, want)
        self._fill(searcher, parsed, results, order, len(docs), want)

    def _by_relevance(self, searcher, finder, parsed, text: Node | None, prefixes: list[Node],
                      docs: set[int], want):
        """(docnum, score) best first: BM25F, or past BROAD postings title matches first.
        A prefix ranks as its whole word (`gold*`: articles with the word gold first); the
        articles with only longer words follow, newest first."""
        words = [Node("word", p.text, p.fields) for p in prefixes]
        for word in words:
            finder.docs(word)  # counts its postings in the work
        if finder.work >= BROAD:
            broad = text if text is not None else Node("or", children=words)
            limit = None if self._check(parsed) else want  # checked: past `want` if need be
            return ((d, 0.0) for d in finder.broad_order(broad, docs, limit))
        required = (to_whoosh(text) or Every()) if text is not None else None
        maybe = wq.Or([to_whoosh(w) for w in words]) if words else None
        if required is not None and maybe is not None:
            q = wq.AndMaybe(required, maybe)
        else:
            q = required if required is not None else maybe
        order = self._ranked(searcher, q, docs, want, parsed)
        if text is not None:
            return order  # every candidate matches `required`
        return _then_newest(order, docs, finder, None if self._check(parsed) else want)

    def _check(self, parsed: ParsedQuery) -> bool:
        return parsed.text is not None and not parsed.text.exact

    def _ranked(self, searcher, q, docs: set[int], want, parsed):
        """(docnum, score) by BM25F among `docs`: the top `want`, or when candidates are
        checked a few times that many, then (if the check rejected too many) the rest."""
        if not docs:  # Whoosh reads an empty filter as none: every match would come
            return
        check = self._check(parsed)
        fetch = want if not check or want is None else max(3 * want, 100)
        seen: set[int] = set()
        for hit in _scored(searcher, q, docs, fetch):
            seen.add(hit.docnum)
            yield hit.docnum, hit.score or 0.0
        if check and fetch is not None and len(seen) < len(docs):
            for hit in _scored(searcher, q, docs, None):
                if hit.docnum not in seen:
                    yield hit.docnum, hit.score or 0.0

    def _fill(self, searcher, parsed, results, order, candidates: int, want) -> None:
        needles = [fold(h) for h in parsed.highlights]
        check = self._check(parsed)
        hits, checked, matched = self._collect(searcher, order, parsed, needles, check, want,
                                               min(candidates, EXACT_CHECKS))
        results.set_hits(hits, self._request.paths_only)
        results.total = candidates
        if check:
            results.total_exact = checked >= candidates
            results.total = matched if results.total_exact else \
                max(matched, round(candidates * matched / max(checked, 1)))

    def _finder(self, searcher) -> CandidateFinder:
        if self._candidates is None or self._candidates.searcher is not searcher:
            self._candidates = CandidateFinder(searcher)
        return self._candidates

    def _collect(self, searcher, found, parsed, needles, check, want, check_at_least):
        """The first `want` hits that pass the text check (paths instead, for `paths_only`);
        when checking, at least `check_at_least` candidates are checked so that small
        totals are exact."""
        hits, checked, matched = [], 0, 0
        paths_only, cancelled, budget = self._request
        for docnum, score in found:
            if want is not None and len(hits) >= want and checked >= check_at_least:
                break
            if check and budget is not None and checked >= budget and hits:
                break  # a first page: the hits so far are the complete list's head
            if checked % CANCEL_EVERY == 0 and cancelled():
                raise _Cancelled
            checked += 1
            if paths_only and not check:
                if want is None or len(hits) < want:
                    hits.append(self._path_of(searcher, docnum))
                matched += 1
                continue
            if check and not self._verified(searcher, parsed, docnum):
                continue
            matched += 1
            if want is None or len(hits) < want:
                hits.append(self._path_of(searcher, docnum) if paths_only else Hit.from_stored(
                    searcher.stored_fields(docnum), score, needles, self.root))
        return hits, checked, matched

    def _stop_if_cancelled(self) -> None:
        if self._request.cancelled():
            raise _Cancelled

    def _path_of(self, searcher, docnum: int) -> str:
        path = self._paths.get(docnum)
        if path is None:
            path = self._paths[docnum] = searcher.stored_fields(docnum)["path"]
        return path

    def _verified(self, searcher, parsed: ParsedQuery, docnum: int) -> bool:
        """The text check of one candidate.  The last TEXTS_KEPT texts checked are kept,
        folded as far as a check needed: typing a run on (交易所, 交易所的) checks
        mostly the candidates the key before checked (a file read and folded costs
        0.15-0.3 ms: at 100k the first page of a 4-character word checked 100 or more),
        and a kept text needs no stored fields read either."""
        doc = self._texts.get(docnum)
        if doc is None:
            stored = searcher.stored_fields(docnum)
            self._paths.setdefault(docnum, stored["path"])
            text = checked_text(self.root, stored) if self.root else ""
            doc = ArticleText((stored.get("meta") or {}).get("title", ""), text)
            if len(self._texts) >= TEXTS_KEPT:
                del self._texts[next(iter(self._texts))]
            self._texts[docnum] = doc
        return matches(parsed.text, doc)

    def _prefixes_as_filter(self, searcher, text: Node | None, allow: set[int] | None):
        """Top-level prefix words become a document filter (Whoosh would walk every
        posting of every word they start); returns the rest of the text tree, the
        narrowed filter and the prefixes."""
        if text is None:
            return None, allow, []
        parts = text.children if text.kind == "and" else [text]
        prefixes = [p for p in parts if p.kind == "prefix"]
        finder = self._finder(searcher)
        for p in prefixes:
            docs = finder.prefix_docs(p, self._stop_if_cancelled)
            allow = docs if allow is None else allow & docs
        rest = [p for p in parts if p.kind != "prefix"]
        if not rest:
            return None, allow, prefixes
        return (rest[0] if len(rest) == 1 else Node("and", children=rest)), allow, prefixes

    def _doc_filter(self, searcher, parsed: ParsedQuery, state):
        """Docnum sets of the filters, is: states and paths: (allowed or None, excluded or
        None)."""
        allow: set[int] | None = None
        exclude: set[int] = set()
        for f in parsed.filters:
            key = (f.field, f.value)
            if f.field in SIGHTINGS:  # is:new, added: (the reader's visits)
                docs = self._docnums_of_set(searcher, _state_paths(state, f))
            elif key not in self._filters:
                self._filters[key] = docs = self._finder(searcher).filter_docs(f)
            else:
                docs = self._filters[key]
            if f.negated:
                exclude |= docs
            else:
                allow = set(docs) if allow is None else allow & docs
        for name, negated in parsed.states:
            docs = self._docnums_of(searcher, _state_paths(state, name))
            if (name == "unread") != negated:
                exclude |= docs
            else:
                allow = docs if allow is None else allow & docs
        if parsed.paths is not None:
            docs = self._docnums_of_set(searcher, parsed.paths)
            allow = docs if allow is None else allow & docs
        return allow, exclude or None

    # -- every hit as a set (held groups: reader/index/hit_sets.py) ---------------

    def hit_set(self, parsed: ParsedQuery, state=None, scope: Scope | None = None,
                cancelled: Callable[[], bool] | None = None) -> SearchResults:
        """Every hit of an already parsed query within `scope`, as `results.paths` in no
        order: exactly what `search(query, limit=0)` lists, found without ranking,
        sorting or hit records.  A scope of paths (a delta's) is searched in the segments
        that hold them only.  Errors and `cancelled` as in `search`."""
        started = time.perf_counter()
        results = SearchResults("")
        request = _Request(True, cancelled or _never, None)
        self._run_or_report(parsed, scope, state, results, request, lambda searcher, narrowed:
                            self._find_set(searcher, narrowed, results, state))
        results.seconds = time.perf_counter() - started
        return results

    def _find_set(self, searcher, parsed: ParsedQuery, results: SearchResults, state) -> None:
        table = self._path_table(searcher)
        within = None if parsed.paths is None else table.docnums(parsed.paths)
        finder = self._finder(searcher) if within is None else \
            self._within_finder(searcher, table, within)
        allow, exclude = self._set_filter(finder, table, parsed, state)
        if within is not None:
            allow = within if allow is None else allow & within
        check = None if parsed.text is None or parsed.text.exact else TextCheck(
            parsed.text, self.root, finder.docs, searcher.stored_fields, table.locate,
            self._kept_checks)
        docs = hit_docs(finder, parsed.text, allow, exclude, check, self._stop_if_cancelled)
        results.set_hits([table.paths[d] for d in docs], True)
        results.total = len(docs)

    def keep_checks(self) -> None:
        """Save the text checks hit_set made (kept_checks.py), of the segments the last
        hit set's searcher holds: once after a batch of hit sets, not after each."""
        with self._lock:
            if self._table is not None:
                self._kept_checks.save(set(self._table.segment_ids))

    def reload_checks(self) -> None:
        """The text checks another process kept (reader/index/warm_checks.py): read again."""
        with self._lock:
            self._kept_checks.reload()

    def _path_table(self, searcher) -> PathTable:
        if self._table is None or self._table.searcher is not searcher:
            self._table = PathTable(searcher, self._segment_paths)
        return self._table

    def _within_finder(self, searcher, table: PathTable, docnums: set[int]) -> CandidateFinder:
        """A finder reading only the segments that hold `docnums` (kept while the same
        segments are asked for on this searcher: the groups of one delta)."""
        leaves = table.leaves_of(docnums)
        key = tuple(offset for _, offset in leaves)
        if self._within is None or self._within[:2] != (searcher, key):
            self._within = (searcher, key, CandidateFinder(searcher, leaves))
        return self._within[2]

    def _set_filter(self, finder: CandidateFinder, table: PathTable, parsed: ParsedQuery,
                    state) -> tuple[set[int] | None, set[int]]:
        """`_doc_filter` for hit_set: (allowed or None, excluded)."""
        allow: set[int] | None = None
        exclude: set[int] = set()
        for f in parsed.filters:
            docs = (table.docnums(_state_paths(state, f)) if f.field in SIGHTINGS
                    else finder.filter_docs(f))  # is:new, added: (the reader's visits)
            if f.negated:
                exclude |= docs
            else:
                allow = set(docs) if allow is None else allow & docs
        for name, negated in parsed.states:
            docs = table.docnums(_state_paths(state, name))
            if (name == "unread") != negated:
                exclude |= docs
            else:
                allow = docs if allow is None else allow & docs
        return allow, exclude

    def _by_date_only(self, searcher, parsed, results, limit, allow, exclude) -> None:
        """Filters only: the allowed articles newest first, from the date column."""
        finder = self._finder(searcher)
        docs = allow if allow is not None else finder.all_docs()
        if exclude:
            docs = docs - exclude
        top = finder.newest(docs, limit if limit > 0 else None)
        needles = [fold(h) for h in parsed.highlights]
        hits, _, _ = self._collect(searcher, ((d, 0.0) for d in top), parsed, needles,
                                   False, None, 0)
        results.set_hits(hits, self._request.paths_only)
        results.total = len(docs)

    def _docnums_of_set(self, searcher, paths: frozenset[str]) -> frozenset[int]:
        """The docnums of a scope's paths, kept for the next keystrokes (a group's paths
        are a new frozenset whenever its members change)."""
        docs = self._path_sets.get(paths)
        if docs is None:
            if len(self._path_sets) >= PATH_SETS:
                self._path_sets.pop(next(iter(self._path_sets)))
            docs = self._path_sets[paths] = frozenset(self._docnums_of(searcher, paths))
        return docs

    def _docnums_of(self, searcher, paths) -> set[int]:
        cache, out = self._docnums, set()
        for path in paths:
            if path not in cache:
                cache[path] = live_docnum(searcher, path)
            docnum = cache[path]
            if docnum is not None:
                out.add(docnum)
        return out


def _highlights(parsed: ParsedQuery) -> list[str]:
    terms = {v for h in parsed.highlights for t in (h, fold(h)) if t
             for v in script_variants(t)}
    return sorted(terms, key=lambda t: (-len(t), t))


def _scored(searcher, q, docs: set[int], limit: int | None):
    """Whoosh's hits of `q` among `docs`, best first (equal scores: lower docnum first),
    the top `limit` (None: all) exactly as the complete list has them.  Whoosh's own top-N
    collector skips blocks by their quality and swaps in cheaper matchers as its lowest
    score rises: with AndMaybe over several segments it left out some of the best hits.
    Every posting is scored instead (BROAD keeps that cheap)."""
    if limit is None:
        top = collectors.UnlimitedCollector()
    else:
        top = collectors.TopCollector(limit, usequality=False)
    top.replace = 0  # no cheaper matcher swapped in midway
    collector = collectors.FilterCollector(top, docs)
    searcher.search_with_collector(q, collector)
    return collector.results()


def _then_newest(order, docs: set[int], finder: CandidateFinder, limit: int | None):
    """The ranked (docnum, score) pairs, then the rest of `docs` newest first."""
    seen: set[int] = set()
    for docnum, score in order:
        seen.add(docnum)
        yield docnum, score
    for docnum in finder.newest(docs - seen, limit):
        yield docnum, 0.0


def _state_paths(state, term: str | Filter):
    """The paths the reading state gives an is: or added: term (read, starred, new, first
    seen in a span); a failure to read it is the state's, never the index's damage."""
    try:
        if isinstance(term, Filter):  # a frozenset: its docnums are kept per searcher
            return frozenset(state.new_set() if term.field == "new"
                             else state.added_between(*term.value))
        return state.starred_set() if term == "starred" else state.read_set()
    except Exception as exc:
        raise _StateUnreadable(str(exc)) from exc


class _Cancelled(Exception):
    """The caller's `cancelled` said yes midway."""


class _StateUnreadable(Exception):
    """The reading state (the state store) could not be read."""


class _Request(NamedTuple):
    paths_only: bool
    cancelled: Callable[[], bool]
    checks: int | None  # candidates checked at most, once a hit is found (None: no limit)


def _never() -> bool:
    return False


def _fresh(old):
    """A searcher on the last commit, then `old` closed.  Not Whoosh's `refresh`: it
    closes the old searcher's readers in a `finally`, so a refresh caught mid-commit or
    mid-merge (a segment gone as it opened) left the searcher kept on closed readers, and
    the next search, or closing it at the quit, failed ("Reader already closed"); and its
    reuse of the old readers never matches (keyed by generation, looked up by segment
    id), so nothing is lost by opening new ones."""
    index = old._ix
    new = type(old)(index.reader(), fromindex=index, weighting=old.weighting)
    old.close()
    return new

