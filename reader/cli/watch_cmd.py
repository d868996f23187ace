"""`newsreader watch [ARCHIVE]`: keep the cache and the search index up to date as the
folder changes, for people who search from scripts; one line per batch of changes.

    12:01:03  +1,000 ~2 -0  indexed 1,002 in 4.1 s

Ctrl-C (or SIGTERM) ends it cleanly: the update under way is cancelled, a last line says
so, and the exit code is 0.  Once the index has been idle MERGE_IDLE_SECONDS, its segments
are merged in the background (`merge_when_idle`, as in the reader: reader/index/updater.py
merge_index), cancelled as soon as a batch comes or the watch ends.
"""

from __future__ import annotations

import argparse
import signal
import threading
import time
from dataclasses import replace

from reader.archive.reconcile import StampDict, apply_stamps, reconcile
from reader.cli.common import add_archive_argument, open_archive, warn
from reader.textsafe import clean_line


def register(sub: argparse._SubParsersAction) -> None:
    watch = sub.add_parser("watch", help="keep the cache and the search index up to date "
                                         "as files change (Ctrl-C ends)")
    add_archive_argument(watch)
    watch.add_argument("--no-index", action="store_true",
                       help="keep only the metadata cache up to date, not the index")
    watch.set_defaults(func=run_watch)


def run_watch(args: argparse.Namespace, settings) -> int:
    from reader.archive.watch import ArchiveWatcher  # watchfiles: only for this command

    archive = open_archive(args, settings)
    stop = threading.Event()
    previous = _stop_on_signals(stop)
    merging = _IdleMerge(archive, not args.no_index and settings.merge_when_idle)
    try:
        watch = _Watch(archive, args.no_index, stop)
        for batch in ArchiveWatcher(archive).batches(stop, full_scan_first=True):
            merging.interrupt()
            watch.take(batch)
            merging.start()
    finally:
        merging.interrupt()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    say("stopped")
    return 0


class _Watch:
    """What this command knows of the archive (`known`: path -> (size, mtime), as it last
    reported and indexed it), brought up to date batch by batch.  Each batch's line is
    what changed against `known`, not what this process's scan stored: a reader on the
    same data dir may have stored (or forgotten) a change first (reconcile.py)."""

    def __init__(self, archive, no_index: bool, stop: threading.Event):
        self.archive, self.no_index, self.stop = archive, no_index, stop
        self.known: StampDict | None = None  # None: the first scan is still to come
        self.missing = False  # the archive folder is missing (said once)

    def take(self, batch) -> None:
        if batch.notice:
            say(clean_line(batch.notice))
        if self.missing and not batch.missing:
            say("the archive folder is back: rescanning")
        self.missing = batch.missing
        if batch.missing:
            return
        try:
            if self.known is None:
                self._start()
            else:
                self._take(batch.paths)
        except OSError as exc:  # the folder went away meanwhile: the next batch says so
            say(f"scan failed: {clean_line(str(exc))}")

    def _start(self) -> None:
        archive = self.archive
        archive.scan(cancel=self.stop)
        self.known = StampDict(archive.cache.article_stamps())
        for notice in archive.notices:
            say(clean_line(notice))
        indexed = "" if self.no_index else ", " + _indexed(archive, None, self.stop)
        say(f"watching {clean_line(str(archive.root))}: {len(self.known):,} articles"
            f"{indexed}; Ctrl-C ends")

    def _take(self, paths: frozenset[str] | None) -> None:
        """Scan what the batch names (None: the whole archive), index what changed, print
        a line."""
        assert self.known is not None
        archive = self.archive
        result = archive.scan(cancel=self.stop) if paths is None else archive.scan_paths(paths)
        delta = reconcile(archive.cache, self.known, result.scope, result.delta)
        apply_stamps(self.known, delta)
        if not delta:
            return  # a temporary file that came and went, a file saved unchanged, a quiet poll
        line = f"+{len(delta.added):,} ~{len(delta.changed):,} -{len(delta.removed):,}"
        if paths is None:
            line += " (full rescan)"
        if result.problems:
            line += f", {len(result.problems):,} with problems (newsreader doctor)"
        if not self.no_index:
            line += "  " + _indexed(archive, replace(result, delta=delta), self.stop)
        say(line)


class _IdleMerge:
    """The index's segments merged in a thread once the watch has been idle for
    `idle_seconds`; `interrupt` cancels it (the child ended at once) and waits for it."""

    idle_seconds: float | None = None  # None: MERGE_IDLE_SECONDS (the updater's, imported
    # only when merging: every command imports this module)

    def __init__(self, archive, enabled: bool) -> None:
        self.archive, self.enabled = archive, enabled
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.enabled and self._thread is None:
            self._cancel = threading.Event()
            self._thread = threading.Thread(target=self._merge, args=(self._cancel,),
                                            name="newsreader-merge", daemon=True)
            self._thread.start()

    def interrupt(self) -> None:
        if self._thread is not None:
            self._cancel.set()
            self._thread.join()
            self._thread = None

    def _merge(self, cancel: threading.Event) -> None:
        from reader.index.updater import MERGE_IDLE_SECONDS, merge_index

        idle = MERGE_IDLE_SECONDS if self.idle_seconds is None else self.idle_seconds
        if cancel.wait(idle):
            return
        summary = merge_index(self.archive, cancel=cancel)
        if summary.merged:
            say(f"merged {summary.merged:,} index segments in {summary.seconds:.1f} s")
        elif summary.error and not summary.busy and not cancel.is_set():
            say(f"index not merged: {clean_line(summary.error)}")


def _stop_on_signals(stop: threading.Event) -> dict:
    """SIGINT and SIGTERM set `stop` (the watch ends, an update under way is cancelled);
    a second Ctrl-C interrupts at once."""
    def handler(signum, _frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    return {signum: signal.signal(signum, handler) for signum in (signal.SIGINT, signal.SIGTERM)}


def _indexed(archive, result, stop: threading.Event) -> str:
    """Bring the index up to date after `result`'s scan, from its delta and the articles it
    parsed (no re-read of the cache's records, no file parsed twice), or with everything
    the cache's ledger says is not indexed yet (`result` None); what it did."""
    from reader.index import update_index

    changes = {} if result is None else {"delta": result.delta, "parsed": result.parsed}
    summary = update_index(archive, cancel=stop, **changes)
    if summary.notice:
        warn(summary.notice)
    if summary.error:
        return f"index not updated: {clean_line(summary.error)}"
    done = summary.added + summary.updated + summary.removed
    text = f"indexed {done:,} in {summary.seconds:.1f} s"
    text += f", {summary.failed:,} failed" if summary.failed else ""
    return text + (f", {summary.parsed:,} parsed again" if summary.parsed else "")


def say(line: str) -> None:
    print(f"{time.strftime('%H:%M:%S')}  {line}", flush=True)
