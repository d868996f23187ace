"""The one place the UI talks to the core: archive, state store and search index.

Everything here is plain Python (no widgets).  Who changes what:

- The catalog (an immutable snapshot, reader/session/catalog.py) and the counts
  are swapped by the event loop only (`take`, `take_loaded`); any thread reads
  them, a worker reading `catalog` once and keeping that snapshot.
- New snapshots are made in workers: `load` (a whole catalog) and `apply_scan`
  (a scan's delta, for `r` and a watched batch alike), applied one at a time to
  the newest snapshot made (`_head`, under its lock), so none is lost while the
  event loop has not yet taken the one before.
- The read and starred sets and the counts change on the event loop as the user
  marks (at once, so the UI never waits on the disk; the writes to the state
  store go to one background thread, in order), except marking a whole list
  read, which a worker does (a few tenths of a second at 100k).
"""

from __future__ import annotations

import threading
import webbrowser
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Callable, Iterable, Mapping, NamedTuple, Sequence

from reader.archive import Archive, Article, Delta, ParsedArticle, ScanResult
from reader.config import Settings
from reader.state import (STATE_FILE_NAME, GroupCounts, Groups, PathGroup, StateError,
                          StateStore, saved_marks)
from reader.state.groups import Key, Member
from reader.session.catalog import Catalog, CatalogChange
from reader.session.gc_pause import gc_paused
from reader.session.groups import query_group, reclassified, scope_of
from reader.session.listing import ALL, GroupKey, ListQuery, hit_rows, select
from reader.session.saved_searches import KIND as SEARCH, SavedSearches
from reader.session.search import SearchOutcome, Searcher
from reader.textsafe import is_openable

Progress = Callable[[int, int], None]


class Loaded(NamedTuple):
    """A whole catalog and its counts, made in a worker for the event loop to show."""

    catalog: Catalog
    counts: GroupCounts


