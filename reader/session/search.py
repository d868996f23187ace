"""Search for the reader: the full-text index as far as it is built, titles before that.

`Searcher.search` runs in a worker thread on every keystroke.  The query is
read as it is being typed: its last word is a prefix until a space ends it
(`reader.index.query.parse_query`, `typing`), so the list never goes blank
on a half-typed word.  The tree group goes to the index as a `Scope` (its field
term, reading state or paths: reader/session/groups.py), so the index narrows the
hits without a query string made and parsed back, and a small
`limit` gives the first screenful at once; the complete list is asked for
afterwards, from a second index reader, so a long listing never holds up the
next keystroke's first page.  While the first index is built, the part
already committed is searched, and the articles not in it by their titles
(reader/session/title_hits.py): the union, so that what a title search found
before the index existed is never lost while it grows; the outcome says how much
was searched which way.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from functools import partial
from typing import Callable, Mapping, Sequence

from reader.archive import Archive, Article, Delta, ParsedArticle
from reader.index import QueryError, SearchIndex, index_dir_of, merge_index, update_index
from reader.index.analysis import fold
from reader.index.query import ParsedQuery, Scope, parse_query
from reader.session.catalog import Catalog
from reader.session.title_hits import TitleHits, excludes_words, title_hits
from reader.session.unindexed import Row, Unindexed

Progress = Callable[[int, int], None]
TITLES_ONLY = "index not ready: titles only"
# a first page's text checks at most, once it has a hit (about 0.1 ms each at 100k): the
# rest of a long run's candidates are checked for the complete list
FIRST_PAGE_CHECKS = 100
_WORD = re.compile(r'"([^"]+)"|(\S+)')
_OPERATORS = {"and", "or", "not"}


BUSY = "Index: another newsreader is updating it; searching what it has so far"


@dataclass(frozen=True)
class SearchOutcome:
    """What one search found.  `paths` is None when there is no search (no filter)."""

    query: str
    paths: Sequence[str] | None
    terms: tuple[str, ...] = ()
    message: str = ""  # shown beside the count: how much was searched, or what went wrong
    total: int = 0  # every hit, not only those in `paths`
    total_exact: bool = True  # False: the index estimated the total
    complete: bool = True  # paths hold every hit (False: the first page only)
    malformed: bool = False  # the query cannot be read (`message` says why): nothing searched
    ranked: bool = False  # paths are best first (else newest first)
    # the index held only some of the articles: run again, a search counts the arrivals
    partly_indexed: bool = False


def query_words(query: str) -> list[str]:
    """The plain words of a query: quoted phrases kept whole, operators and field names dropped."""
    words = []
    for match in _WORD.finditer(query):
        word = match.group(1) or match.group(2)
        if not match.group(1):
            word = word.split(":", 1)[-1] if ":" in word else word
            word = word.strip("()*?+-")
            if word.lower() in _OPERATORS:
                continue
        if word:
            words.append(word)
    return words


class Searcher:
    """The index (opened on first use, in a worker) and the titles in memory (the fallback
    before the index exists, and the jump-to-article search)."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.state = None  # read_set()/starred_set() for is: filters (the Services)
        self._open_lock = threading.Lock()
        self._full_lock = threading.Lock()
        self._indexes: dict[str, SearchIndex] = {}
        self._ready = False
        self._titles: list[tuple[str, str]] = []
        self._title_of: Mapping[str, str] = {}
        self._catalog = Catalog()
        # each index reader's view of the articles it does not hold (a partial index)
        self._unindexed = {"quick": Unindexed(), "full": Unindexed()}

    def set_articles(self, articles: Sequence[Article]) -> None:
        self.set_catalog(Catalog.of(articles))

    def set_catalog(self, catalog: Catalog) -> None:
        """The catalog's titles, folded as the index folds text (traditional to simplified,
        case), so the title fallback and "Jump to" find 銀行 for 银行 as the index does."""
        self._titles = catalog.titles
        self._title_of = catalog.folded
        self._catalog = catalog

    # -- the two index readers ------------------------------------------------------

    def _index(self, role: str) -> SearchIndex:
        """The reader for first pages ("quick"), complete lists ("full") or query groups
        ("groups"): each has its own searcher and lock.  Opening one reads the manifest:
        never on the UI thread."""
        with self._open_lock:
            if role not in self._indexes:
                self._indexes[role] = SearchIndex.open(
                    index_dir_of(self.archive), root=self.archive.root,
                    timezone=self.archive.settings.timezone)
            return self._indexes[role]

    @property
    def index(self) -> SearchIndex:
        return self._index("quick")

    @property
    def groups_index(self) -> SearchIndex:
        """The reader for query groups (saved searches: seconds of work at 100k that
        must not hold up a keystroke's first page behind the same lock)."""
        return self._index("groups")

    @property
    def related_index(self) -> SearchIndex:
        """The reader for related articles (reader/session/related.py): a look at each
        article shown, never behind a keystroke's lock."""
        return self._index("related")

    def warm_up(self, stopped: Callable[[], bool] = bool) -> None:
        """Open both readers and their searchers ahead of the first keystroke, and make
        the OpenCC converters a Chinese query's highlights need (0.13 s of CPU).  Only a
        cache is filled: once `stopped()` says so (a quit), the steps left are skipped."""
        steps = []
        for role in ("quick", "full"):  # nothing is starred here: only the terms are read
            steps += [partial(self._warm_search, role), lambda r=role: self._index(r).warm()]
        steps.append(lambda: self.index.highlight_terms("銀行"))
        for step in steps:
            if stopped():
                return
            step()

    def _warm_search(self, role: str) -> None:
        self._index(role).search("is:starred 的 a", limit=1, state=_NO_MARKS)

    @property
    def ready(self) -> bool:
        """True once an index exists (an update may still be catching up)."""
        if not self._ready:
            status = self.index.status()
            self._ready = status.exists and status.indexed > 0
        return self._ready

    def index_complete(self) -> bool:
        """Whether the last index update ended with all it was given indexed (not cut
        short by a quit)."""
        return self.index.status().complete

    # -- searching ------------------------------------------------------------------

    def search(self, query: str, scope: Scope | None = None, limit: int = 0,
               cancelled: Callable[[], bool] = lambda: False, sort: str = "date"
               ) -> SearchOutcome:
        """Hits of `query` as typed within `scope` (a tree group's), by `sort` ("date":
        newest first, or "relevance"): the first `limit` (0: all).  The index applies the
        scope; the caller still checks the rows (the titles fallback ignores it)."""
        try:
            if _parsed(query, self.archive.settings.tzinfo).empty:
                return SearchOutcome(query, None)
        except QueryError as exc:
            return SearchOutcome(query, None, message=str(exc), malformed=True)
        if not self.ready:
            return self.search_titles(query, cancelled, TITLES_ONLY)
        catalog = self._catalog  # one snapshot throughout
        rest = self._rest("quick" if limit > 0 else "full", catalog)  # before the search:
        # a commit in between then gives an article twice (dropped), never not at all
        if limit > 0:  # a newer keystroke stops it too (a common prefix takes a while);
            # paths only: the list needs no hit records (each docnum's path is cached)
            results = self.index.search(query, limit=limit, sort=sort, state=self.state,
                                        paths_only=True, cancelled=cancelled, typing=True,
                                        scope=scope, checks=FIRST_PAGE_CHECKS)
        else:
            results = self._search_full(query, scope, sort, cancelled)
        if results is None or results.cancelled:
            return SearchOutcome(query, None, complete=False)
        if results.error:
            return self.search_titles(query, cancelled, f"{results.error}: titles only")
        paths = results.paths
        complete = limit <= 0 or (len(paths) < limit and results.total_exact)
        outcome = SearchOutcome(query, paths, tuple(results.terms), "", results.total,
                                results.total_exact, complete, ranked=sort == "relevance")
        if rest is None:
            return outcome
        return self._with_titles(outcome, rest, catalog, scope, limit, cancelled)

    def _rest(self, role: str, catalog: Catalog) -> list[Row] | None:
        """The catalog's articles that index reader does not hold (None: it holds them
        all, or the index is complete)."""
        status, unindexed = self.index.status(), self._unindexed[role]
        if not (status.complete or status.indexed >= len(catalog)):
            rest = unindexed.rows(catalog.titles, self._index(role).held_segments())
            if rest:
                return rest
        unindexed.forget()
        return None

    def _with_titles(self, outcome: SearchOutcome, rest: list[Row], catalog: Catalog,
                     scope: Scope | None, limit: int, cancelled: Callable[[], bool]
                     ) -> SearchOutcome:
        """The index's hits and the title hits among the `rest` (the articles it does not
        hold): by date, in the list's order; by relevance, the title hits after the
        index's, newest first (they have no score).  A first page is cut where either part
        may have hits it did not look for.  A query that excludes words has the index's
        hits only: an article found by its title could leave once its body is read."""
        parsed = _parsed(outcome.query, self.archive.settings.tzinfo)
        indexed = len(catalog) - len(rest)
        so_far = f"searched the {indexed:,} of {len(catalog):,} articles indexed so far"
        if excludes_words(parsed.text):
            return replace(outcome, partly_indexed=True, message=(
                f"{so_far}; the other {len(rest):,} once indexed (the query excludes words)"))
        found = title_hits(rest, scope.narrow(parsed) if scope else parsed, catalog.by_path,
                           self.state, limit, FIRST_PAGE_CHECKS, cancelled)
        if found is None:
            return SearchOutcome(outcome.query, None, complete=False)
        paths, cut = _union(outcome, found, catalog.rank, limit)
        message = f"{so_far}, titles only for the other {len(rest):,}"
        shared = len(found.paths) + len(outcome.paths) - len(set(found.paths) | set(outcome.paths))
        return replace(outcome, paths=paths, message=message, partly_indexed=True,
                       total=outcome.total + found.total - shared,
                       total_exact=outcome.total_exact and found.exact,
                       complete=outcome.complete and found.exact and not cut)

    def _search_full(self, text: str, scope: Scope | None, sort: str,
                     cancelled: Callable[[], bool]):
        """Every hit's path, one complete listing at a time; None when cancelled while
        waiting (a listing cancelled midway says so in `cancelled`)."""
        with self._full_lock:
            if cancelled():
                return None
            return self._index("full").search(text, limit=0, sort=sort, state=self.state,
                                              paths_only=True, cancelled=cancelled,
                                              typing=True, scope=scope)

    def search_titles(self, query: str, cancelled: Callable[[], bool], message: str = ""
                      ) -> SearchOutcome:
        words = [fold(w) for w in query_words(query)]
        if not words:
            return SearchOutcome(query, None, message=message)
        first, rest = words[0], words[1:]
        paths = [p for p, t in self._titles if first in t]
        for word in rest:
            if cancelled():
                break
            paths = [p for p in paths if word in self._title_of[p]]
        return SearchOutcome(query, paths, tuple(query_words(query)), message, total=len(paths),
                             partly_indexed=True)

    def title_matches(self, text: str, limit: int = 30) -> list[str]:
        """Paths of the first `limit` articles (newest first) whose title contains `text`."""
        needle = fold(text).strip()
        if not needle:
            return []
        found = []
        for path, title in self._titles:
            if needle in title:
                found.append(path)
                if len(found) >= limit:
                    break
        return found

    # -- updating -------------------------------------------------------------------

    def update(self, articles: Sequence[Article], progress: Progress,
               cancel: threading.Event, grown: Callable[[], None] = lambda: None,
               delta: Delta | None = None, parsed: Mapping[str, ParsedArticle] | None = None
               ) -> tuple[str, bool]:
        """Bring the index up to date (only `delta`'s paths, from the `parsed` articles,
        when given); returns a line for the status bar, and whether to try again later
        (another newsreader is updating the index now).  `grown` is called (from this
        thread) after each commit that the searches now see."""
        indexed = [self.index.status().indexed]

        def report(phase: str, done: int, total: int) -> None:
            progress(done, total)
            now = self.index.status().indexed
            if now != indexed[0]:  # a batch was committed: search it from now on
                indexed[0] = now
                self._refresh()
                grown()

        changes = ({"articles": list(articles)} if delta is None
                   else {"delta": delta, "parsed": parsed})
        summary = update_index(self.archive, report, cancel, **changes)
        self._refresh()
        if summary.busy:
            return BUSY, True
        if summary.error:
            return f"Index: {summary.error}", False
        return summary.notice or ("Index up to date" if not summary.cancelled else ""), False

    def merge(self, progress: Progress, cancel: threading.Event) -> str:
        """Merge the index's due tiers of segments (reader/index/updater.py merge_index),
        the searches moved to each step's segments as soon as it is committed; a line for
        the status bar ('' when it has nothing to say)."""
        def report(_phase: str, step: int, steps: int) -> None:
            if step > 1 and not cancel.is_set():  # the step before is committed: search
                self._refresh()  # its segment from now on
            progress(step, steps)

        summary = merge_index(self.archive, report, cancel)
        if not cancel.is_set():  # cancelled: the update that comes next refreshes, and
            self._refresh()  # a quit must not wait for the warm-up (seconds at 100k)
        return f"Index: {summary.error}" if summary.error and not summary.busy else ""

    def _refresh(self) -> None:
        """The readers on the last commit, and whether an index exists, read now (not
        on the next keystroke, nor on the next related articles looked for: on "the
        index grew" they are looked for again, and must see the commit)."""
        for role in ("quick", "full"):
            self._index(role).refresh()
            self._index(role).warm()
        self.groups_index.refresh()  # the query groups are looked for again next
        if "related" in self._indexes:  # (opened on the first article shown)
            self.related_index.refresh()
        self._ready = False
        self._ready = self.ready

    def close(self) -> None:
        with self._open_lock:
            for index in self._indexes.values():
                index.close()


