"""The one place the UI talks to the core: archive, state store and search index.

Everything here is plain Python (no widgets), safe to call from worker
threads.  The read and starred sets and the group counts are kept in memory
and changed at once, so the UI never waits on the disk; the writes to the
state store go to one background thread, in order.
"""

from __future__ import annotations

import threading
import webbrowser
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Callable, Sequence

from reader.archive import Archive, Article, ParsedArticle, ScanResult
from reader.config import Settings
from reader.state import STATE_FILE_NAME, GroupCounts, StateError, StateStore, saved_marks
from reader.session.gc_pause import gc_paused
from reader.session.listing import ALL, GroupKey, ListQuery, hit_rows, newest_first, select
from reader.session.search import SearchOutcome, Searcher
from reader.textsafe import is_openable

Progress = Callable[[int, int], None]


class Services:
    """The archive, its state and its index, as the reader uses them."""

    def __init__(self, archive: Archive, settings: Settings,
                 open_link: Callable[[str], bool] = webbrowser.open) -> None:
        self.archive = archive
        self.settings = settings
        self.open_link_with = open_link
        self.store: StateStore | None = None
        self.articles: list[Article] = []  # newest first
        self.by_path: dict[str, Article] = {}
        self.rank: dict[str, int] = {}  # each path's place in `articles`
        self.read: set[str] = set()
        self.starred: set[str] = set()
        self.counts = GroupCounts([], set(), set())
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

    def load_cached(self) -> list[Article]:
        """The articles the metadata cache knows, newest first (no file is parsed)."""
        with gc_paused():
            self.set_articles(self.archive.cached())
        return self.articles

    def set_articles(self, articles: Sequence[Article]) -> None:
        with gc_paused():
            self.articles = newest_first(articles)
            self.rank = {a.path: i for i, a in enumerate(self.articles)}
            self.by_path = {a.path: a for a in self.articles}
            self.counts = GroupCounts(self.articles, self.read, self.starred)
            self.searcher.set_articles(self.articles)

    def scan(self, progress: Progress | None = None, cancel: threading.Event | None = None
             ) -> ScanResult:
        return self.archive.scan(progress, cancel)

    def read_article(self, path: str) -> ParsedArticle:
        return self.archive.read(path)

    # -- searching ----------------------------------------------------------------

    def search(self, query: str, group: GroupKey = ALL, limit: int = 0,
               cancelled: Callable[[], bool] = lambda: False, sort: str = "date"
               ) -> SearchOutcome:
        """Hits of `query` as typed within `group`, newest first or by relevance (`sort`):
        the first `limit` (0: all)."""
        return self.searcher.search(query, group, limit, cancelled, sort)

    def rows(self, outcome: SearchOutcome, query: ListQuery,
             cancelled: Callable[[], bool] = lambda: False) -> list[Article] | None:
        """The list's rows for a search outcome (the whole group when there is no search);
        None if cancelled midway."""
        if outcome.paths is None:
            return select(self.articles, query, self.read, self.starred, cancelled)
        if not outcome.ranked:  # titles only: newest first, as the list
            query = replace(query, by_relevance=False)
        return hit_rows(outcome.paths, self.by_path, self.rank, query, self.read, self.starred)

    def read_set(self) -> frozenset[str]:
        """The read paths now (a copy: safe to use in another thread)."""
        return frozenset(self.read)

    def starred_set(self) -> frozenset[str]:
        return frozenset(self.starred)

    def update_index(self, progress: Progress, cancel: threading.Event,
                     grown: Callable[[], None] = lambda: None) -> tuple[str, bool]:
        """Bring the index up to date (see Searcher.update; `grown`: after each commit)."""
        return self.searcher.update(self.articles, progress, cancel, grown)

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
        Call `reload_marks` once it is done."""
        if self.store is None:
            done: Future = Future()
            done.set_result(0)
            return done
        return self._write(self.store.undo)

    def reload_marks(self) -> None:
        """Re-read the marks from the store (after undo) and recount."""
        if self.store is not None:
            self.read = self.store.read_set()
            self.starred = self.store.starred_set()
        self.counts = GroupCounts(self.articles, self.read, self.starred)

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