class Marks(NamedTuple):
    """The marks as saved, and their counts, read in a worker for the event loop."""

    read: set[str]
    starred: set[str]
    counts: GroupCounts


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
        # The marks: changed by the event loop (set_read, toggle_star, take_marks).
        self.read: set[str] = set()
        self.starred: set[str] = set()
        # The newest snapshot made: deltas are applied to it by the scan or watch worker,
        # one at a time (the lock), and each result reaches the loop in order.
        self._head = self.catalog
        self._head_lock = threading.Lock()
        self._scan_lock = threading.Lock()
        self.searcher = Searcher(archive)
        self.searcher.state = self  # is: filters read the marks in memory, not the disk
        self.on_error: Callable[[str], None] | None = None  # called from any thread
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="state-writer")

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
        return [self.store.notice] if self.store.notice else []

    @property
    def articles(self) -> Sequence[Article]:
        """The catalog's articles, newest first."""
        return self.catalog.articles

    @property
    def by_path(self) -> Mapping[str, Article]:
        return self.catalog.by_path

    def load_cached(self) -> Loaded:
        """In a worker: the catalog of what the metadata cache knows (no file is parsed),
        with its counts; `take_loaded` shows it."""
        return self.load(self.archive.cached())

    def load(self, articles: Iterable[Article]) -> Loaded:
        """In a worker: a whole new catalog and its counts (a first load or scan)."""
        with gc_paused():
            catalog = Catalog.of(articles).ready()
            counts = GroupCounts(catalog.articles, self.read, self.starred, self.groups)
        with self._head_lock:
            self._head = catalog
        return Loaded(catalog, counts)

    def take_loaded(self, loaded: Loaded) -> None:
        """On the event loop: show a catalog made by `load`."""
        self.catalog, self.counts = loaded.catalog, loaded.counts
        self.searcher.set_catalog(loaded.catalog)
        self.take_groups(self.groups.held())  # a held path gone from the new catalog

    def set_articles(self, articles: Iterable[Article]) -> None:
        """Load and show these articles at once (scripts and tests)."""
        self.take_loaded(self.load(articles))

    def scan(self, progress: Progress | None = None, cancel: threading.Event | None = None
             ) -> ScanResult:
        """A scan of the whole folder (one scan at a time: `r` and the watcher take turns)."""
        with self._scan_lock:
            return self.archive.scan(progress, cancel)

    def scan_paths(self, paths: Iterable[str]) -> ScanResult:
        """A scan of only these paths (a watched batch)."""
        with self._scan_lock:
            return self.archive.scan_paths(paths)

    def apply_scan(self, result: ScanResult) -> CatalogChange:
        """In the scan (or watch) worker: the catalog with what `result` changed, made
        from the newest snapshot; `take` shows it.  `r` and a watched batch both come
        here."""
        return self.apply_delta(result.delta)

    def apply_delta(self, delta: Delta) -> CatalogChange:
        with self._head_lock:
            before = self._head
            self._head = before.apply(delta).ready()
        return CatalogChange(self._head, delta, tuple(before.outgoing(delta)))

    def take(self, change: CatalogChange) -> None:
        """On the event loop: swap in the change's catalog and apply its counts delta."""
        self.catalog = change.catalog
        self.searcher.set_catalog(change.catalog)
        self.counts.remove(change.outgoing)
        self.counts.add(change.incoming, self.read, self.starred)
        self.counts.forget(change.gone)

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
        catalog = self.catalog  # one snapshot throughout
        keep = self.member(query.group)
        if outcome.paths is None:
            return select(catalog.articles, query, keep, cancelled)
        if not outcome.ranked:  # titles only: newest first, as the list
            query = replace(query, by_relevance=False)
        return hit_rows(outcome.paths, catalog.by_path, catalog.rank, query, keep)

    def member(self, group: GroupKey) -> Member:
        """The test of whether an article is in `group` now (None: every one is)."""
        return self.group(group).member(self.read, self.starred)

    def group(self, key: GroupKey):
        """The group of `key`; a saved search not yet counted (or whose query cannot be
        searched) holds nothing yet."""
        if key[0] == SEARCH and key not in self.groups:
            return PathGroup(key)
        return self.groups.group(key)

    # -- held groups (saved searches) -------------------------------------------

    def query_group(self, key: Key, query: str) -> PathGroup:
        """In a worker: the group of `query`'s hits (raises QueryError); `take_groups`
        holds it."""
        return query_group(key, query, self.searcher.index, self, self.catalog.by_path)

    def regroup(self, paths: Iterable[str]) -> list[PathGroup]:
        """In a worker, once the index has what a delta changed (`paths`): the query
        groups whose members there changed; `take_groups` holds them."""
        return reclassified(self.groups.held(), set(paths), self.searcher.index, self,
                            self.catalog.by_path)

    def take_groups(self, groups: Iterable[PathGroup]) -> None:
        """On the event loop: hold these groups (of articles still in the catalog) and
        count them."""
        known = self.catalog.by_path.keys()
        for group in groups:
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

    def set_read(self, articles: Sequence[Article], read: bool = True,
                 undoable: bool | None = None) -> list[Article]:
        """Mark articles read or unread now; returns those that changed (saved in the background).
        `undoable`: log the change for `u` (default: when more than one article changed)."""
        changed = [a for a in articles if (a.path in self.read) != read]
        for article in changed:
            (self.read.add if read else self.read.discard)(article.path)
            self.counts.apply_read(article, read)
        if changed and self.store is not None:
            undoable = len(changed) > 1 if undoable is None else undoable
            self._keep(self.store.acknowledge_read, self.store.mark_read,
                       [a.path for a in changed], read, changed, undoable=undoable)
        return changed

    def toggle_star(self, article: Article) -> bool:
        starred = article.path not in self.starred
        (self.starred.add if starred else self.starred.discard)(article.path)
        self.counts.apply_star(article, starred)
        if self.store is not None:
            self._keep(self.store.acknowledge_star, self.store.set_starred, article.path,
                       starred, article)
        return starred

    def undo(self) -> Future:
        """Undo the last bulk change in the store; the future gives the number restored.
        Read `saved_marks` (in a worker) once it is done, and `take_marks` them."""
        if self.store is None:
            done: Future = Future()
            done.set_result(0)
            return done
        return self._write(self.store.undo)

    def saved_marks(self) -> Marks:
        """In a worker (after undo): the marks as the store holds them, and their counts;
        `take_marks` shows them."""
        read, starred = set(self.read), set(self.starred)
        if self.store is not None:
            read, starred = self.store.read_set(), self.store.starred_set()
        return Marks(read, starred,
                     GroupCounts(self.catalog.articles, read, starred, self.groups))

    def take_marks(self, marks: Marks) -> None:
        """On the event loop: the marks and counts of `saved_marks`."""
        self.read, self.starred, self.counts = marks.read, marks.starred, marks.counts

    def _keep(self, acknowledge: Callable, write: Callable, *args, **kwargs) -> None:
        """Keep a change in the store's journal now (a kill -9 cannot lose it), written to
        the database in the background; where no journal can be kept (a full disk), the
        write alone, which reports its failure."""
        assert self.store is not None
        try:
            kept = acknowledge(*args, **kwargs)
        except StateError:
            self._write(write, *args, **kwargs)
            return
        self._write(self.store.save, kept)

    def _write(self, fn: Callable, *args, **kwargs) -> Future:
        future = self._writer.submit(fn, *args, **kwargs)
        future.add_done_callback(self._report_failure)
        return future

    def _report_failure(self, future: Future) -> None:
        exc = future.exception()
        if exc is not None and self.on_error is not None:
            self.on_error(f"Could not save read/starred marks: {exc}")

    def flush(self) -> None:
        """Wait until every pending state write is done."""
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

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self.searcher.close()
        if self.store is not None:
            self.store.close()
        self.archive.close()
