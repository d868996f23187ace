"""Where an archive's cache, index and state live, and keeping them when the folder moves.

Each archive gets `<data_root>/archives/<name>-<hash of its path>/` with an
`archive.json` that records the folder it belongs to.  When an archive is
opened from a path with no data dir yet, a data dir whose recorded folder no
longer exists and whose cache knows this folder's files is taken over: a moved
or renamed archive keeps its read state, cache and index.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from itertools import islice
from pathlib import Path


_INFO = "archive.json"
_SAMPLE = 200


def data_dir_name(root: Path) -> str:
    digest = hashlib.sha256(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", root.name)[:40] or "archive"
    return f"{name}-{digest}"


def archive_data_dir(data_root: Path, root: Path) -> tuple[Path, str]:
    """(the data dir for `root`, a notice when an earlier data dir was taken over)."""
    archives = Path(data_root) / "archives"
    target = archives / data_dir_name(root)
    if target.exists() or not archives.is_dir():
        return target, ""
    moved_from = _find_moved(archives, root)
    if moved_from is None:
        return target, ""
    old_root = _recorded_root(moved_from)
    moved_from.rename(target)
    record_root(target, root)
    return target, f"archive moved from {old_root}: read state, cache and index kept"


def record_root(data_dir: Path, root: Path) -> None:
    """Note which folder a data dir belongs to (best effort: a read-only data dir is
    reported by the cache that can't be written there).  Written only when it changed:
    not at every start."""
    if _recorded_root(data_dir) == str(root):
        return
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / _INFO).write_text(json.dumps({"root": str(root)}), encoding="utf-8")
    except OSError:
        pass


def _recorded_root(data_dir: Path) -> str | None:
    try:
        return json.loads((data_dir / _INFO).read_text(encoding="utf-8"))["root"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _find_moved(archives: Path, root: Path) -> Path | None:
    from reader.archive.walk import walk

    sample = {f.rel for f in islice(walk(root), _SAMPLE)}
    if not sample:
        return None
    for candidate in sorted(archives.iterdir()):
        old_root = _recorded_root(candidate)
        if old_root is None or Path(old_root).exists():
            continue
        known = _cached_paths(candidate / "cache.sqlite3", sample)
        if len(sample & known) >= max(1, len(sample) // 2):
            return candidate
    return None


def _cached_paths(cache_file: Path, sample: set[str]) -> set[str]:
    """Which of `sample` a data dir's cache knows, read-only: opening it as a MetadataCache
    would drop an older schema's rows (or a damaged file) and forget the very evidence."""
    if not cache_file.exists():
        return set()
    try:
        db = sqlite3.connect(f"{cache_file.as_uri()}?mode=ro", uri=True)
        try:
            return {p for p in sample
                    if db.execute("SELECT 1 FROM articles WHERE path = ?", (p,)).fetchone()}
        finally:
            db.close()
    except sqlite3.Error:
        return set()
