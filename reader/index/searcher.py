"""Searching an archive's index: one Whoosh searcher, reused and refreshed.

    index = SearchIndex.open(index_dir)
    results = index.search('英伟达 OR nvidia -crypto lang:en', limit=50, sort="relevance")

`search` never raises for a malformed query: `results.error` says what is
wrong (a `QueryError` message).  It is safe to call from several threads
while another thread (or the indexer process) updates the index: searches
run one at a time on the last committed index, refreshed at most every
`REFRESH_SECONDS`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from whoosh.sorting import FieldFacet

from reader.index.analysis import fold
from reader.index.matching import ArticleText, matches, to_whoosh, with_filters
from reader.index.query import ParsedQuery, QueryError, parse_query
from reader.index.results import Hit, SearchResults, read_text
from reader.index.store import load_manifest, open_index

REFRESH_SECONDS = 0.5
EXACT_CHECKS = 100  # candidates always checked, so that small totals are exact
DEFAULT_TZ = "Asia/Shanghai"


@dataclass(frozen=True)
class IndexStatus:
    indexed: int  # articles in the last committed index
    complete: bool  # the last update ran to its end
    exists: bool


class SearchIndex:
    def __init__(self, index_dir: Path, root: Path | None = None, timezone: str | None = None):
        self.index_dir = Path(index_dir)
        manifest = load_manifest(self.index_dir)
        self.root = Path(root) if root else Path(manifest.root) if manifest else None
        self.tz = ZoneInfo(timezone or DEFAULT_TZ)
        self._lock = threading.RLock()
        self._searcher = None
        self._checked = 0.0
        self._docnums: dict[str, int | None] = {}

    @classmethod
    def open(cls, index_dir: Path, root: Path | None = None,
             timezone: str | None = None) -> "SearchIndex":
        return cls(index_dir, root, timezone)

    # -- state -------------------------------------------------------------------

    def status(self) -> IndexStatus:
        manifest = load_manifest(self.index_dir)
        if manifest is None:
            return IndexStatus(0, False, False)
        return IndexStatus(len(manifest.stamps), manifest.complete, True)

    def refresh(self) -> None:
        with self._lock:
            self._checked = 0.0
            self._current()

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
                self._searcher = self._searcher.refresh()
                self._docnums = {}
        except Exception:  # caught mid-commit or damaged: keep the last one, retry later
            pass
        return self._searcher

    # -- searching ---------------------------------------------------------------

    def highlight_terms(self, query: str) -> list[str]:
        """The words and phrases of the query to highlight in an article, as typed and
        folded (simplified, lower case), longest first."""
        try:
            parsed = parse_query(query, self.tz)
        except QueryError:
            return []
        terms = {t for h in parsed.highlights for t in (h, fold(h)) if t}
        return sorted(terms, key=lambda t: (-len(t), t))

    def search(self, query: str, limit: int = 50, sort: str = "relevance",
               state=None) -> SearchResults:
        """The articles matching `query`: `limit` 0 means all; sort "relevance" or "date"."""
        started = time.perf_counter()
        try:
            parsed = parse_query(query, self.tz)
        except QueryError as exc:
            return SearchResults(query, error=str(exc))
        results = SearchResults(query, terms=self.highlight_terms(query))
        if parsed.states and state is None:
            results.error = "is: filters need the reading state"
        elif not parsed.empty:
            with self._lock:
                searcher = self._current()
                if searcher is not None:
                    self._run(searcher, parsed, results, limit, sort, state)
        results.seconds = time.perf_counter() - started
        return results

    def _run(self, searcher, parsed: ParsedQuery, results: SearchResults, limit: int,
             sort: str, state) -> None:
        q = with_filters(to_whoosh(parsed.text) if parsed.text else None, parsed.filters)

        allow, exclude = self._state_filter(searcher, parsed, state)
        by_date = sort == "date" or parsed.text is None
        sortedby = FieldFacet("date", reverse=True) if by_date else None
        needles = [fold(h) for h in parsed.highlights]
        check = parsed.text is not None and not parsed.text.exact
        want = limit if limit > 0 else None
        fetch = want if not check or want is None else max(3 * want, 100)
        while True:
            found = searcher.search(q, limit=fetch, sortedby=sortedby, filter=allow,
                                    mask=exclude)
            candidates = len(found)
            hits, checked, matched = self._collect(searcher, found, parsed, needles, check, want,
                                          min(candidates, EXACT_CHECKS))
            if not check or fetch is None or len(hits) >= (want or 0) or fetch >= candidates:
                break
            fetch *= 4
        results.hits = hits
        results.total = candidates
        if check:
            results.total_exact = checked >= candidates
            results.total = matched if results.total_exact else \
                max(matched, round(candidates * matched / max(checked, 1)))

    def _collect(self, searcher, found, parsed, needles, check, want, check_at_least):
        """The first `want` hits that pass the text check; when checking, at least
        `check_at_least` candidates are checked so that small totals are exact."""
        hits, checked, matched = [], 0, 0
        for found_hit in found:
            if want is not None and len(hits) >= want and checked >= check_at_least:
                break
            stored = searcher.stored_fields(found_hit.docnum)
            checked += 1
            if check and not self._verified(parsed, stored):
                continue
            matched += 1
            if want is None or len(hits) < want:
                hits.append(Hit.from_stored(stored, found_hit.score or 0.0, needles, self.root))
        return hits, checked, matched

    def _verified(self, parsed: ParsedQuery, stored: dict) -> bool:
        text = read_text(self.root, stored["path"]) if self.root else ""
        title = (stored.get("meta") or {}).get("title", "")
        return matches(parsed.text, ArticleText(title, text))

    def _state_filter(self, searcher, parsed: ParsedQuery, state):
        """Docnum sets for is:read/unread/starred: (allowed or None, excluded or None)."""
        if not parsed.states:
            return None, None
        allow: set[int] | None = None
        exclude: set[int] = set()
        for name, negated in parsed.states:
            paths = state.starred_set() if name == "starred" else state.read_set()
            docs = self._docnums_of(searcher, paths)
            if (name == "unread") != negated:
                exclude |= docs
            else:
                allow = docs if allow is None else allow & docs
        return allow, exclude or None

    def _docnums_of(self, searcher, paths) -> set[int]:
        cache, out = self._docnums, set()
        for path in paths:
            if path not in cache:
                cache[path] = searcher.document_number(path=path)
            docnum = cache[path]
            if docnum is not None:
                out.add(docnum)
        return out
