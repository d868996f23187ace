"""The index writer: runs in a child process of its own, one batch commit at a time.

`write_index(job, messages, cancel, abandon)` is the child's entry point (spawned,
not forked: the reader runs threads).  It removes deleted articles, indexes new
and changed ones (from the scan's parsed articles in `job.parsed`, else
parsing the file), commits every `job.batch` articles so that searches see
progress, records each commit in the metadata cache's ledger right after it
(see reader/archive/cache.py), and reports over the `messages` queue (below).

While the index is not complete (`job.growing`: a first index, or the rest of one)
the first commit comes after FIRST_COMMIT articles and each next one after twice
as many, up to the batch_size (`job.batch` at first, then a quarter of what is
indexed, up to MAX_BATCHES times `job.batch`): a reader opened for a few seconds at a time kept none
of its work, since a quit drops what is not committed and the first commit came
after 2,000 articles (eight 4-second sessions on the 10k corpus indexed nothing).
A quit (`abandon`) commits what is pending, without merging, when that is expected
to take at most QUIT_COMMIT seconds (at the cost an article of this job's last
commit); else the batch is dropped.


    ("progress", done, total)       articles handled so far
    ("commit", done, total)         a batch committed (then "finalizing" is over)
    ("merge", step, steps)          a merge step begins (the steps before it are committed)
    ("done", {added, updated, removed, failed, parsed, cancelled, rebuilt})
    ("busy", message)               another live process is writing the index: nothing done
    ("error", message)              the update failed; the last commit stays searchable
"""

from __future__ import annotations

import errno
import os
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from reader.archive.parent_watch import on_parent_exit
from reader.index.job import Job  # noqa: F401  (what the writer runs: its home is job.py)
from reader.index.parts import remove_stale
from reader.index.schema import body_field
from reader.index.store import (IndexBusy, Manifest, claim_writer, create_index, load_manifest,
                                open_index, release_writer, save_manifest, whoosh_dir)
from reader.index.whoosh_patches.abandon import abandon as abandon_writer
from reader.index.whoosh_patches.codec import ArticleCodec
from reader.index.whoosh_patches.foreign_segments import (move_segments, part_segments,
                                                          with_segments)
from reader.index.whoosh_patches.merge_policy import merge_small_only
from reader.index.whoosh_patches.posting_pool import use_lean_pool
from reader.index.whoosh_patches.term_lookup import live_docnum

LIMIT_MB = 512
PROGRESS_EVERY = 50
GROWTH = 4  # past the first batches, a batch is a quarter of what is indexed ...
MAX_BATCHES = 5  # ... up to this many times the job's batch (10,000 articles)
ORPHAN_GRACE = 30.0  # seconds an orphaned writer has to commit what it has done
NICENESS = 10  # the writers yield the CPU to the reader (listing a watched burst, typing)
IDLE_NICENESS = 19  # ... and a merge when idle yields it to everything
FIRST_COMMIT = 100  # articles in a growing job's first commit (each next one: twice as many)
QUIT_COMMIT = 0.25  # seconds a quitting reader's commit may be expected to take (of the
# updater's QUIT_GRACE: the process must end within it)
UNTIMED = 0.002  # seconds an article's commit is taken to cost before one was timed
# (measured on the real corpus: 0.4-1.5 ms of CPU, more wall time under load)


def document(parsed) -> dict:
    """The fields of one parsed article."""
    a = parsed.article
    meta = {"title": a.title, "date": a.date.isoformat(), "categories": list(a.categories),
            "tags": list(a.tags), "lang": a.lang, "link": a.link, "source": a.source,
            "summary": a.summary}  # for the text check, which must see what was indexed
    text = body_field(a.summary, a.tags, a.categories, parsed.body)
    return {"path": a.path, "title": a.title, "body": text, "tag": list(a.tags),
            "category": list(a.categories), "lang": [a.lang], "source": [a.source],
            "date": int(a.date.timestamp()), "meta": meta}


