"""Keeping an archive's index up to date.

    summary = update_index(archive, progress, cancel)   # blocking: the CLI, or a worker

The archive is scanned first unless the caller passes its `articles` (only
new and changed files are parsed); the articles are compared with the index
manifest, and only new, changed and deleted articles go to the writer, which
runs in a spawned child process (never forked: the reader runs threads) and
commits in batches: searches meanwhile see the last commit.
`progress(phase, done, total)` is called from the calling thread with phase
"scan", "index" or "finalize"; setting `cancel` stops the writer at its next
article, keeping what it committed.  When another live process is writing
the index, the summary says so (`busy`, with the `error` line) and nothing
is done.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from reader.index.store import load_manifest, manifest_path, open_index, whoosh_dir
from reader.index.writer import Job, write_index

Progress = Callable[[str, int, int], None]
BATCH = 2000


@dataclass
class UpdateSummary:
    added: int = 0
    updated: int = 0
    removed: int = 0
    failed: int = 0
    seconds: float = 0.0
    cancelled: bool = False
    notice: str = ""  # e.g. the index was unreadable and rebuilt
    error: str = ""  # the update failed; the index is as of its last commit
    busy: bool = False  # ... because another live process is updating it

    def line(self) -> str:
        text = (f"{self.added} added, {self.updated} updated, {self.removed} removed, "
                f"{self.failed} failed in {self.seconds:.1f} s")
        if self.cancelled:
            text += " (cancelled)"
        return text


def index_dir_of(archive) -> Path:
    return Path(archive.data_dir) / "index"


REBUILT = "the search index was unreadable or of another version: rebuilt"
RETIMED = "the time zone changed: every article is indexed again with its new date"


def plan_update(archive, articles: Sequence) -> tuple[Job, str]:
    """The job that brings the index in line with `articles`, and a notice when the
    index on disk cannot be used and is rebuilt."""
    index_dir = index_dir_of(archive)
    manifest = load_manifest(index_dir)
    rebuild = manifest is None or open_index(index_dir, check=True) is None
    damaged = rebuild and (manifest_path(index_dir).exists() or whoosh_dir(index_dir).exists())
    stamps = {} if rebuild else manifest.stamps
    current = {a.path: (a.size, a.mtime) for a in articles}
    retimed = not rebuild and manifest.timezone not in ("", archive.settings.timezone)
    changed = [p for p, stamp in current.items() if retimed or stamps.get(p) != stamp]
    fs_path = getattr(archive.cache, "fs_path", None)
    adds = [(p, (fs_path(p) if fs_path else None) or p) for p in changed]
    removes = [p for p in stamps if p not in current]
    job = Job(str(index_dir), str(archive.root), archive.settings.timezone, adds, removes,
              rebuild, BATCH)
    return job, REBUILT if damaged else RETIMED if retimed else ""


def update_index(archive, progress: Progress | None = None,
                 cancel: threading.Event | None = None,
                 articles: Sequence | None = None) -> UpdateSummary:
    """Scan (unless `articles` is given) and bring the index up to date."""
    started = time.perf_counter()
    cancel = cancel or threading.Event()
    if articles is None:
        scan_progress = (lambda d, t: progress("scan", d, t)) if progress else None
        articles = archive.scan(progress=scan_progress, cancel=cancel).articles
    summary = UpdateSummary()
    for _attempt in range(2):  # again if the index broke between the plan and the write
        job, notice = plan_update(archive, articles)
        summary.notice = summary.notice or notice
        if cancel.is_set() or not (job.adds or job.removes or job.rebuild):
            break
        result = run_job(job, progress, cancel)
        _merge(summary, result)
        if summary.error or not result.get("rebuilt") or job.rebuild:
            break
        summary.notice = REBUILT
    summary.cancelled = cancel.is_set()
    summary.seconds = time.perf_counter() - started
    return summary


def _merge(summary: UpdateSummary, result: dict) -> None:
    if "error" in result:
        summary.error = result["error"]
        summary.busy = bool(result.get("busy"))
        return
    for key in ("added", "updated", "removed", "failed"):
        setattr(summary, key, getattr(summary, key) + result.get(key, 0))


def run_job(job: Job, progress: Progress | None, cancel: threading.Event) -> dict:
    """Run the writer in a spawned child and relay its messages; returns its result."""
    ctx = multiprocessing.get_context("spawn")
    messages, stop = ctx.Queue(), ctx.Event()
    child = ctx.Process(target=write_index, args=(job, messages, stop), daemon=True,
                        name="newsreader-indexer")
    child.start()
    try:
        return _relay(child, messages, stop, progress, cancel, len(job.adds))
    finally:
        child.join()
        messages.close()


def _relay(child, messages, stop, progress, cancel, total) -> dict:
    while True:
        if cancel.is_set():
            stop.set()
        try:
            message = messages.get(timeout=0.1)
        except queue.Empty:
            if not child.is_alive() and messages.empty():
                return {"error": f"the indexer stopped unexpectedly (exit code {child.exitcode})"}
            continue
        kind = message[0]
        if kind == "done":
            return message[1]
        if kind == "error":
            return {"error": message[1]}
        if kind == "busy":
            return {"error": message[1], "busy": True}
        if progress:
            done = message[1]
            progress("index", done, total)
            if kind == "progress" and done == total:
                progress("finalize", done, total)
