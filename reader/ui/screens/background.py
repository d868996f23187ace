"""The main screen's background work: load from the cache, scan the folder, build the index.

The list appears from the metadata cache first; the scan and then the index
catch up in thread workers that report progress to the status bar (at most
messages a newer report replaces) and stop when the screen goes away.

A first scan (nothing cached yet) makes what it has found so far the catalog
every few seconds, so the tree, the list, the article pane and the status all
tell the same story while it runs: the counts of what is found so far, labelled
as such.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

from textual import work
from textual.worker import get_current_worker

from reader.ui.messages import (CatalogChanged, CatalogLoaded, Indexed, IndexGrew,
                                Progressed, ScanFinished)

FIRST_PAGE = 300  # newest articles shown before the whole archive is loaded
FIRST_PAINT_WAIT = 2.0  # at most this long (seconds) for the first page to be drawn
SCAN_PREVIEW_INTERVAL = 2.0  # seconds between two looks at what a first scan has found
PREVIEW_COST_FACTOR = 4  # a look waits 4 times what the last one took: at most a fifth
BUSY_RETRY_SECONDS = 30.0  # another newsreader updates the index: try again after this


class BackgroundWork:
    """Mixed into MainScreen: loading, scanning, indexing."""

    scan_preview_interval = SCAN_PREVIEW_INTERVAL
    busy_retry_seconds = BUSY_RETRY_SECONDS
    scan_notice_seconds = 5.0  # how long "Scanned: +N ~N -N" stays in the status

    def _init_background(self) -> None:
        self.stop_event = threading.Event()
        self.loaded = threading.Event()  # set once the first list is shown
        self.scanning = False
        self.first_scan = False  # a scan of an archive with nothing cached is under way:
        # the catalog is what it has found so far

    def start_loading(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        notices = self.services.open_state()
        first = self.services.archive.cached_newest(FIRST_PAGE)
        if first:  # a usable list at once; the full load (~1 s at 100k) follows
            total = self.services.archive.cached_count()
            painted = self.app.call_from_thread(self._first_page_ready, first, total)
            # The full load holds the GIL for a second or more: let the first page be
            # drawn before it starts, or the screen waits for it.
            painted.wait(FIRST_PAINT_WAIT)
        loaded = self.services.load_cached()
        notices += self.services.archive.notices
        self.post_message(CatalogLoaded(loaded, notices=tuple(notices), first=True))
        self.services.searcher.warm_up()  # the index readers, before the first keystroke

    def _first_page_ready(self, first: list, total: int) -> threading.Event:
        """Show the first page; the event is set once it is on the screen."""
        painted = threading.Event()
        self.call_after_refresh(painted.set)
        if self.loaded.is_set():
            return painted
        self.article_list.set_rows(first, None, partial=len(first) < total)
        self.list_generation += 1
        self.status.set_part("scan", f"Loading {total:,} articles…")
        current = self.article_list.current
        if current is not None:
            self._schedule_preview(current.path)
        return painted

    def on_catalog_loaded(self, message: CatalogLoaded) -> None:
        """A whole catalog: the cache's (then the scan starts), or a first scan's."""
        self.services.take_loaded(message.loaded)
        if message.first:
            self.action_rescan()  # first: an empty catalog says why
        for notice in message.notices:
            self.notify(notice, severity="warning", timeout=10)
        self._catalog_ready()

    def _catalog_ready(self) -> None:
        self.tree.rebuild(self.services.counts, partial=self.first_scan)
        self.refresh_list()
        self.loaded.set()

    # -- scanning -------------------------------------------------------------------

    def action_rescan(self) -> None:
        if self.scanning:
            self.notify("A scan is already running.", timeout=2)
            return
        self.scanning = True
        self.first_scan = not self.services.articles
        self.status.set_part("scan", "Scanning…")
        self._scan(self.first_scan)

    @work(thread=True, exclusive=True, group="scan")
    def _scan(self, first: bool) -> None:
        """Scan the folder; what changed reaches the screen as a delta, as a watched
        batch does (`apply_scan`); a first scan (nothing cached) loads what it found."""
        report = self._with_previews() if first else self._progress("scan", "Scanning")
        try:
            result = self.services.scan(report, self.stop_event)
        except OSError as exc:
            self.post_message(ScanFinished(None, str(exc)))
            return
        if self.stop_event.is_set() or get_current_worker().is_cancelled:
            return
        if first:
            self.post_message(CatalogLoaded(self.services.load(result.articles)))
        elif result.changed:
            self.post_message(CatalogChanged(self.services.apply_scan(result)))
        self.post_message(ScanFinished(result))

    def _with_previews(self) -> Callable[[int, int], None]:
        """The progress callback of a first scan: it makes what the scan has found so far
        the catalog (100,000 files take a minute: the user can read meanwhile), and the
        status's count of files scanned is of that same moment.  A look at 50,000 articles
        takes about a second: the next waits `PREVIEW_COST_FACTOR` times as long as the
        last took, or the interval."""
        next_look = [time.monotonic() + self.scan_preview_interval]

        def progress(done: int, total: int) -> None:
            if self.stop_event.is_set():
                return
            if done == 0:  # the walk is done: how many
                self.post_message(Progressed("scan", f"Scanning 0/{total:,}"))
            start = time.monotonic()
            if 0 < done < total and start >= next_look[0]:
                loaded = self.services.load(self.services.archive.cached())
                cost = time.monotonic() - start
                next_look[0] = time.monotonic() + max(self.scan_preview_interval,
                                                      PREVIEW_COST_FACTOR * cost)
                self.post_message(Progressed("scan", f"Scanning {done:,}/{total:,}"))
                self.post_message(CatalogLoaded(loaded, so_far=True))

        return progress

    def on_scan_finished(self, message: ScanFinished) -> None:
        self.scanning = self.first_scan = False
        result = message.result
        if result is None:
            self.status.set_part("scan", "")
            self.notify(f"Scan failed: {message.error}", severity="error")
            return
        parts = [f"+{len(result.added):,}", f"~{len(result.updated):,}",
                 f"-{len(result.removed):,}"]
        text = f"Scanned: {' '.join(parts)}"
        if result.problems:
            text += f", {len(result.problems):,} with problems (newsreader doctor lists them)"
        self.status.set_part("scan", text)
        self.set_timer(self.scan_notice_seconds, lambda: self.status.set_part("scan", ""))
        self.tree.border_title = "Groups"
        self.show_view_counts()
        self._index()

    # -- indexing -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index")
    def _index(self) -> None:
        try:
            message, busy = self.services.update_index(self._progress("index", "Indexing"),
                                                       self.stop_event, self._index_grew)
        except Exception as exc:  # the index is optional: searching titles still works
            message, busy = f"Index update failed: {exc}", False
        if not self.stop_event.is_set():
            self.post_message(Indexed(message, busy))

    def _index_grew(self) -> None:
        """From the index worker, after each commit: a search on screen is run again over
        what is indexed now (the first index of a big archive takes minutes)."""
        if not self.stop_event.is_set():
            self.post_message(IndexGrew())

    def on_index_grew(self, message: IndexGrew) -> None:
        self._search_again()

    def _search_again(self) -> None:
        if self.search_text:
            self.refresh_list()

    def on_indexed(self, message: Indexed) -> None:
        self.status.set_part("index", message.text)
        if message.busy and self.busy_retry_seconds > 0:  # the other newsreader's
            self.set_timer(self.busy_retry_seconds, self._index)  # update ends: catch up
        elif message.busy:
            self.call_later(self._index)
        self._search_again()

    def on_progressed(self, message: Progressed) -> None:
        self.status.set_part(message.part, message.text)

    # -- helpers --------------------------------------------------------------------

    def _progress(self, part: str, verb: str) -> Callable[[int, int], None]:
        """A progress callback for a worker thread: each report a message, which the
        next one replaces if the screen has not drawn it yet."""

        def progress(done: int, total: int) -> None:
            if not self.stop_event.is_set():
                text = f"{verb} {done:,}/{total:,}" if total else f"{verb}…"
                self.post_message(Progressed(part, text))

        return progress

    def stop_background(self) -> None:
        self.stop_event.set()

    def on_unmount(self) -> None:
        self.stop_background()