def write_index(job: Job, messages, cancel, abandon=None) -> None:
    """Child-process entry: never raises; failures are reported as ("error", msg).
    `cancel` stops it at the next article, committing what it has done (`newsreader
    index`, a parent killed); with `abandon` set too (the reader quits, and will not
    wait for a commit of seconds) what was done since the last commit is dropped, and
    the next update indexes it (the ledger never recorded it)."""
    lower_priority(idle=job.merge_only)
    on_parent_exit(lambda: _orphaned(messages, cancel))
    index_dir = Path(job.index_dir)
    try:
        claim_writer(index_dir)
    except OSError as exc:  # a read-only or missing data dir
        messages.put(("error", f"cannot write the search index in {index_dir}: "
                               f"{exc.strerror or exc}"))
        return
    except IndexBusy as exc:  # another live writer: told, not raised
        messages.put(("busy", str(exc)))
        return
    except Exception as exc:  # noqa: BLE001 - reported to the parent, never raised
        messages.put(("error", str(exc)))
        return
    try:
        remove_stale(index_dir, job.parts)
        messages.put(("done", _run(job, index_dir, messages, cancel, abandon)))
    except Exception as exc:  # reported to the parent as one line
        messages.put(("error", failure_message(exc)))
    finally:
        release_writer(index_dir)


def lower_priority(idle: bool = False) -> None:
    """This process (an index writer) runs at NICENESS: indexing is background work, and
    a watched burst's files, parsed by the reader and its scan workers meanwhile, were
    listed after 14.7 s while both writers took the two cores (D6).  `idle` (a merge
    when the index is otherwise idle): at the lowest priority.  Not in Linux's idle
    scheduling class: a merge cancelled under load must end at once, and a process of
    that class took up to 77 s to exit (SIGTERM) while the reader waited for it."""
    try:
        os.nice(IDLE_NICENESS if idle else NICENESS)
    except (AttributeError, OSError):  # no nice (Windows), or not allowed: as it is
        pass


def _orphaned(messages, cancel) -> None:
    """The parent died (a kill -9 of the reader or of `newsreader index`): stop at the next
    article, commit what is done and release the lock, so that the next update goes on
    from there at once; a writer still at it after ORPHAN_GRACE seconds is ended."""
    messages.cancel_join_thread()  # nobody reads them now: exit without flushing them
    cancel.set()
    threading.main_thread().join(ORPHAN_GRACE)
    if threading.main_thread().is_alive():
        os._exit(1)


