"""A delta indexed by two processes at once: the writer and one part writer.

Indexing is CPU work in pure Python (analysis, then Whoosh writing the postings of
~65 terms per article), about 4 ms an article: a burst of 1,000 new files took 8 s
in one process.  A delta of at least PARALLEL_MIN articles (not during a first
index, whose commits grow instead: see reader/index/writer.py; and one commit's
worth at most) is split in two: a spawned part writer indexes the second
half (reader/index/part_writer.py) into a standalone one-segment index in
`<index_dir>/part-<id>/` and records what it did in `part.json`; the writer, which holds the index's lock, indexes the first
half and commits it (its segment written while the part writes its own), then waits
for the part and takes its segment into a second commit (see
whoosh_patches/foreign_segments.py), deleting the older versions and recording its
articles in the ledger.  Results are those of one writer: a segment per half instead
of one.  A part that fails or is cancelled leaves its articles unrecorded: the next
update indexes them.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path

PARALLEL_MIN = 400  # articles in a delta worth a second process (its start costs ~1 s)
RESULT = "part.json"
WAIT_STEP = 0.05


def split(job, cpus: int | None = None):
    """(the writer's job, the part writers' jobs with their folders).  Not split while
    the machine has no core to spare (the load average at least the cores): a second
    process then only adds its start, its imports and a second commit to the CPU the
    two share (a burst of 1,000 at load 7 on 2 cores: searchable after 15.5 s p50)."""
    cpus = os.cpu_count() if cpus is None else cpus
    if job.growing or cpus < 2 or not PARALLEL_MIN <= len(job.adds) <= job.batch \
            or _load() >= cpus:
        return job, []
    half = len(job.adds) // 2
    mine, theirs = job.adds[:half], job.adds[half:]
    part_dir = Path(job.index_dir) / f"part-{uuid.uuid4().hex}"
    part = replace(job, adds=theirs, removes=[], parsed=_only(job.parsed, theirs), parts=[])
    main = replace(job, adds=mine, parsed=_only(job.parsed, mine), parts=[str(part_dir)])
    return main, [(part, part_dir)]


def _load() -> float:
    """The last minute's load average (0 where there is none: Windows)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def _only(parsed: dict, adds: list) -> dict:
    return {path: parsed[path] for path, _ in adds if path in parsed}


def finish(part_dir: Path, result: dict) -> None:
    """Write the part's result (once: a later call, e.g. the parent's after a crash,
    leaves a result already there alone)."""
    path = part_dir / RESULT
    if path.exists():
        return
    part_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    os.replace(tmp, path)


def wait_result(part_dir: Path, cancel) -> dict:
    """The part's result, once written (cancelled: {"cancelled": True})."""
    path = part_dir / RESULT
    while not path.exists():
        if cancel.is_set():
            return {"cancelled": True}
        time.sleep(WAIT_STEP)
    return json.loads(path.read_text(encoding="utf-8"))


def start_parts(ctx, parts: list, stop, target, messages=None
                ) -> list[tuple[object, threading.Thread]]:
    """Start a spawned part writer (`target`: reader/index/part_writer.py, its progress
    to `messages`) per part; each
    (process, thread) returned: the thread ends when its child does, having written a
    result for a child that died without one."""
    threads = []
    for job, part_dir in parts:
        child = ctx.Process(target=target, args=(job, str(part_dir), stop, messages), daemon=True,
                            name="newsreader-indexer-part")
        child.start()
        thread = threading.Thread(target=_reap, args=(child, part_dir), daemon=True)
        thread.start()
        threads.append((child, thread))
    return threads


def _reap(child, part_dir: Path) -> None:
    child.join()
    finish(part_dir, {"error": f"the part indexer stopped unexpectedly "
                               f"(exit code {child.exitcode})"})


def remove_stale(index_dir: Path, keep: list[str]) -> None:
    """Remove the part folders of earlier updates that crashed (the writer holds the
    lock: no other update's parts are being written)."""
    for stale in Path(index_dir).glob("part-*"):
        if str(stale) not in keep:
            shutil.rmtree(stale, ignore_errors=True)


def remove_parts(parts: list) -> None:
    for _job, part_dir in parts:
        shutil.rmtree(part_dir, ignore_errors=True)