class _NoMarks:
    """Reading state with nothing read or starred (for warming up)."""

    def read_set(self) -> frozenset[str]:
        return frozenset()

    starred_set = read_set


_NO_MARKS = _NoMarks()


def _union(outcome: SearchOutcome, found: TitleHits, rank: Mapping[str, int], limit: int
           ) -> tuple[list[str], bool]:
    """The index's hits and the title hits, each once (an article committed between
    the two looks is in both), and whether a first page was cut short."""
    indexed = list(outcome.paths or ())
    seen = set(indexed)
    extra = [p for p in found.paths if p not in seen]
    if outcome.ranked:  # the title hits only after every hit the index ranked
        paths = indexed + extra if outcome.complete else indexed
    else:
        last = len(rank)
        paths = sorted(indexed + extra, key=lambda p: rank.get(p, last))
        ends = [] if found.last is None else [rank.get(found.last, last)]
        if not outcome.complete and indexed:
            ends.append(rank.get(indexed[-1], last) + 1)  # the index's next hit may be older
        if ends:  # only hits newer than where either part stopped looking are all there
            paths = [p for p in paths if rank.get(p, last) < min(ends)]
    cut = len(paths) < len(indexed) + len(extra)
    if limit > 0 and len(paths) > limit:
        paths, cut = paths[:limit], True
    return paths, cut


def _parsed(query: str, tz) -> ParsedQuery:
    """The query as typed; raises QueryError when malformed.  A blank query, or one of
    only punctuation or a lone quote, asks nothing (`empty`): the list then shows the
    group rather than going empty."""
    return parse_query(query, tz, typing=True) if query.strip() else ParsedQuery()