def failure_message(exc: Exception) -> str:
    """One line for an update that failed; what was committed before it stays searchable."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "the disk is full: the search index is kept as of its last commit"
    if isinstance(exc, OSError):
        return f"cannot write the search index ({exc.strerror or exc}): it is kept as of " \
               "its last commit"
    return f"{type(exc).__name__}: {exc}"


def _run(job: Job, index_dir: Path, messages, cancel, abandon=None) -> dict:
    from reader.archive.cache import MetadataCache

    if job.merge_only:  # no article changes: the manifest and the ledger stay as they are
        ix = open_index(index_dir)
        return {"merged": 0 if ix is None else merge_tiers(ix, cancel, abandon, messages)}
    manifest = load_manifest(index_dir)
    ix = None if job.rebuild else open_index(index_dir)
    fresh = ix is None or manifest is None
    ledger = MetadataCache(Path(job.cache))
    if fresh:  # the ledger first: a crash between the two must not leave it claiming more
        ledger.reset_ledger(job.ledger)
        ix, manifest = create_index(index_dir, job.root, job.ledger), Manifest(root=job.root)
    manifest.ledger, manifest.stamps, manifest.complete = job.ledger, None, False
    counts = {"added": 0, "updated": 0, "removed": 0, "failed": 0, "parsed": 0,
              "cancelled": False, "rebuilt": fresh}
    batch = _Batch(ix, index_dir, manifest, fresh, ledger, job.batch, job.growing)
    try:
        for path in job.removes:
            counts["removed"] += batch.delete(path, removed=True)
        _add_all(job, batch, counts, messages, cancel)
        if job.parts and batch.pending() and not _set(abandon):  # this half's segment is
            batch.commit()  # written while the part writes its own: then both are searchable
        for part in job.parts:
            take_part(Path(part), batch, counts, cancel)
        if _set(abandon):  # the reader quits
            _keep_if_quick(batch)
            counts["cancelled"] = True
            return counts
        manifest.complete = not counts["cancelled"]
        if manifest.complete:  # every date now follows the job's zone
            manifest.timezone = job.timezone
        batch.commit()
    except BaseException:
        batch.cancel()
        raise
    finally:
        ledger.close()
    if job.merge and manifest.complete:
        counts["merged"] = merge_tiers(ix, cancel, abandon, messages)
    return counts


def _keep_if_quick(batch) -> None:
    """A quit: what is done is committed, without merging, when that is expected to take
    at most QUIT_COMMIT seconds; else it is dropped (the next update indexes it)."""
    if batch.commit_fits(QUIT_COMMIT):
        batch.commit(merge=False)
    else:
        batch.cancel()


def merge_tiers(ix, cancel, abandon=None, messages=None) -> int:
    """Merge the index's due tiers (merge_policy.merge_one_tier), one commit each, until
    none is due or `cancel` is set; the segments merged.  A merge changes no article, so
    the ledger and manifest stay as they are; one stopped midway (`abandon`, a kill)
    leaves the index as of the step before, and its files go at the next commit.  Each
    step is announced on `messages` as ("merge", step, steps) before it begins."""
    from reader.index.whoosh_patches.merge_policy import (due_tier, merge_one_tier,
                                                          planned_steps)

    merged, steps = 0, 0
    while not cancel.is_set():
        segments = ix._segments()
        due = len(due_tier(segments))
        if not due:
            break
        steps += 1
        if messages is not None:
            messages.put(("merge", steps, steps - 1 + planned_steps(segments)))
        writer = open_writer(ix)
        try:
            writer.commit(mergetype=merge_one_tier)
        except BaseException:
            abandon_writer(writer, None)
            raise
        if _set(abandon):  # the step ended after the reader quit: it is kept all the same
            break
        merged += due
    return merged


def _set(event) -> bool:
    return event is not None and event.is_set()


def _add_all(job, batch, counts, messages, cancel) -> None:
    tz, root, total = ZoneInfo(job.timezone), Path(job.root), len(job.adds)
    for done, (path, fs_rel) in enumerate(job.adds, 1):
        if cancel.is_set():
            counts["cancelled"] = True
            break
        doc, mtime = prepare(job, path, fs_rel, root, tz, counts)
        if doc is not None:
            counts["updated" if batch.add(doc, mtime) else "added"] += 1
        if done % PROGRESS_EVERY == 0 or done == total:
            messages.put(("progress", done, total))
        if batch.due():
            batch.commit()
            messages.put(("commit", done, total))


def batch_size(batch: int, indexed: int) -> int:
    """Articles to a commit once `indexed` are: `batch` at first, so that a first index is
    searchable early, then a share of what is indexed, so that the segments of a first
    index grow with it (a segment costs every search its own lookups: 2,000 a commit made
    50 segments at 100k and 500 at 1M; now 18 and 108) without merging them."""
    return min(batch * MAX_BATCHES, max(batch, indexed // GROWTH))


def prepare(job, path: str, fs_rel: str, root: Path, tz, counts: dict) -> tuple:
    """(the document of one article, its mtime), from the scan's parse when the job has
    it, else parsing the file; (None, None) when it cannot be read (counted as failed:
    left out of the ledger, tried again next time)."""
    parsed = job.parsed.get(path)
    if parsed is None:
        counts["parsed"] += 1
        parsed = _parse(root, fs_rel, tz)
    if parsed is None:
        counts["failed"] += 1
        return None, None
    doc = document(parsed)
    doc["path"] = path
    if fs_rel != path:  # the name on disk, for the text check and snippets
        doc["meta"]["file"] = fs_rel
    return doc, parsed.article.mtime


def take_part(part_dir: Path, batch, counts: dict, cancel) -> None:
    """Wait for the part writer of `part_dir` (reader/index/parts.py) and take its
    segment into the batch; a failed or cancelled part leaves its articles unrecorded."""
    from reader.index.parts import wait_result

    result = wait_result(part_dir, cancel)
    counts["cancelled"] |= bool(result.get("cancelled"))
    counts["parsed"] += result.get("parsed", 0)
    counts["failed"] += result.get("failed", 0)
    if "indexed" in result:
        batch.adopt(part_dir, [(p, m) for p, m in result["indexed"]], counts)


def open_writer(ix):
    """A Whoosh writer with our codec and posting pool."""
    writer = ix.writer(limitmb=LIMIT_MB, codec=ArticleCodec(), timeout=2.0)
    use_lean_pool(writer, LIMIT_MB)
    return writer


def _parse(root: Path, fs_rel: str, tz):
    """The archive's own parse of one file (None when it cannot be read now)."""
    from reader.archive.parse import UnreadableFile, parse_file

    try:
        return parse_file(root, fs_rel, tz)
    except (UnreadableFile, OSError):
        return None


