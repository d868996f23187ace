"""The main screen's part that follows the archive folder while the reader is open.

A thread worker takes the archive watcher's batches (reader/archive/watch.py):
each batch is scanned (only its paths, or the whole folder where what changed
is unknown) and goes the way `r` goes, a delta to the screen (`post_scan`);
then the index takes it (`Watched`: the background part's backlog).  A burst
of thousands of files arrives as a few batches.  Where the folder cannot be
watched, the watcher rescans every `watch_poll_seconds` and the status says so
once.  Where the folder itself is missing (renamed away, its drive unmounted), the
reader keeps what it knew and the status says "archive folder missing"; once it is
back and watched again, that part goes and a reconciling scan runs (unchanged files
are neither new nor indexed again).  `watch = false` in the config: nothing is
watched, `r` still rescans.
"""

from __future__ import annotations

from textual.screen import Screen

from reader.textsafe import clean_line
from reader.ui.messages import Progressed, Watched

SAY_READING = 200  # changed files in a batch from which the status says it reads them


class Watching:
    """Owns whether the folder is watched (`started`, written on the event loop)."""

    def __init__(self, screen: Screen) -> None:  # the MainScreen
        self.screen = screen
        self.services = screen.services
        self.started = False
        self.batches = 0  # batches taken so far (the first: watching began, the scan starts)

    def start(self) -> bool:
        """Watch from now on (once, as the reader opens); False when watching is off.
        The reader's first scan waits for the folder to be watched (`watched`): so a
        file written meanwhile is either in that scan or in a batch, and the scan is
        the only one."""
        if self.started or not self.services.settings.watch:
            return False
        self.started = True
        self.screen.run_worker(self._watch, thread=True, group="watch", exit_on_error=False)
        return True

    def _watch(self) -> None:
        from reader.archive.watch import ArchiveWatcher  # watchfiles: only when watching

        background, stop = self.screen.background, self.screen.background.stop_event
        batches = ArchiveWatcher(self.services.archive).batches(stop, full_scan_first=True)
        first = next(batches, None)  # None once the folder is watched: the first scan now
        if first is not None and not stop.is_set():
            self.screen.post_message(self._message(first, None, first=True))
        for batch in batches:
            if stop.is_set():
                return
            if batch.paths and len(batch.paths) >= SAY_READING:  # a burst takes seconds
                self.screen.post_message(Progressed("watch", f"reading {len(batch.paths):,} "
                                                    "changed files…"))
            result = None if batch.missing else self._scan(batch, stop)
            if stop.is_set():
                return
            if result is not None:
                result = background.post_scan(result)
            self.screen.post_message(self._message(batch, result))

    def _scan(self, batch, stop):
        """The batch's paths scanned (None: the whole folder); None if it failed (said)."""
        try:
            return (self.services.scan(cancel=stop) if batch.paths is None
                    else self.services.scan_paths(batch.paths))
        except OSError as exc:  # the folder went away meanwhile: the next batch says so
            self.screen.post_message(Watched(None, f"Rescan failed: {exc}"))
            return None

    @staticmethod
    def _message(batch, result, first: bool = False) -> Watched:
        return Watched(result, batch.notice, first, watched=not (batch.polled or batch.missing),
                       missing=batch.missing)

    def watched(self, message: Watched) -> None:
        """On the event loop: a notice once, the status's "watch" part (set while the
        folder is not watched, cleared once it is again), and the batch's changes to the
        index."""
        self.batches += 1
        status = self.screen.status
        if message.first and not message.missing:
            self.screen.background.rescan()
        if message.missing:
            status.set_part("watch", "archive folder missing")
        elif message.notice and not message.watched:
            every = self.services.settings.watch_poll_seconds
            status.set_part("watch", f"not watched: rescan every {every:g} s")
        elif message.watched:  # a watched batch done (its "reading…" over)
            status.set_part("watch", "")
        if message.notice:
            self.screen.notify(clean_line(message.notice), severity="warning", timeout=10)
        if message.result is not None and message.result.delta:
            self.screen.background.index_changes(message.result)
