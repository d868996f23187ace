"""The one place the UI talks to the core: archive, state store and search index.

Everything here is plain Python (no widgets).  Who changes what:

- The catalog (an immutable snapshot, reader/session/catalog.py) and the counts
  are swapped by the event loop only (`take`, `take_loaded`); any thread reads
  them, a worker reading `catalog` once and keeping that snapshot.
- New snapshots are made in workers: `load` (a whole catalog) and `apply_scan` /
  `post_scan` (`r` and a watched batch alike, with their stories:
  reader/session/scan_changes.py, which owns the newest snapshot made), taken in
  order by the event loop (`take`).
- The read and starred sets and the counts change on the event loop as the user
  marks (at once, so the UI never waits on the disk; the writes to the state
  store go to one background thread, in order).  A bulk mark or an undo of 100k
  articles is applied there too, a chunk at a time (`marking`, `undoing`: the
  caller yields to the loop between chunks), so no other thread ever changes
  them.  Every mark the reader makes is one step of the store's undo log, which
  survives a restart.
- The first sighting of every path the catalog gains is recorded in the state
  store (`see`, on the state writer), and the visit's start as the store opens:
  "new since the last visit" (reader/state/visits.py), the New group's members
  found there too (reader/session/new_since.py) and held by the event loop.
"""

from __future__ import annotations

import threading
import webbrowser
from contextlib import nullcontext
from datetime import datetime
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from operator import attrgetter
from typing import (AbstractSet, Callable, Collection, Generator, Iterable, Mapping,
                    NamedTuple, Protocol, Sequence)

from reader.archive import Archive, Article, Delta, ParsedArticle, ScanResult
from reader.config import Settings
from reader.state import (READ, STAR, STATE_FILE_NAME, GroupCounts, Groups, PathGroup,
                          StateError, StateStore, Undone, saved_marks)
from reader.state.groups import NEW, Key, Member, new_group
from reader.state.rule_marks import HIDDEN_KIND
from reader.session.catalog import Catalog, CatalogChange
from reader.session.gc_pause import gc_paused
from reader.index import warm_checks
from reader.index.query import ParsedQuery, parse_query
from reader.session.groups import QueryDefinition, query_group, reclassified, scope_of
from reader.session.listing import (ALL, GroupKey, ListQuery, ListRows, hit_rows, select,
                                    unhidden)
from reader.session.new_since import NewArrivals
from reader.session.rules import Rules, RulesFound
from reader.session.saved_searches import Found, SavedSearches
from reader.session.search import SearchOutcome, Searcher
from reader.session.scan_changes import ScanChanges
from reader.session.stories import Staged, Stories
from reader.session.story_list import story_rows
from reader.session.story_open import archive_body
from reader.session.story_counts import StoryCounts, stories_in, stories_started_by
from reader.textsafe import is_openable

Progress = Callable[[int, int], None]
_PATH = attrgetter("path")


MARK_CHUNK = 5000  # marks applied between two turns of the event loop (a few ms)
GC_PAUSE_FROM = 10_000  # articles from which a load pauses the garbage collector
_VERBS = {(READ, True): "mark read", (READ, False): "mark unread", (STAR, True): "star",
          (STAR, False): "unstar"}  # each mark as an undo step names it

class Observer(Protocol):
    """What is told of every change the event loop takes (the glance screen, while open)."""

    def catalog_loaded(self) -> None: ...

    def catalog_changed(self, change: CatalogChange) -> None: ...

    def marks_changed(self, field: int, articles: Sequence[Article], value: bool) -> None: ...


class Loaded(NamedTuple):
    """A whole catalog and its counts, made in a worker for the event loop to show."""

    catalog: Catalog
    counts: GroupCounts
    rules: RulesFound | None = None  # the rules of filters only, decided from its records