class _Batch:
    """The open Whoosh writer and what it holds since the last commit."""

    def __init__(self, ix, index_dir: Path, manifest: Manifest, fresh: bool, ledger,
                 limit: int, growing: bool):
        self.ix, self.index_dir, self.manifest, self.ledger = ix, index_dir, manifest, ledger
        self._writer = None
        self._count = 0
        self._fresh = fresh
        self._searcher = None
        self._indexed: list[tuple[str, float]] = []  # since the last commit: for the ledger
        self._removed: list[str] = []
        self._foreign: list = []  # segments other processes wrote, for the next commit
        # commits every batch_size(limit, committed) articles; `growing`: after
        # FIRST_COMMIT first, then after twice as many as the commit before, up to that
        self._limit, self._next = limit, FIRST_COMMIT if growing else None
        self._per_article = UNTIMED  # seconds an article of the last commit took

    def due(self) -> bool:
        size = batch_size(self._limit, self.committed())
        return self._count >= (size if self._next is None else min(self._next, size))

    def commit_fits(self, seconds: float) -> bool:
        """Whether committing what is pending, without merging, is expected to take at
        most `seconds` (at this job's last commit's cost an article)."""
        return self._count * self._per_article <= seconds

    def writer(self):
        if self._writer is None:
            self._writer = open_writer(self.ix)
        return self._writer

    def add(self, doc: dict, mtime: float) -> bool:
        """Add to a fresh index; elsewhere replace (by path: a run that crashed between
        a commit and its ledger left the article indexed but unrecorded).  Whether it
        replaced one.  (Whoosh's update_document opens a searcher per call: too slow.)"""
        writer = self.writer()
        replaced = not self._fresh and self.delete(doc["path"])
        writer.add_document(**doc)
        self._count += 1
        self.manifest.count += not replaced
        self._indexed.append((doc["path"], mtime))
        return replaced

    def delete(self, path: str, removed: bool = False) -> bool:
        """Delete the article from the index (`removed`: for good); whether it was there."""
        if removed:
            self._removed.append(path)
        if self._fresh:
            return False
        writer = self.writer()
        if self._searcher is None:
            self._searcher = writer.searcher()
        docnum = live_docnum(self._searcher, path)
        if docnum is not None:
            writer.delete_document(docnum)
            self.manifest.count -= removed
        return docnum is not None

    def adopt(self, part_dir: Path, indexed: list[tuple[str, float]], counts: dict) -> None:
        """Take the segment another process wrote in `part_dir` (its articles `indexed`)
        into the next commit, replacing the articles' older versions."""
        for path, mtime in indexed:
            replaced = not self._fresh and self.delete(path)
            counts["updated" if replaced else "added"] += 1
            self.manifest.count += not replaced
            self._indexed.append((path, mtime))
        segments = part_segments(part_dir, self.ix.indexname)
        move_segments(segments, part_dir, whoosh_dir(self.index_dir))
        self.writer()  # the commit that lists them
        self._foreign += segments

    def pending(self) -> int:
        return self._count

    def committed(self) -> int:
        """About the articles indexed as of the last commit."""
        return self.manifest.count - self._count

    def cancel(self) -> None:
        """Drop what was added since the last commit (after a failure, e.g. a full disk):
        the half-written segment is abandoned and Whoosh's lock released even when
        cancelling fails too (on a full disk, closing the segment's files fails)."""
        searcher, writer = self._searcher, self._writer
        self._searcher = self._writer = None
        self._count = 0
        self._indexed, self._removed, self._foreign = [], [], []
        abandon_writer(writer, searcher)

    def commit(self, merge: bool = True) -> None:
        """Commit what is pending (`merge`: with the small segments, see merge_policy.py),
        then record it in the manifest and the ledger."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._writer is not None:
            # taking in a part's segment merges nothing: the part's delta waits for it
            policy = _Counted(merge_small_only if merge and not self._foreign else _keep)
            started = time.perf_counter()
            self._writer.commit(mergetype=with_segments(policy, self._foreign))
            if self._count:  # a merged article costs about what a new one does
                self._per_article = (time.perf_counter() - started) \
                    / (self._count + policy.merged)
            self._writer, self._count, self._foreign = None, 0, []
            if self._next is not None:
                self._next *= 2
        save_manifest(self.index_dir, self.manifest)
        self.ledger.mark_indexed(self._indexed, self._removed)
        self._indexed, self._removed = [], []


def _keep(_writer, segments):
    return segments


class _Counted:
    """A merge policy, and how many articles the segments it merged held."""

    def __init__(self, policy) -> None:
        self.policy, self.merged = policy, 0

    def __call__(self, writer, segments):
        kept = self.policy(writer, segments)
        self.merged += sum(s.doc_count_all() for s in segments if s not in kept)
        return kept
