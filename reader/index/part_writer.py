"""The part writer's child process: half of a big delta into a one-segment index of
its own (see reader/index/parts.py, which splits the delta and waits for the result)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from whoosh import index as whoosh_index

from reader.index.parts import finish
from reader.index.schema import build_schema
from reader.index.store import INDEX_NAME
from reader.index.writer import (PROGRESS_EVERY, failure_message, lower_priority,
                                 open_writer, prepare)


def write_part(job, part_dir: str, cancel, messages=None) -> None:
    """Child-process entry: index `job.adds` into a new index in `part_dir`; what was
    done goes to its result file (parts.RESULT) (never raises).  Its progress goes to
    the writer's `messages` as ("part", done): the update counts both halves."""
    lower_priority()
    try:
        result = _write(job, Path(part_dir), cancel, messages)
    except Exception as exc:  # reported through the result file
        result = {"error": failure_message(exc)}
    finish(Path(part_dir), result)


def _write(job, part_dir: Path, cancel, messages=None) -> dict:
    part_dir.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(part_dir), build_schema(), indexname=INDEX_NAME)
    writer = open_writer(ix)
    counts = {"failed": 0, "parsed": 0}
    indexed, tz, root = [], ZoneInfo(job.timezone), Path(job.root)
    for done, (path, fs_rel) in enumerate(job.adds, 1):
        if cancel.is_set():
            writer.cancel()
            return {"cancelled": True}
        doc, mtime = prepare(job, path, fs_rel, root, tz, counts)
        if doc is not None:
            writer.add_document(**doc)
            indexed.append((path, mtime))
        if messages is not None and (done % PROGRESS_EVERY == 0 or done == len(job.adds)):
            messages.put(("part", done))
    writer.commit(merge=False)
    return {"indexed": indexed, **counts}