class Services:
    """The archive, its state and its index, as the reader uses them."""

    def __init__(self, archive: Archive, settings: Settings,
                 open_link: Callable[[str], bool] = webbrowser.open) -> None:
        self.archive = archive
        self.settings = settings
        self.open_link_with = open_link
        self.store: StateStore | None = None
        # The snapshot the reader shows, and its counts: swapped by the event loop only
        # (`take`), read by any thread (a worker reads `catalog` once and keeps it).
        self.catalog = Catalog()
        self.groups = Groups()  # every group's definition; the counts count them all
        self.counts = GroupCounts([], set(), set(), self.groups)
        self.saved = SavedSearches(self, settings.searches, settings.config_path)
        self.rules = Rules(self, settings.rules, settings.config_path)  # on the event loop
        self._checking = None  # the child making the text checks ahead (check_ahead)
        self.groups.hold_kind(NEW[0])
        self.arrivals = NewArrivals()  # what New holds, as the state writer finds it
        self.on_new: Callable[[], None] | None = None  # from the writer: New changed
        # The marks: changed by the event loop only (set_read, set_starred; a bulk mark or
        # an undo a chunk at a time: marking, undoing).
        self.read: set[str] = set()
        self.starred: set[str] = set()
        self._scan_lock = threading.Lock()
        self.changes = ScanChanges(self)  # a scan's changes made (and the newest snapshot)
        self._scanned_whole = False  # a scan of the whole archive has ended (New's baseline)
        self.searcher = Searcher(archive)
        # Copies of one story as one row (reader/session/stories.py): the stories once a
        # worker opened them (swapped by the event loop), the stories shown expanded.
        self.stories = Stories(archive_body(archive), enabled=False)
        self.expanded: frozenset[str] = frozenset()
        self.grouping_long = False  # a long grouping under way: counted by article (set
        # by the event loop; a first scan's catch-up fell 9,947 -> 9,620 "by story")
        self._story_counts = StoryCounts(lambda: (self.counts, self.stories.view,
                                                  self.catalog.by_path))
        self.searcher.state = self  # is: filters read the marks in memory, not the disk
        self.on_error: Callable[[str], None] | None = None  # called from any thread
        self.on_notice: Callable[[str], None] | None = None  # good news, from any thread
        # Told on the event loop of each catalog and mark change (the glance screen).
        self.observers: list[Observer] = []
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="state-writer")
        self._ending = threading.Event()  # the process ends: sightings are left for the
        # next start (marks never are)
        # Bulk marks and undos, off the event loop and in the order asked: each queues its
        # write before the next starts, so `u` right after a bulk mark undoes that mark.

    @property
    def counting(self) -> str:
        """What the tree's counts count: "stories" (each story once: `count_by`, with
        stories grouped, and no long grouping under way) or "articles"."""
        grouped = self.settings.group_stories and self.settings.count_by == "stories"
        return "stories" if grouped and not self.grouping_long else "articles"

    @property
    def tree_counts(self) -> GroupCounts | StoryCounts:
        """The counts the tree shows: by story or by article (`counting`)."""
        return self._story_counts if self.counting == "stories" else self.counts

    @property
    def counted(self) -> str:
        """What every count shown counts, to be said beside it as the tree's title says it:
        "stories" or "articles" while there are stories, "" when there are none (a count
        of articles, as it always was)."""
        return self.counting if self.stories.view else ""

    def count_of(self, paths: Collection[str]) -> int:
        """How many of what the tree counts these articles are: stories or articles."""
        if self.counting == "stories":
            return stories_in(paths, self.stories.view)
        return len(paths)

    def new_count(self, arrivals: AbstractSet[str]) -> int:
        """How many new stories (or articles, as the tree counts) these arrivals are: one
        that joined a story already here before them is a copy, not a new story."""
        if self.counting == "stories":
            return stories_started_by(arrivals, self.stories.view)
        return len(arrivals)

    # -- loading ------------------------------------------------------------------

    def open_state(self) -> list[str]:
        """Open the state store; returns notices for the user (a damaged file kept aside)."""
        path = self.archive.data_dir / STATE_FILE_NAME
        try:
            self.store = StateStore.open(path, recover=True)
        except (StateError, OSError) as exc:  # not damaged: the marks saved are shown
            self.read, self.starred = saved_marks(path)
            return [f"Read/starred marks are not saved this session: {exc}"]
        self.read = self.store.read_set()
        self.starred = self.store.starred_set()
        self.rules.marks.decided = {READ: self.store.decided(READ), STAR: self.store.decided(STAR)}
        try:
            self.store.visits.begin()
        except StateError:
            pass  # what is new is then counted from no visit: nothing
        self._write(self.store.visits.save_start)  # first: a crash leaves the boundary
        self.see([])  # what was new already
        return [self.store.notice] if self.store.notice else []

    @property
    def articles(self) -> Sequence[Article]:
        """The catalog's articles, newest first."""
        return self.catalog.articles

    @property
    def by_path(self) -> Mapping[str, Article]:
        return self.catalog.by_path

    def load_cached(self, cancel: threading.Event | None = None) -> Loaded | None:
        """In a worker: the catalog of what the metadata cache knows (no file is parsed),
        with its counts; `take_loaded` shows it.  None once `cancel` is set (a quit: the
        read stops between chunks, and closing the cache waits for none of it)."""
        articles = self.archive.cached(cancel)
        if cancel is not None and cancel.is_set():
            return None
        return self.load(articles)

    def load(self, articles: Iterable[Article]) -> Loaded:
        """In a worker: a whole new catalog and its counts (a first load or scan).  The
        collector is paused only for a big one: the pause ends with a full collection
        (~50 ms), which a first look's 200 articles, drawn in a hurry, do not need."""
        articles = list(articles)
        with gc_paused() if len(articles) >= GC_PAUSE_FROM else nullcontext():
            catalog = Catalog.of(articles).ready()
            rules = self.rules.by_records(catalog.articles, list(self.rules.rules))
            counts = GroupCounts(catalog.articles, self.read, self.starred, self.groups,
                                 self.rules.hidden_by(rules, catalog.by_path))
        before = self.changes.started(catalog)
        self.see([a.path for a in catalog.articles if a.path not in before.by_path],
                 baseline=True, whole=self._scanned_whole)
        return Loaded(catalog, counts, rules)

    def take_loaded(self, loaded: Loaded) -> None:
        """On the event loop: show a catalog made by `load`."""
        self.catalog, self.counts = loaded.catalog, loaded.counts
        self.searcher.set_catalog(loaded.catalog)
        self.take_groups(self.groups.held())  # a held path gone from the new catalog
        self.rules.take_loaded(loaded.rules)
        self.take_new(whole=True)
        for observer in tuple(self.observers):
            observer.catalog_loaded()

    def set_articles(self, articles: Iterable[Article]) -> None:
        """Load and show these articles at once (scripts and tests)."""
        self.take_loaded(self.load(articles))

    def scan(self, progress: Progress | None = None, cancel: threading.Event | None = None
             ) -> ScanResult:
        """A scan of the whole folder (one scan at a time: `r` and the watcher take turns)."""
        with self._scan_lock:
            result = self.archive.scan(progress, cancel)
        if cancel is None or not cancel.is_set():  # the archive seen whole: its sightings
            self._scanned_whole = True  # end the baseline of New (reader/state/visits.py)
        return result

    def scan_paths(self, paths: Iterable[str]) -> ScanResult:
        """A scan of only these paths (a watched batch)."""
        with self._scan_lock:
            return self.archive.scan_paths(paths)

    def apply_scan(self, result: ScanResult, cancel: threading.Event | None = None
                   ) -> CatalogChange:
        """In a worker: what changed in `result`'s scope as one change (scripts, tests;
        reader/session/scan_changes.py); `take` shows it."""
        return self.changes.apply(result, cancel)

    def post_scan(self, result: ScanResult, post: Callable[[CatalogChange], None],
                  cancel: threading.Event | None = None) -> Delta:
        """In the scan (or watch) worker: what changed in `result`'s scope, in grouped
        pieces given to `post` as each is made (the reader); the whole delta."""
        return self.changes.post(result, post, cancel)

    def take(self, change: CatalogChange) -> None:
        """On the event loop: a change's catalog, stories and counts shown."""
        self.changes.take(change)

    def show_stories(self, staged: Staged, added: Sequence[Article], counted: bool = False
                     ) -> list[Article]:
        """On the event loop: stories grouped after their change was taken, shown, with
        read once for its arrivals (ScanChanges.show_stories)."""
        return self.changes.show_stories(staged, added, counted)

    def read_article(self, path: str) -> ParsedArticle:
        return self.archive.read(path)

    # -- searching ----------------------------------------------------------------

    def search(self, query: str, group: GroupKey = ALL, limit: int = 0,
               cancelled: Callable[[], bool] = lambda: False, sort: str = "date"
               ) -> SearchOutcome:
        """Hits of `query` as typed within `group`, newest first or by relevance (`sort`):
        the first `limit` (0: all)."""
        return self.searcher.search(query, scope_of(self.group(group)), limit,
                                    cancelled, sort)

    def rows(self, outcome: SearchOutcome, query: ListQuery,
             cancelled: Callable[[], bool] = lambda: False) -> list[Article] | None:
        """The list's rows for a search outcome (the whole group when there is no search);
        None if cancelled midway."""
        listed = self.list_rows(outcome, query, cancelled)
        return None if listed is None else listed.rows

    def list_rows(self, outcome: SearchOutcome, query: ListQuery,
                  cancelled: Callable[[], bool] = lambda: False) -> ListRows | None:
        """`rows`, and how many stories or articles (as the tree counts) a search's rows
        stand for (a group's: the tree's count, `Listing.view_size`)."""
        catalog, counts = self.catalog, self.counted  # one snapshot throughout
        keep = self.member(query.group)
        if outcome.paths is None:
            rows = select(catalog.articles, query, keep, cancelled)
        else:
            if not outcome.ranked:  # titles only: newest first, as the list
                query = replace(query, by_relevance=False)
            rows = hit_rows(outcome.paths, catalog.by_path, catalog.rank, query, keep)
        if rows is None:
            return None
        shown = story_rows(rows, self.stories, self.expanded, catalog.by_path,
                           query.newest_first and not outcome.ranked)
        if outcome.paths is None:  # a group's size is the tree's count of it (counting
            return ListRows(shown, len(shown), counts=counts)  # 100,000 rows: 10 ms)
        counted = set(map(_PATH, rows))  # (a set: counted again after a change by what
        return ListRows(shown, self.count_of(counted), counted, counts)  # it changed)

    def story_rows(self, rows: Sequence[Article], newest_first: bool = False
                   ) -> list[Article]:
        """Rows of the catalog shown, one per story as the stories are now (`rows`; an
        expanded story's copies newest first in a list `newest_first`)."""
        return story_rows(rows, self.stories, self.expanded, self.catalog.by_path,
                          newest_first)

    def member(self, group: GroupKey) -> Member:
        """The test of whether an article is in `group` now (None: every one is)."""
        keep = self.group(group).member(self.read, self.starred)
        return keep if group[0] == HIDDEN_KIND else unhidden(keep, self.counts.hidden)

    def group(self, key: GroupKey):
        """The group of `key` (reader/state/groups.py)."""
        return self.groups.group(key)

    # -- held groups (saved searches) -------------------------------------------

    def query_group(self, key: Key, query: str, parsed: ParsedQuery | None = None
                    ) -> PathGroup:
        """In a worker: the group of `query`'s hits (`parsed`: the query already parsed;
        raises QueryError); `take_groups` holds it."""
        definition = QueryDefinition(query, parsed or parse_query(query, self.settings.tzinfo))
        return query_group(key, definition, self.searcher.groups_index, self,
                           self.catalog.by_path)

    def groups_at_start(self, stop=lambda: False) -> tuple[Found, RulesFound] | None:
        """In a worker, once the cache's catalog is loaded: the saved searches' and the
        rules' members from the index as the last update left it, when that update was
        complete (a warm start), without waiting for this start's scan and index update
        (half a minute at 100k, which find them again, reading only the segments they
        add); None while the index is not complete (they wait for it, "counting…")."""
        status = self.searcher.groups_index.status()
        if not (status.exists and status.complete):
            return None
        if self._checking is not None:  # their text checks, made while the catalog loaded
            warm_checks.wait(self._checking, stop)
            self._checking = None
            self.searcher.groups_index.reload_checks()
        return self.saved.find(), self.rules.find()

    def check_ahead(self) -> None:
        """At start, in the load worker once the first rows are drawn (a child started
        before competed with them): the saved searches' and rules' text checks that the
        index keeps no answers of, made in a child while the catalog loads (at a warm
        start: the index complete)."""
        index = self.searcher.groups_index
        status = index.status()
        if status.exists and status.complete:
            queries = [s.query for s in self.saved.searches] + [r.query for r in self.rules.rules]
            self._checking = warm_checks.start(index.index_dir, index.root,
                                               self.settings.timezone,
                                               warm_checks.needed(index.index_dir, queries,
                                                                  index.tz))

    def regroup(self, paths: Iterable[str]) -> list[PathGroup]:
        """In a worker, once the index has what a delta changed (`paths`): the query
        groups whose members there changed; `take_groups` holds them."""
        return reclassified(self.groups.held(), set(paths), self.searcher.groups_index, self,
                            self.catalog.by_path)

    def take_groups(self, groups: Iterable[PathGroup]) -> None:
        """On the event loop: hold these groups (of articles still in the catalog) and
        count them."""
        known = self.catalog.by_path.keys()
        for group in groups:
            if group.key[0] == HIDDEN_KIND:  # the rules' (Rules.apply), counted by `load`
                continue
            self.counts.hold(PathGroup(group.key, frozenset(known & group.paths),
                                       group.definition))

    def read_set(self) -> frozenset[str]:
        """The read paths now (a copy: safe to use in another thread)."""
        return frozenset(self.read)

    def starred_set(self) -> frozenset[str]:
        return frozenset(self.starred)

    def update_index(self, progress: Progress, cancel: threading.Event,
                     grown: Callable[[], None] = lambda: None, delta: Delta | None = None,
                     parsed: Mapping[str, ParsedArticle] | None = None) -> tuple[str, bool]:
        """Bring the index up to date, or index what `delta` changed (see Searcher.update;
        `grown`: after each commit)."""
        return self.searcher.update(self.catalog.articles, progress, cancel, grown,
                                    delta, parsed)

    # -- marking ------------------------------------------------------------------

    def is_read(self, path: str) -> bool:
        return path in self.read

    def is_starred(self, path: str) -> bool:
        return path in self.starred

    def set_read(self, articles: Sequence[Article], read: bool = True) -> list[Article]:
        """Mark articles read or unread now, one step of the undo log; returns those that
        changed (saved in the background)."""
        return to_the_end(self.marking(READ, articles, read))

    def set_starred(self, articles: Sequence[Article], starred: bool = True) -> list[Article]:
        """Star or unstar articles now, as `set_read`."""
        return to_the_end(self.marking(STAR, articles, starred))

    def marking(self, field: int, articles: Sequence[Article], value: bool, where: str = ""
                ) -> Generator[None, None, list[Article]]:
        """A mark of many articles (`READ` or `STAR`), one undo step, applied by the event
        loop a chunk at a time: it yields between chunks (the caller lets the loop run)
        and returns the articles changed."""
        marks = self.read if field == READ else self.starred
        count = self.counts.apply_read if field == READ else self.counts.apply_star
        changed: list[Article] = []
        adopted: list[Article] = []  # already so by a rule's mark alone: the user's now
        for start in range(0, len(articles), MARK_CHUNK):
            if start:
                yield
            part = articles[start:start + MARK_CHUNK]
            chunk = [a for a in part if (a.path in marks) != value]
            adopted += self.rules.marks.by_rule_only(field, (a for a in part
                                                              if (a.path in marks) == value))
            for article in chunk:
                (marks.add if value else marks.discard)(article.path)
                count(article, value)
            changed += chunk
            self.tell_marks(field, chunk, value)
        if len(articles) > MARK_CHUNK:  # a mark made meanwhile is the user's: not this step's
            changed = [a for a in changed if (a.path in marks) == value]
        self.keep_marks(field, [*changed, *adopted], value, where)
        return changed

    def keep_marks(self, field: int, articles: list[Article], value: bool, where: str = "",
                    undoable: bool = True) -> None:
        """The user's marks of a step, over any rule's: decided, and written (one undo
        step, if `undoable`).  Those a rule's mark already showed so are written too:
        removing the rule then leaves them as the user marked them (`A` on what a read
        rule marked)."""
        self.rules.marks.decide(field, (a.path for a in articles))
        if articles and self.store is not None:
            acknowledge = (self.store.acknowledge_read if field == READ else
                           self.store.acknowledge_star)
            self._keep(acknowledge, [a.path for a in articles], value, articles,
                       undoable=undoable, own=True,  # the user's, over a rule's mark
                       label=step_label(_VERBS[field, value], articles, where))

    def toggle_star(self, article: Article) -> bool:
        """Star or unstar one article (one undo step); returns whether it is starred now."""
        starred = article.path not in self.starred
        self.set_starred([article], starred)
        return starred

    def undo(self, redo: bool = False) -> Future:
        """Undo the newest step of the undo log (or redo the one undone last), on the
        state writer after every mark asked before; the future gives the `Undone` (None:
        nothing to undo), which `undoing` then applies."""
        if self.store is None:
            return self._writer.submit(lambda: None)
        return self._write(self.store.redo if redo else self.store.undo)

    def undoing(self, undone: Undone | None) -> Generator[None, None, list[Article]]:
        """The marks an undo or redo wrote, in the sets and the counts by deltas, a chunk
        at a time as `marking`; returns the articles changed."""
        marks = list(undone.marks) if undone is not None else []
        by_path, changed = self.catalog.by_path, {}
        for start in range(0, len(marks), MARK_CHUNK):
            if start:
                yield
            told: dict[tuple[int, bool], list[Article]] = {}
            for path, field, value in marks[start:start + MARK_CHUNK]:
                flags = self.read if field == READ else self.starred
                flipped = (path in flags) != value
                (flags.add if value else flags.discard)(path)
                article = by_path.get(path)
                if article is not None and flipped:
                    told.setdefault((field, value), []).append(article)
                if article is not None:
                    (self.counts.apply_read if field == READ else self.counts.apply_star)(
                        article, value)
                    changed[path] = article
        for path in self.rules.after_undo(marks):  # a rule's mark where none is the user's
            if path in by_path:
                changed[path] = by_path[path]
            for (field, value), articles in told.items():
                self.tell_marks(field, articles, value)
        return list(changed.values())

    def tell_marks(self, field: int, articles: Sequence[Article], value: bool) -> None:
        for observer in tuple(self.observers):
            observer.marks_changed(field, articles, value)

    def new_paths(self) -> Future:
        """The paths first seen since the previous visit started ("New", `is:new`); a
        future, answered on the state writer after every sighting recorded before it: ask
        after `take_loaded` or `take` and it holds what they added.  Empty without a store
        and on a first visit."""
        if self.store is None:
            return self._writer.submit(set)
        return self._write(self.store.visits.new_paths)

    def take_new(self, incoming: Iterable[str] = (), whole: bool = False) -> bool:
        """On the event loop: New with what the state writer found since (and the
        `incoming` paths the writer found before), of the catalog's articles, or all of
        them anew (`whole`: a new catalog); returns whether its members changed."""
        joined = self.arrivals.joined(self.catalog.by_path, incoming, whole)
        held = self.group(NEW).paths
        if joined is None or (not whole and joined <= held):
            return False
        if whole:
            self.counts.hold(new_group(joined))
        else:
            joined -= held
            self.counts.grow(new_group(held | joined), joined)
        return True

    def new_since(self) -> tuple[datetime | None, bool]:
        """Since when New holds what the reader first saw, and whether this is its first
        visit (New then starts at its own start); (None, False) without a store."""
        visits = self.store.visits if self.store is not None else None
        if visits is None or visits.started is None:
            return None, False
        previous = visits.previous_session_start()
        return (previous, False) if previous is not None else (visits.started, True)

    def new_set(self) -> frozenset[str]:
        """`is:new`: the paths first seen since the previous visit started, as New holds
        them (in a worker, before they are first known, after the writer finds them)."""
        if self.arrivals.paths is None and self.store is not None:
            self.flush()
        return self.arrivals.paths or frozenset()

    def added_between(self, start: int | None, end: int | None) -> frozenset[str]:
        """`added:`: the paths first seen from `start` to `end` (epoch seconds)."""
        if self.store is None:
            return frozenset()
        return self.store.visits.added_between(start, end)

    def see(self, paths: list[str], baseline: bool = False, whole: bool = False) -> None:
        """Record the first sighting of these paths (those never seen before), in the
        background: "new since the last visit" and `added:` (reader/state/visits.py);
        `baseline`: a whole catalog's or a whole scan's; `whole`: a scan of the whole
        archive has ended, so the baseline is complete once these are recorded.  New's
        members are found with them."""
        if self.store is not None and (paths or whole or self.arrivals.paths is None):
            self._write(self._record, paths, baseline, whole)

    def _record(self, paths: list[str], baseline: bool, whole: bool = False) -> None:
        assert self.store is not None
        grew = self.arrivals.record(self.store.visits, paths, baseline, self._ending.is_set)
        if whole and not self._ending.is_set():
            self.store.visits.finish_baseline()
        if grew and self.on_new:
            self.on_new()

    def _keep(self, acknowledge: Callable, *args, **kwargs) -> None:
        """Keep a change in the store's journal now (a kill -9 cannot lose it), written to
        the database in the background.  Where no journal can be kept (a full disk) the
        store holds the change and writes it at the next write that works (`retry_unsaved`,
        the next mark, the close); the user is told."""
        assert self.store is not None
        try:
            kept = acknowledge(*args, **kwargs)
        except StateError as exc:
            if self.on_error is not None:
                self.on_error(f"Could not save read/starred marks: {exc}")
            return
        self._write(self.store.save, kept)

    def retry_unsaved(self) -> None:
        """Try the marks whose write failed again, in the writer (a timer calls this: the
        disk may have room again); says so once they are saved."""
        if self.store is not None and self.store.unsaved:
            self._write(self._retried)

    def _retried(self) -> None:
        if self.store is not None and not self.store.retry() and self.on_notice is not None:
            self.on_notice("Read/starred marks saved: the state file takes writes again.")

    def _write(self, fn: Callable, *args, **kwargs) -> Future:
        future = self._writer.submit(fn, *args, **kwargs)
        future.add_done_callback(self._report_failure)
        return future

    def _report_failure(self, future: Future) -> None:
        exc = future.exception()
        if exc is not None and self.on_error is not None:
            self.on_error(f"Could not save read/starred marks: {exc}")

    def flush(self) -> None:
        """Wait until every pending state write (marks, undos, sightings) is done."""
        self._writer.submit(lambda: None).result()

    # -- links and closing --------------------------------------------------------

    def open_link(self, url: str) -> bool:
        """Open an http(s)/mailto link in the browser; False when refused or it failed."""
        if not is_openable(url):
            return False
        try:
            return bool(self.open_link_with(url))
        except webbrowser.Error:
            return False

    def close(self, process_ends: bool = False) -> int:
        """Close everything; returns how many mark changes could not be saved (held in
        memory only, the disk still full): the reader says so as it quits.
        `process_ends`: the process ends next (reader/cli/process_end.py): the marks
        are saved and the state closed, the rest is left to the process's end (closing
        the index or the cache waits for a worker inside its lock: the search's
        warm-up, a scan's batch stored, 0.1-0.2 s at a high load), and so are the
        sightings not yet recorded (each batch is a transaction; the next start records
        them: reader/state/visits.py)."""
        if process_ends:
            self._ending.set()
        self._writer.shutdown(wait=True)
        if not process_ends:
            self.searcher.close()
        lost = self.store.close() if self.store is not None else 0
        if not process_ends:
            self.archive.close()
        return lost


def step_label(verb: str, articles: Sequence[Article], where: str = "") -> str:
    """How an undo step is named: what it did, to one article (its title) or to how
    many, and where (e.g. 'mark read: 1,204 articles below the cursor')."""
    if len(articles) == 1:
        title = " ".join(articles[0].title.split())
        label = f"{verb} \u201c{title[:57] + '...' if len(title) > 60 else title}\u201d"
    else:
        label = f"{verb}: {len(articles):,} articles"
    return f"{label} {where}" if where else label


def to_the_end(steps: Generator[None, None, list[Article]]) -> list[Article]:
    """Run a `marking` or `undoing` at once (no event loop to let turn); its result."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
