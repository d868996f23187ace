"""Keeping an archive's index up to date.

    summary = update_index(archive, progress, cancel)   # blocking: the CLI, or a worker

    summary = update_index(archive, delta=result.delta, parsed=result.parsed)

What needs indexing is what the metadata cache's ledger says is not indexed as
it is now (one query: its cost is the number of such articles; see
reader/archive/cache.py).  Given the `delta` of a scan, only its paths are
indexed, from the scan's `parsed` articles where given (no file read again);
otherwise the archive is scanned first unless the caller passes `articles`
(then only those of them are indexed).  The work goes to the writer, which runs
in a spawned child process (never forked: the reader runs threads) and commits
in batches: searches meanwhile see the last commit.
`progress(phase, done, total)` is called from the calling thread with phase "scan",
"index" or "finalize" (a first index resumed counts what it indexed before into both
numbers; an update of a complete index, or of a delta, counts its own); setting `cancel`
stops the writer at its next article, keeping what it committed and dropping the rest
(the next update indexes it): the update returns within QUIT_GRACE seconds, so that the
reader quits at once (a writer still busy then, in a commit, is ended: a kill at any
moment leaves the index as of its last commit, see reader/index/writer.py).  When another
live process is writing the index, the summary says so (`busy`, with the `error` line)
and nothing is done.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

from reader.archive import Delta, ParsedArticle
from reader.index.job import Job
from reader.index.store import load_manifest, manifest_path, open_index, whoosh_dir

Progress = Callable[[str, int, int], None]
BATCH = 2000
QUIT_GRACE = 0.5  # seconds a cancelled writer has to drop its batch and end
MERGE_IDLE_SECONDS = 10.0  # the index idle this long (the reader's, `watch`'s) before
# its segments are merged (merge_index)


@dataclass
class UpdateSummary:
    added: int = 0
    updated: int = 0
    removed: int = 0
    failed: int = 0
    parsed: int = 0  # files the writer read and parsed (the rest came parsed by the scan)
    seconds: float = 0.0
    cancelled: bool = False
    notice: str = ""  # e.g. the index was unreadable and rebuilt
    error: str = ""  # the update failed; the index is as of its last commit
    busy: bool = False  # ... because another live process is updating it
    merged: int = 0  # segments merged (`merge`)

    def line(self) -> str:
        text = (f"{self.added} added, {self.updated} updated, {self.removed} removed, "
                f"{self.failed} failed in {self.seconds:.1f} s")
        if self.merged:
            text += f"; {self.merged} segments merged"
        if self.cancelled:
            text += " (cancelled)"
        return text


def index_dir_of(archive) -> Path:
    return Path(archive.data_dir) / "index"


REBUILT = "the search index was unreadable or of another version: rebuilt"
RETIMED = "the time zone changed: every article is indexed again with its new date"
UNRECORDED = "the metadata cache no longer records what the search index holds: rebuilt"


def plan_update(archive, articles: Sequence | None = None, delta: Delta | None = None,
                parsed: Mapping[str, ParsedArticle] | None = None) -> tuple[Job, str]:
    """The job that brings the index in line with the cache's ledger (only `delta`'s
    paths, or only `articles`, when given), and a notice when the index is rebuilt."""
    index_dir, cache = index_dir_of(archive), archive.cache
    manifest = load_manifest(index_dir)
    ledger, rebuild, notice = _ledger(index_dir, cache, manifest)
    if not rebuild and manifest.timezone not in ("", archive.settings.timezone):
        cache.clear_indexed()
        notice, delta = RETIMED, None
    adds, removes = _work(cache, None if rebuild else delta, articles)
    parsed = {path: parsed[path] for path, _ in adds if path in (parsed or {})}
    job = Job(str(index_dir), str(archive.root), archive.settings.timezone, adds, removes,
              rebuild, BATCH, cache=str(cache.path), ledger=ledger, parsed=parsed,
              migrate=not rebuild and manifest.stamps is not None,
              growing=rebuild or not manifest.complete)
    if job.growing and delta is None and articles is None:  # the whole index: its progress
        job.indexed = max(0, cache.count() - len(adds))   # counts what is indexed already
    return job, notice


def _ledger(index_dir: Path, cache, manifest) -> tuple[str, bool, str]:
    """(the ledger's name, whether the index is rebuilt, a notice).  An older manifest's
    stamps are taken into a new ledger, once; an index the cache's ledger does not
    describe (the cache was rebuilt) is rebuilt with a new one."""
    rebuild = manifest is None or not _readable(index_dir, cache, manifest)
    damaged = rebuild and (manifest_path(index_dir).exists() or whoosh_dir(index_dir).exists())
    ledger, notice = cache.index_ledger(), REBUILT if damaged else ""
    if not rebuild and manifest.stamps is not None:
        return _new_ledger(cache, manifest.stamps), False, notice
    if not rebuild and manifest.ledger != ledger:
        rebuild, notice = True, UNRECORDED
    return (_new_ledger(cache) if rebuild else ledger), rebuild, notice


def _readable(index_dir: Path, cache, manifest) -> bool:
    """Whether the index opens, each segment file read through.  The check (0.1-0.3 s at
    100k, Whoosh imported) is skipped when nothing is to be written (complete, described
    by the ledger, nothing left to index) and no file of the index changed since it
    last passed (their names, sizes and mtimes, kept in the cache)."""
    files = index_files(index_dir)
    if files and cache.setting(CHECKED) == files and manifest.complete \
            and manifest.ledger == cache.index_ledger() and not cache.anything_to_index():
        return True  # (in this order: a delta to index reads no row more than it needs)
    readable = open_index(index_dir, check=True) is not None
    if readable and files:
        try:
            cache.set_setting(CHECKED, files)
        except sqlite3.Error:  # a read-only cache: checked every time
            pass
    return readable


CHECKED = "index_files_checked"


def index_files(index_dir: Path) -> str:
    """The Whoosh files' names, sizes and mtimes, as one string ('' when unlistable)."""
    folder = whoosh_dir(index_dir)
    try:
        stamps = {}
        for entry in os.scandir(folder):
            st = entry.stat()
            stamps[entry.name] = (st.st_size, st.st_mtime_ns)
    except OSError:
        return ""
    return json.dumps(stamps, sort_keys=True, separators=(",", ":"))


def merges_due(index_dir) -> bool:
    """Whether a tier of the index's segments is due for a merge (merge_policy)."""
    from reader.index.whoosh_patches.merge_policy import due_tier

    ix = open_index(Path(index_dir))
    return ix is not None and bool(due_tier(ix._segments()))


def merge_index(archive, progress: Progress | None = None,
                cancel: threading.Event | None = None) -> UpdateSummary:
    """Merge the due tiers of a complete index, and nothing else (the reader's and
    `watch`'s merge when the index is otherwise idle): in the writer's child at idle
    priority, one committed step at a time, `progress("merge", step, steps)` as each
    begins.  `cancel` (new work came, a quit) ends the child at once: the step under way
    is dropped, those before it are kept, and the next merge goes on."""
    started = time.perf_counter()
    cancel = cancel or threading.Event()
    index_dir, summary = index_dir_of(archive), UpdateSummary()
    manifest = load_manifest(index_dir)
    if manifest is not None and manifest.complete and not cancel.is_set() \
            and merges_due(index_dir):
        job = Job(str(index_dir), str(archive.root), archive.settings.timezone,
                  merge_only=True)
        _merge(summary, run_job(job, progress, cancel))
    summary.cancelled = cancel.is_set()
    summary.seconds = time.perf_counter() - started
    return summary


def _new_ledger(cache, stamps: dict | None = None) -> str:
    import uuid

    name = uuid.uuid4().hex
    cache.reset_ledger(name, stamps)
    return name


def _work(cache, delta, articles) -> tuple[list[tuple[str, str]], list[str]]:
    """(path, name on disk) to index and the paths to remove."""
    if delta is not None:  # less what another newsreader on this data dir indexed already
        changed = list(dict.fromkeys(a.path for a in (*delta.added, *delta.changed)))
        todo = cache.to_index_of(changed)
        return [(p, todo[p]) for p in changed if p in todo], list(delta.removed)
    adds = cache.to_index()
    if articles is not None:
        wanted = {a.path for a in articles}
        adds = [item for item in adds if item[0] in wanted]
    return adds, cache.to_unindex()


def update_index(archive, progress: Progress | None = None,
                 cancel: threading.Event | None = None,
                 articles: Sequence | None = None, delta: Delta | None = None,
                 parsed: Mapping[str, ParsedArticle] | None = None,
                 full: bool = True, merge: bool = False) -> UpdateSummary:
    """Bring the index up to date: what `delta` names (bodies from `parsed`), else what
    the ledger says is not indexed after a scan (unless `articles` is given).  Not
    `full`: the scan is skipped when no folder changed (`Archive.scan_if_changed`).
    `merge`: then, the index complete, merge its segments until no tier is due
    (merge_policy.merge_one_tier: minutes at 1M, at nice 10; `cancel` stops it after
    the step under way, or at once when the update is cancelled)."""
    started = time.perf_counter()
    cancel = cancel or threading.Event()
    if articles is None and delta is None:
        scan_progress = (lambda d, t: progress("scan", d, t)) if progress else None
        scan = archive.scan if full else archive.scan_if_changed
        scan(progress=scan_progress, cancel=cancel)
    summary = UpdateSummary()
    for _attempt in range(2):  # again if the index broke between the plan and the write
        job, notice = plan_update(archive, articles, delta, parsed)
        job.merge = merge
        summary.notice = summary.notice or notice
        if cancel.is_set() or not (job.adds or job.removes or job.rebuild or job.migrate
                                   or (merge and merges_due(job.index_dir))):
            break
        result = run_job(job, progress, cancel)
        _merge(summary, result)
        if summary.error or not result.get("rebuilt") or job.rebuild:
            break
        summary.notice, delta = REBUILT, None
    summary.cancelled = cancel.is_set()
    summary.seconds = time.perf_counter() - started
    return summary


def _merge(summary: UpdateSummary, result: dict) -> None:
    if "error" in result:
        summary.error = result["error"]
        summary.busy = bool(result.get("busy"))
        return
    for key in ("added", "updated", "removed", "failed", "parsed", "merged"):
        setattr(summary, key, getattr(summary, key) + result.get(key, 0))


def run_job(job: Job, progress: Progress | None, cancel: threading.Event) -> dict:
    """Run the writer in a spawned child and relay its messages; returns its result."""
    import multiprocessing  # these: only when there is work (Whoosh: 0.1-0.2 s)

    from reader.index.part_writer import write_part
    from reader.index.parts import remove_parts, split, start_parts
    from reader.index.writer import write_index

    ctx = multiprocessing.get_context("spawn")
    # a merge's step under way has nothing to keep: cancelled, it is ended at once
    messages, stopping = ctx.Queue(), _Stopping(ctx, 0.0 if job.merge_only else QUIT_GRACE)
    total = job.indexed + len(job.adds)  # progress counts both halves of a split delta
    job, parts = split(job)  # a big delta: half of it in a second process
    children = start_parts(ctx, parts, stopping.stop, write_part, messages)
    child = ctx.Process(target=write_index, args=(job, messages, stopping.stop,
                                                  stopping.abandon),
                        daemon=True, name="newsreader-indexer")
    child.start()
    try:
        result = _relay(child, messages, stopping, progress, cancel, job.indexed, total)
    finally:
        if cancel.is_set():
            stopping.quit()
        _end(child, stopping)
        stopping.stop.set()  # parts the writer did not wait for (it failed, was busy) end
        for part, reaper in children:
            _end(part, stopping)
            reaper.join()
        remove_parts(parts)
        messages.close()
    return result


class _Stopping:
    """The events that stop the writer and its parts (`stop`) and drop what they have not
    committed (`abandon`), and, once the update is cancelled, the time by which they
    must be gone (`grace` seconds after: QUIT_GRACE, none for a merge)."""

    def __init__(self, ctx, grace: float = QUIT_GRACE) -> None:
        self.stop, self.abandon = ctx.Event(), ctx.Event()
        self.by: float | None = None
        self.grace = grace

    def quit(self) -> None:
        if self.by is None:
            self.abandon.set()  # first: seen whenever stop is
            self.stop.set()
            self.by = time.monotonic() + self.grace

    def left(self) -> float | None:
        """Seconds left to end (None: not cancelled, no limit)."""
        return None if self.by is None else max(0.0, self.by - time.monotonic())


def _end(process, stopping: _Stopping) -> None:
    """Wait for `process` to end; cancelled, until the grace is over, then end it (it
    has committed what it will, and a kill leaves the index as of its last commit)."""
    process.join(stopping.left())
    if process.is_alive():
        process.terminate()
        process.join()


def _relay(child, messages, stopping: _Stopping, progress, cancel, indexed: int,
           total: int) -> dict:
    """The child's messages to `progress` until its result (the articles done: those
    `indexed` before, the writer's and its part's, of the `total` of all).  Cancelled:
    the child is told to stop and drop what it has not committed, and its result waited
    for until the grace is over."""
    import queue

    done = {"writer": 0, "part": 0}
    while True:
        if cancel.is_set():
            stopping.quit()
        left = stopping.left()
        try:
            message = messages.get(timeout=0.1 if left is None else min(0.1, left))
        except queue.Empty:
            if left == 0:
                return {}  # the child is ended (run_job): nothing more was committed
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
        if progress and kind == "merge":
            progress("merge", message[1], message[2])
        elif progress:
            done["part" if kind == "part" else "writer"] = message[1]
            now = indexed + sum(done.values())
            progress("index", now, total)
            if kind in ("progress", "part") and now == total:
                progress("finalize", now, total)
