"""`newsreader watch [ARCHIVE]`: keep the cache and the search index up to date as the
folder changes, for people who search from scripts; one line per batch of changes.

    12:01:03  +1,000 ~2 -0  indexed 1,002 in 4.1 s

Ctrl-C (or SIGTERM) ends it cleanly: the update under way is cancelled, a last line says
so, and the exit code is 0.
"""

from __future__ import annotations

import argparse
import signal
import threading
import time

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
    try:
        started = False  # the first batch, once the folder is watched, is a full scan
        for batch in ArchiveWatcher(archive).batches(stop, full_scan_first=True):
            if batch.notice:
                say(clean_line(batch.notice))
            if started:
                _take(archive, batch.paths, args.no_index, stop)
            else:
                _start(archive, args.no_index, stop)
                started = True
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    say("stopped")
    return 0


def _start(archive, no_index: bool, stop: threading.Event) -> None:
    first = archive.scan(cancel=stop)
    for notice in archive.notices:
        say(clean_line(notice))
    indexed = "" if no_index else ", " + _indexed(archive, None, stop)  # all not yet indexed
    say(f"watching {clean_line(str(archive.root))}: {archive.cached_count():,} articles"
        f"{indexed}; Ctrl-C ends")


def _stop_on_signals(stop: threading.Event) -> dict:
    """SIGINT and SIGTERM set `stop` (the watch ends, an update under way is cancelled);
    a second Ctrl-C interrupts at once."""
    def handler(signum, _frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    return {signum: signal.signal(signum, handler) for signum in (signal.SIGINT, signal.SIGTERM)}


def _take(archive, paths: frozenset[str] | None, no_index: bool, stop: threading.Event) -> None:
    """Scan what the batch names (None: the whole archive), index it, print a line."""
    result = archive.scan(cancel=stop) if paths is None else archive.scan_paths(paths)
    delta = result.delta
    if not delta:
        return  # a temporary file that came and went, a file saved unchanged, a quiet poll
    line = f"+{len(delta.added):,} ~{len(delta.changed):,} -{len(delta.removed):,}"
    if paths is None:
        line += " (full rescan)"
    if result.problems:
        line += f", {len(result.problems):,} with problems (newsreader doctor)"
    say(line + ("" if no_index or not delta else "  " + _indexed(archive, result, stop)))


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
