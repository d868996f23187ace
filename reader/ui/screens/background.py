"""The main screen's background work: load from the cache, scan the folder, build the index.

The list appears from the metadata cache first; the scan and then the index
catch up in thread workers that report progress to the status bar (at most
ten times a second) and stop when the screen goes away.

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

from reader.archive import ScanResult

PROGRESS_INTERVAL = 0.1
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
        self.services.load_cached()
        notices += self.services.archive.notices
        self.app.call_from_thread(self.action_rescan)  # first: an empty catalog says why
        self.app.call_from_thread(self._catalog_ready, notices)
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

    def _catalog_ready(self, notices: list[str] = ()) -> None:
        for notice in notices:
            self.notify(notice, severity="warning", timeout=10)
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
        self._scan()

    @work(thread=True, exclusive=True, group="scan")
    def _scan(self) -> None:
        # a first scan: browse what it has found so far
        report = self._with_previews() if self.first_scan else self._progress("scan", "Scanning")
        try:
            result = self.services.scan(report, self.stop_event)
        except OSError as exc:
            self.app.call_from_thread(self._scan_failed, str(exc))
            return
        if self.stop_event.is_set() or get_current_worker().is_cancelled:
            return
        changed = bool(result.changed or self.first_scan)
        if changed:
            self.services.set_articles(result.articles)
        self.app.call_from_thread(self._scanned, result, changed)

    def _with_previews(self) -> Callable[[int, int], None]:
        """The progress callback of a first scan: it makes what the scan has found so far
        the catalog (100,000 files take a minute: the user can read meanwhile), and the
        status's count of files scanned is of that same moment.  A look at 50,000 articles
        takes about a second: the next waits `PREVIEW_COST_FACTOR` times as long as the
        last took, or the interval."""
        next_look = [0.0]  # the first batch (the newest files) is shown at once

        def progress(done: int, total: int) -> None:
            if done == 0 and not self.stop_event.is_set():  # the walk is done: how many
                self.app.call_from_thread(self.status.set_part, "scan", f"Scanning 0/{total:,}")
            start = time.monotonic()
            if 0 < done < total and start >= next_look[0] and not self.stop_event.is_set():
                self.services.set_articles(self.services.archive.cached())
                cost = time.monotonic() - start
                next_look[0] = time.monotonic() + max(self.scan_preview_interval,
                                                      PREVIEW_COST_FACTOR * cost)
                self.app.call_from_thread(self._found_so_far, done, total)

        return progress

    def _found_so_far(self, done: int, total: int) -> None:
        if self.first_scan:  # (the whole catalog may have come meanwhile)
            self.status.set_part("scan", f"Scanning {done:,}/{total:,}")
            self._catalog_ready()

    def _scanned(self, result: ScanResult, changed: bool) -> None:
        self.scanning = self.first_scan = False
        parts = [f"+{len(result.added):,}", f"~{len(result.updated):,}",
                 f"-{len(result.removed):,}"]
        text = f"Scanned: {' '.join(parts)}"
        if result.problems:
            text += f", {len(result.problems):,} with problems (newsreader doctor lists them)"
        self.status.set_part("scan", text)
        self.set_timer(self.scan_notice_seconds, lambda: self.status.set_part("scan", ""))
        if changed:
            self._catalog_ready()
        self._index()

    def _scan_failed(self, message: str) -> None:
        self.scanning = self.first_scan = False
        self.status.set_part("scan", "")
        self.notify(f"Scan failed: {message}", severity="error")

    # -- indexing -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index")
    def _index(self) -> None:
        try:
            message, busy = self.services.update_index(self._progress("index", "Indexing"),
                                                       self.stop_event, self._index_grew)
        except Exception as exc:  # the index is optional: searching titles still works
            message, busy = f"Index update failed: {exc}", False
        if not self.stop_event.is_set():
            self.app.call_from_thread(self._indexed, message, busy)

    def _index_grew(self) -> None:
        """From the index worker, after each commit: a search on screen is run again over
        what is indexed now (the first index of a big archive takes minutes)."""
        if not self.stop_event.is_set():
            self.app.call_from_thread(self._search_again)

    def _search_again(self) -> None:
        if self.search_text:
            self.refresh_list()

    def _indexed(self, message: str, busy: bool = False) -> None:
        self.status.set_part("index", message)
        if busy and self.busy_retry_seconds > 0:  # the other newsreader's update will
            self.set_timer(self.busy_retry_seconds, self._index)  # end: catch up then
        elif busy:
            self.call_later(self._index)
        self._search_again()

    # -- helpers --------------------------------------------------------------------

    def _progress(self, part: str, verb: str) -> Callable[[int, int], None]:
        """A progress callback for a worker thread, throttled, updating the status bar."""
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if now - last[0] < PROGRESS_INTERVAL and done < total:
                return
            last[0] = now
            text = f"{verb} {done:,}/{total:,}" if total else f"{verb}…"
            if not self.stop_event.is_set():
                self.app.call_from_thread(self.status.set_part, part, text)

        return progress

    def stop_background(self) -> None:
        self.stop_event.set()

    def on_unmount(self) -> None:
        self.stop_background()
