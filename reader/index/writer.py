"""The index writer: runs in a child process of its own, one batch commit at a time.

`write_index(job, messages, cancel)` is the child's entry point (spawned, not
forked: the reader runs threads).  It removes deleted articles, parses and
indexes new and changed ones, commits every `job.batch` articles so that
searches see progress, and reports over the `messages` queue:

    ("progress", done, total)       articles handled so far
    ("commit", done, total)         a batch committed (then "finalizing" is over)
    ("done", {added, updated, removed, failed, cancelled, rebuilt})
    ("busy", message)               another live process is writing the index: nothing done
    ("error", message)              the update failed; the last commit stays searchable
"""

from __future__ import annotations

import errno
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from reader.archive.parent_watch import on_parent_exit
from reader.index.schema import body_field
from reader.index.store import (IndexBusy, Manifest, claim_writer, create_index, load_manifest,
                                open_index, release_writer, save_manifest)
from reader.index.whoosh_patches.abandon import abandon
from reader.index.whoosh_patches.codec import ArticleCodec
from reader.index.whoosh_patches.merge_policy import merge_small_only
from reader.index.whoosh_patches.posting_pool import use_lean_pool

LIMIT_MB = 512
PROGRESS_EVERY = 50
ORPHAN_GRACE = 30.0  # seconds an orphaned writer has to commit what it has done


@dataclass
class Job:
    index_dir: str
    root: str
    timezone: str
    adds: list[tuple[str, str]] = field(default_factory=list)  # (path, file path under root)
    removes: list[str] = field(default_factory=list)
    rebuild: bool = False
    batch: int = 2000


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


def write_index(job: Job, messages, cancel) -> None:
    """Child-process entry: never raises; failures are reported as ("error", msg)."""
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
        messages.put(("done", _run(job, index_dir, messages, cancel)))
    except Exception as exc:  # reported to the parent as one line
        messages.put(("error", failure_message(exc)))
    finally:
        release_writer(index_dir)


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


def _run(job: Job, index_dir: Path, messages, cancel) -> dict:
    manifest = load_manifest(index_dir)
    ix = None if job.rebuild else open_index(index_dir)
    fresh = ix is None or manifest is None
    if fresh:
        ix, manifest = create_index(index_dir, job.root), Manifest(root=job.root)
    counts = {"added": 0, "updated": 0, "removed": 0, "failed": 0, "cancelled": False,
              "rebuilt": fresh}
    manifest.complete = False
    batch = _Batch(ix, index_dir, manifest, fresh)
    try:
        for path in job.removes:
            if manifest.stamps.pop(path, None) is not None:
                batch.delete(path)
                counts["removed"] += 1
        _add_all(job, batch, manifest, counts, messages, cancel)
        manifest.complete = not counts["cancelled"]
        if manifest.complete:  # every date now follows the job's zone
            manifest.timezone = job.timezone
        batch.commit()
    except BaseException:
        batch.cancel()
        raise
    return counts


def _add_all(job, batch, manifest, counts, messages, cancel) -> None:
    from reader.archive.parse import UnreadableFile, parse_file

    tz, root, total = ZoneInfo(job.timezone), Path(job.root), len(job.adds)
    for done, (path, fs_rel) in enumerate(job.adds, 1):
        if cancel.is_set():
            counts["cancelled"] = True
            break
        try:
            parsed = parse_file(root, fs_rel, tz)
        except (UnreadableFile, OSError):
            counts["failed"] += 1
            manifest.stamps.pop(path, None)
            continue
        doc = document(parsed)
        doc["path"] = path
        if fs_rel != path:  # the name on disk, for the text check and snippets
            doc["meta"]["file"] = fs_rel
        known = path in manifest.stamps
        batch.add(doc)
        counts["updated" if known else "added"] += 1
        manifest.stamps[path] = (parsed.article.size, parsed.article.mtime)
        if done % PROGRESS_EVERY == 0 or done == total:
            messages.put(("progress", done, total))
        if batch.pending() >= job.batch:
            batch.commit()
            messages.put(("commit", done, total))


class _Batch:
    """The open Whoosh writer and what it holds since the last commit."""

    def __init__(self, ix, index_dir: Path, manifest: Manifest, fresh: bool):
        self.ix, self.index_dir, self.manifest = ix, index_dir, manifest
        self._writer = None
        self._count = 0
        self._fresh = fresh
        self._searcher = None

    def writer(self):
        if self._writer is None:
            self._writer = self.ix.writer(limitmb=LIMIT_MB, codec=ArticleCodec(), timeout=2.0)
            use_lean_pool(self._writer, LIMIT_MB)
        return self._writer

    def add(self, doc: dict) -> None:
        """Add to a fresh index; elsewhere replace, since a run that crashed between a
        commit and its manifest may have left the article in the index unrecorded.
        (Whoosh's update_document opens a searcher per call: far too slow.)"""
        writer = self.writer()
        if not self._fresh:
            self.delete(doc["path"])
        writer.add_document(**doc)
        self._count += 1

    def delete(self, path: str) -> bool:
        writer = self.writer()
        if self._searcher is None:
            self._searcher = writer.searcher()
        docnum = self._searcher.document_number(path=path)
        if docnum is not None:
            writer.delete_document(docnum)
        return docnum is not None

    def pending(self) -> int:
        return self._count

    def cancel(self) -> None:
        """Drop what was added since the last commit (after a failure, e.g. a full disk):
        the half-written segment is abandoned and Whoosh's lock released even when
        cancelling fails too (on a full disk, closing the segment's files fails)."""
        searcher, writer = self._searcher, self._writer
        self._searcher = self._writer = None
        self._count = 0
        abandon(writer, searcher)

    def commit(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._writer is not None:
            self._writer.commit(mergetype=merge_small_only)
            self._writer, self._count = None, 0
        save_manifest(self.index_dir, self.manifest)

