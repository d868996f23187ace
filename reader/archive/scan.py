"""The incremental scan: compare the folder with the cache, parse only what changed."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Callable

from reader.archive.model import Problem, ScanResult
from reader.archive.parse import UnreadableFile, parse_file
from reader.archive.walk import FoundFile, walk

if TYPE_CHECKING:
    from reader.archive import Archive

_BATCH = 500


def run_scan(archive: "Archive", progress: Callable[[int, int], None] | None,
             cancel: threading.Event | None) -> ScanResult:
    cache = archive.cache
    result = ScanResult()
    walk_problems: list[Problem] = []
    found = list(walk(archive.root, walk_problems))
    stamps = cache.stamps()
    todo = [f for f in found if stamps.get(f.rel) != (f.size, f.mtime_ns)]
    present = {f.rel for f in found}
    result.removed = sorted(set(stamps) - present)
    if result.removed:
        cache.forget(result.removed)
    total = len(todo)
    if progress:
        progress(0, total)
    for start in range(0, total, _BATCH):
        if cancel is not None and cancel.is_set():
            break
        _parse_batch(archive, todo[start:start + _BATCH], stamps, result)
        if progress:
            progress(min(start + _BATCH, total), total)
    result.articles = cache.articles()
    result.problems = walk_problems + cache.problems()
    return result


def _parse_batch(archive: "Archive", batch: list[FoundFile], stamps: dict, result: ScanResult
                 ) -> None:
    good, bad = [], []
    for f in batch:
        (result.updated if f.rel in stamps else result.added).append(f.rel)
        result.parsed += 1
        try:
            parsed = parse_file(archive.root, f.fs_rel, archive.tz)
        except UnreadableFile as exc:
            bad.append((f.rel, f.fs_rel, f.size, f.mtime_ns, str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file never stops a scan
            bad.append((f.rel, f.fs_rel, f.size, f.mtime_ns, f"unexpected error: {exc!r}"))
            continue
        good.append((parsed.article, f.fs_rel, f.mtime_ns))
    archive.cache.store(good, bad)
