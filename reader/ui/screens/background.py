"""The main screen's background work: load from the cache, scan the folder, build the index.

The list appears from the metadata cache first; the scan and then the index
catch up in thread workers that report to the screen in messages (progress a
newer report replaces, see reader/ui/messages.py) and stop when the screen
goes away.  A scan's changes reach the screen as a delta (`CatalogChanged`),
whether `r` or a watched batch made it: `post_scan`.

A first scan (nothing cached yet) makes what it has found so far the catalog
every few seconds, so the tree, the list, the article pane and the status all
tell the same story while it runs: the counts of what is found so far, labelled
as such.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from functools import partial
from typing import Callable

from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from reader.archive import ScanResult
from reader.session.backlog import IndexBacklog
from reader.ui.screens.idle_merge import IdleMerge
from reader.ui.messages import (CatalogChanged, CatalogLoaded, Indexed, IndexGrew,
                                Progressed, ScanFinished)

FIRST_PAGE = 300  # newest articles shown before the whole archive is loaded
FIRST_PAINT_WAIT = 2.0  # at most this long (seconds) for the first page to be drawn
SCAN_PREVIEW_INTERVAL = 2.0  # seconds between two looks at what a first scan has found
PREVIEW_COST_FACTOR = 4  # a look waits 4 times what the last one took: at most a fifth
BUSY_RETRY_SECONDS = 30.0  # another newsreader updates the index: try again after this
TAKE_WAIT = 2.0  # at most this long (seconds) for the screen to take a change posted


class Background:
    """The screen's part that loads, scans and indexes.  It owns `stop_event`, `loaded`
    and `first_scan` (written on the event loop; the workers read them)."""

    scan_preview_interval = SCAN_PREVIEW_INTERVAL
    busy_retry_seconds = BUSY_RETRY_SECONDS
    scan_notice_seconds = 5.0  # how long "Scanned: +N ~N -N" stays in the status

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.services = screen.services
        self.stop_event = threading.Event()
        self.loaded = threading.Event()  # set once the first list is shown
        self.first_rows = threading.Event()  # set once rows have been drawn
        self.first_scan = False  # a scan of an archive with nothing cached is under way:
        # the catalog is what it has found so far
        self.resumed = False  # the cache holds a part of the archive (a first scan cut
        # short), until a scan of the whole folder ends
        self.indexing = False  # an index update is under way (one at a time)
        self.backlog = IndexBacklog()  # what the index has still to take
        self.merge = IdleMerge(self)  # the index's segments merged when it is idle
        self._scan_notice: Timer | None = None  # clears "Scanned: ..." from the status

    @property
    def partial(self) -> bool:
        """The catalog is a part of the archive, its counts "so far": a first scan is under
        way, or the scan completing one that a quit cut short."""
        return self.first_scan or self.resumed

    @property
    def scanning(self) -> bool:
        """A scan worker of this screen is under way (derived: nothing to keep in step)."""
        return any(w.node is self.screen and w.group == "scan" and not w.is_finished
                   for w in self.screen.workers)

    def run(self, work: Callable, group: str, *args) -> None:
        """`work(*args)` in a thread worker of `group`.  Its name and description are
        given: Textual would otherwise describe the worker by `repr` of the partial, on
        the event loop, and the index's arguments (a burst's delta and parsed bodies)
        make that a repr of megabytes (0.1 s)."""
        self.screen.run_worker(partial(work, *args), name=work.__name__, group=group,
                               description=work.__name__, thread=True, exclusive=True)

    # -- loading --------------------------------------------------------------------

    def start(self) -> None:
        self.run(self._load, "load")

    def _load(self) -> None:
        notices = self.services.open_state()
        first = self.services.rules.shown(self.services.archive.cached_newest(FIRST_PAGE))
        if first:  # a usable list at once; the full load (~1 s at 100k) follows
            total = self.services.archive.cached_count()
            painted = self.screen.from_worker(self._first_page_ready, first, total)
            # The full load holds the GIL for a second or more: let the first page be
            # drawn before it starts, or the screen waits for it.
            if painted is not None:  # None: the reader quit meanwhile
                self._wait(painted, FIRST_PAINT_WAIT)
        self.services.check_ahead()  # the text checks, in a child, while the catalog loads
        loaded = self.services.load_cached(self.stop_event)
        if loaded is None:  # the reader quit during the read
            return
        notices += self.services.archive.notices
        self.screen.post_message(CatalogLoaded(loaded, notices=tuple(notices), first=True))
        self._show_first_look()
        if self._until_loaded():
            self._count_groups()
        if not self.stop_event.is_set():  # after the first rows: it holds the GIL ~0.5 s
            self.screen.from_worker(self._watch_or_scan)
        self._warm_up()  # the index readers, before the first keystroke

    def _warm_up(self) -> None:
        """The searcher's warm-up in a daemon thread, not in this worker: it only fills
        caches, and Textual's workers are joined as the reader quits (the newest-first
        order and OpenCC's dictionaries took seconds at a load of 10).  A quit skips
        its steps left; an index closed under the step under way ends it."""
        def warm() -> None:
            try:
                self.services.searcher.warm_up(self.stop_event.is_set)
            except Exception:  # noqa: BLE001 - the reader quit under it: nothing to warm
                pass
        threading.Thread(target=warm, name="search-warm-up", daemon=True).start()

    def _count_groups(self) -> None:
        """In the load worker, at a warm start: the saved searches and rules counted from
        the index as it is (Services.groups_at_start), unless the index worker's
        were taken first (they are newer).  Before the scan starts: a second of work at
        100k that the scan's thread would otherwise make several (the GIL's share)."""
        found = self.services.groups_at_start(self.stop_event.is_set)
        if found is not None and not self.stop_event.is_set():
            self.screen.from_worker(self._take_groups, *found)

    def _take_groups(self, found, rules) -> None:
        if not self.services.saved.counted:
            self.screen.search_nodes.take(found)
        if not self.services.rules.counted:
            self.screen.rule_nodes.take(rules)

    def _show_first_look(self) -> None:
        """A first open: the first look's newest articles (reader/archive/first_look.py,
        started by the CLI before Textual loaded) as what the first scan has found so
        far, once the cache's empty catalog is shown (this one must come after it), and
        then drawn (`first_rows`: the folder's watch, the scan and the searcher's warm-up
        wait for that, or they would hold the GIL while it is drawn).  The scan waits
        for the look: it is the same as its first batch."""
        newest = self.services.archive.looked_newest(self.stop_event)
        if not newest or not self._until_loaded():
            return
        self.screen.post_message(CatalogLoaded(self.services.load(newest), so_far=True))
        self._wait(self.first_rows, FIRST_PAINT_WAIT)

    def _wait(self, event: threading.Event, timeout: float) -> None:
        """In a worker: until `event` is set, `timeout` seconds pass or the reader quits."""
        end = time.monotonic() + timeout
        while not event.wait(min(0.05, max(0.0, end - time.monotonic()))):
            if self.stop_event.is_set() or time.monotonic() >= end:
                return

    def _until_loaded(self) -> bool:
        """In the load worker: wait until the cache's catalog is shown; False if the
        screen went away first."""
        while not self.loaded.wait(0.1):
            if self.stop_event.is_set():
                return False
        return not self.stop_event.is_set()

    def _watch_or_scan(self) -> None:
        """On the event loop, once the first rows are drawn: the folder watched (the
        first scan starts once it is), or scanned now where watching is off.  At a warm
        start, an index not complete (a first index cut short) goes on at once, beside
        the scan, from what the cache holds: it waited for the scan, and a reader
        opened for a few seconds at a time quit before its index had started (the
        scan's changes are indexed after it)."""
        if self.stop_event.is_set():
            return
        if self.services.articles and not self.first_scan \
                and not self.services.searcher.index_complete():
            self.index()
        if not self.screen.watching.start():
            self.rescan()

    def rows_shown(self, rows: list) -> None:
        """On the event loop: the list has rows from now on (drawn after this refresh)."""
        if rows and not self.first_rows.is_set():
            self.screen.call_after_refresh(self.first_rows.set)

    def _first_page_ready(self, first: list, total: int) -> threading.Event:
        """Show the first page; the event is set once it is on the screen."""
        painted = threading.Event()
        screen = self.screen
        screen.call_after_refresh(painted.set)
        if not self.loaded.is_set():
            screen.article_list.set_rows(first, None, partial=len(first) < total)
            screen.status.set_part("scan", f"Loading {total:,} articles…")
            current = screen.article_list.current
            if current is not None:
                screen.schedule_preview(current.path)
        return painted

    def catalog_loaded(self, message: CatalogLoaded) -> None:
        """A whole catalog: the cache's (then the scan starts), or a first scan's."""
        self.services.take_loaded(message.loaded)
        if message.first:  # the load worker then starts the watch (or the scan)
            self.first_scan = not self.services.articles  # first: an empty catalog says why
            self.resumed = not self.first_scan and \
                self.services.archive.first_scan_unfinished()
        for notice in message.notices:
            self.screen.notify(notice, severity="warning", timeout=10)
        self.screen.tree.rebuild(self.services.tree_counts, partial=self.partial)
        self.screen.rule_nodes.show()
        self.screen.listing.refresh()
        self.loaded.set()

    # -- scanning -------------------------------------------------------------------

    def rescan(self) -> None:
        if self.scanning:
            self.screen.notify("A scan is already running.", timeout=2)
            return
        self.merge.interrupt()  # the scan's changes are indexed next: first
        self.first_scan = self.first_scan or not self.services.articles  # a first look shown
        self.screen.status.set_part("scan", "Scanning…")
        self.run(self._scan, "scan", self.first_scan)

    def _scan(self, first: bool) -> None:
        """`first`: nothing was cached.  That scan, and the one completing a first scan cut
        short (`resumed`), show what they have found so far as they go."""
        report = self._with_previews() if first or self.resumed \
            else self._progress("scan", "Scanning")
        try:
            result = self.services.scan(report, self.stop_event)
        except OSError as exc:
            self.screen.post_message(ScanFinished(None, str(exc)))
            return
        if self.stop_event.is_set() or get_current_worker().is_cancelled:
            return
        if first:  # a first scan (nothing cached) loads what it found
            self.screen.post_message(CatalogLoaded(self.services.load(result.articles)))
        else:
            result = self.post_scan(result)
        self.screen.post_message(ScanFinished(result))

    def post_scan(self, result: ScanResult) -> ScanResult:
        """In a worker: what changed for this reader in the scan's scope, to the screen as
        a delta (`r` and a watched batch, `archive.scan_paths(paths)`, alike), even when
        the scan itself stored nothing (another newsreader stored it first); returns the
        result with that delta, for the status and the index.  Its stories are grouped
        here too (from the bodies the scan parsed), so that the screen shows the new
        files in their stories in the step they appear: a big change in pieces, newest
        first, each posted once grouped (reader/session/scan_changes.py)."""
        delta = self.services.post_scan(result, self._post_change, self.stop_event)
        return replace(result, delta=delta)

    def _post_change(self, change) -> None:
        """In the scan's worker: a change to the screen, and back once the screen has
        taken it: the next piece is grouped after, not beside it (both want the GIL,
        and the take, waiting for it under load, was half a second late)."""
        taken = threading.Event()
        self.screen.post_message(CatalogChanged(change, taken))
        if threading.current_thread() is not threading.main_thread():  # (a test's call
            self._wait(taken, TAKE_WAIT)  # from the event loop has no one to wait for)

    def _with_previews(self) -> Callable[[int, int], None]:
        """The progress callback of a first scan: it makes what the scan has found so far
        the catalog (100,000 files take a minute: the user can read meanwhile), and the
        status's count of files scanned is of that same moment.  A look at 50,000 articles
        takes about a second: the next waits `PREVIEW_COST_FACTOR` times as long as the
        last took, or the interval."""
        next_look = [0.0]  # the first batch (the newest files) is shown at once
        post = self.screen.post_message

        def progress(done: int, total: int) -> None:
            if self.stop_event.is_set():
                return
            if done == 0:  # the walk is done: how many
                post(Progressed("scan", f"Scanning 0/{total:,}"))
            start = time.monotonic()
            if 0 < done < total and start >= next_look[0]:
                found = self.services.archive.cached(self.stop_event)
                if self.stop_event.is_set():  # a quit: the cache waits to be closed
                    return
                loaded = self.services.load(found)
                cost = time.monotonic() - start
                next_look[0] = time.monotonic() + max(self.scan_preview_interval,
                                                      PREVIEW_COST_FACTOR * cost)
                post(Progressed("scan", f"Scanning {done:,}/{total:,}"))
                post(CatalogLoaded(loaded, so_far=True))

        return progress

    def scan_finished(self, message: ScanFinished) -> None:
        self.first_scan = False
        result, status = message.result, self.screen.status
        self.resumed = self.resumed and result is None  # (a failed scan completed nothing)
        if result is None:
            status.set_part("scan", "")
            self.screen.notify(f"Scan failed: {message.error}", severity="error")
            return
        delta = result.delta  # what changed for this reader (see post_scan)
        parts = [f"+{len(delta.added):,}", f"~{len(delta.changed):,}",
                 f"-{len(delta.removed):,}"]
        text = f"Scanned: {' '.join(parts)}"
        if result.problems:
            text += f", {len(result.problems):,} with problems (newsreader doctor lists them)"
        status.set_part("scan", text)
        if self._scan_notice is not None:  # an earlier scan's timer would clear this one
            self._scan_notice.stop()
        self._scan_notice = self.screen.set_timer(self.scan_notice_seconds,
                                                  lambda: status.set_part("scan", ""))
        self.screen.tree.scan_ended()
        self.screen.listing.show_view_counts()
        self.index()

    # -- indexing -------------------------------------------------------------------

    def index(self) -> None:
        """Bring the whole index up to date (all the ledger says is not indexed)."""
        self.backlog.want_full()
        self.index_next()

    def index_changes(self, result: ScanResult) -> None:
        """Index what a watched batch changed, from the articles its scan parsed (the
        status says so at once: not "up to date" while a batch waits)."""
        self.backlog.add(result.delta, result.parsed)
        if self.backlog:
            self.screen.status.set_part("index", "Indexing…")
        self.index_next()

    def index_next(self) -> None:
        """One index update at a time: what comes meanwhile waits in the backlog and is
        taken as one delta when the update under way is over, or the merge under way is
        cancelled (it ends within a second)."""
        if self.indexing or not self.backlog or self.merge.interrupt():
            return
        self.indexing = True
        self.run(self._index, "index", *self.backlog.take())

    def _index(self, delta=None, parsed=None) -> None:
        found = rules = None
        try:
            message, busy = self.services.update_index(self._progress("index", "Indexing"),
                                                       self.stop_event, self._index_grew,
                                                       delta, parsed)
            if not busy and not self.stop_event.is_set():  # the saved searches' members
                found = self.services.saved.after_index(delta)
                rules = self.services.rules.after_index(delta)
        except Exception as exc:  # the index is optional: searching titles still works
            message, busy = f"Index update failed: {exc}", False
        if not self.stop_event.is_set():
            self.screen.post_message(Indexed(message, busy, found, rules))

    def _index_grew(self) -> None:
        """From the index worker, after each commit: a search on screen is run again over
        what is indexed now (the first index of a big archive takes minutes)."""
        if not self.stop_event.is_set():
            self.screen.post_message(IndexGrew())

    def indexed(self, message: Indexed) -> None:
        self.indexing = False
        more = bool(self.backlog) and not message.busy  # taken next: not "up to date"
        self.screen.status.set_part("index", "Indexing…" if more else message.text)
        self.screen.search_nodes.take(message.found)
        self.screen.rule_nodes.take(message.rules)
        if message.busy and self.busy_retry_seconds > 0:  # the other newsreader's
            self.screen.set_timer(self.busy_retry_seconds, self.index)  # update ends
        elif message.busy:
            self.screen.call_later(self.index)
        else:
            self.index_next()  # what the watcher found meanwhile
        if not self.indexing and not message.busy:
            self.merge.when_idle()
        self.screen.listing.search_again()
        self.screen.related.index_grew()

    # -- helpers --------------------------------------------------------------------

    def _progress(self, part: str, verb: str) -> Callable[[int, int], None]:
        """A progress callback for a worker thread: each report a message, which the
        next one replaces if the screen has not drawn it yet."""

        def progress(done: int, total: int) -> None:
            if not self.stop_event.is_set():
                text = f"{verb} {done:,}/{total:,}" if total else f"{verb}…"
                self.screen.post_message(Progressed(part, text))

        return progress

    def stop(self) -> None:
        self.stop_event.set()
        self.merge.stop()
