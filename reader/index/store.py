"""Where an index lives on disk, what it records beside Whoosh, and how it is opened.

    <index_dir>/whoosh/          the Whoosh index
    <index_dir>/manifest.json    one JSON line written after every commit: schema
                                 version, archive root, count, complete, time
                                 zone, and the name of the ledger in the metadata
                                 cache that records what is indexed (older
                                 manifests had each article's (size, mtime) on a
                                 second line: taken into the ledger once)
    <index_dir>/writer.pid       the pid of the process writing, while it writes
    <index_dir>/damaged          left by a search that could not read the index:
                                 the next update rebuilds it

The manifest and then the ledger are written after the commit they describe,
and re-adding an article replaces it (by path), so a crash between them only
costs re-indexing the last batch.  Whoosh's write lock is an OS file lock,
released when its process dies; the pid file tells a stale lock (its process
gone, e.g. on a file system without locks) from a live writer.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from whoosh.filedb.filestore import FileStorage

# Whoosh (0.1-0.2 s to import) is imported by the functions that open an index: the
# manifest, the ledger's check and `newsreader index` with nothing to do need none of it.

SCHEMA_VERSION = 3  # 3: words glued to Chinese split; summary stored for the text check
# (bump it with any change to reader/index/schema.py's fields or to the analysis)
INDEX_NAME = "MAIN"


class IndexBusy(Exception):
    """Another live process is writing this index."""


@dataclass
class Manifest:
    root: str = ""
    count: int = 0  # articles indexed
    complete: bool = False
    schema: int = SCHEMA_VERSION
    timezone: str = ""  # the default zone the dates were indexed in ("": not recorded)
    ledger: str = ""  # the name of the metadata cache's ledger of this index
    stamps: dict[str, tuple[int, float]] | None = None  # an older manifest's, to migrate


def whoosh_dir(index_dir: Path) -> Path:
    return Path(index_dir) / "whoosh"


def manifest_path(index_dir: Path) -> Path:
    return Path(index_dir) / "manifest.json"


def load_manifest(index_dir: Path) -> Manifest | None:
    """The manifest, or None when it is missing, unreadable or of another schema, or the
    index was found damaged."""
    header, rest = _read_manifest(index_dir, whole=True)
    try:
        if header is None:
            return None
        stamps = None
        if "ledger" not in header:  # older: stamps in the header, or on a second line
            raw = header if "stamps" in header else json.loads(rest)
            stamps = {p: (int(s[0]), float(s[1])) for p, s in raw["stamps"].items()}
        count = len(stamps) if stamps is not None else int(header["count"])
        return Manifest(str(header.get("root", "")), count, bool(header.get("complete")),
                        timezone=str(header.get("timezone", "")),
                        ledger=str(header.get("ledger", "")), stamps=stamps)
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


@dataclass(frozen=True)
class Summary:
    """The manifest's first line: what a searcher needs, without the stamps."""

    root: str
    count: int  # articles indexed
    complete: bool


def load_summary(index_dir: Path) -> Summary | None:
    """The manifest's summary (None as for `load_manifest`), read from its first line
    only: an older manifest's stamps took ~0.5 s to parse at 100,000 articles."""
    header, _ = _read_manifest(index_dir, whole=False)
    try:
        if header is None:
            return None
        count = len(header["stamps"]) if "stamps" in header else int(header["count"])
        return Summary(str(header.get("root", "")), count, bool(header.get("complete")))
    except (ValueError, KeyError, TypeError):
        return None


def _read_manifest(index_dir: Path, whole: bool) -> tuple[dict | None, str]:
    """The manifest's header (its first line, of this schema) and, when `whole`, the rest."""
    if damaged_path(index_dir).exists():
        return None, ""
    try:
        with manifest_path(index_dir).open(encoding="utf-8") as file:
            header = json.loads(file.readline())
            rest = file.read() if whole else ""
    except (OSError, ValueError):
        return None, ""
    if not isinstance(header, dict) or header.get("schema") != SCHEMA_VERSION:
        return None, ""
    return header, rest


def save_manifest(index_dir: Path, manifest: Manifest) -> None:
    """One JSON line, written atomically (never the stamps: the ledger holds them)."""
    path = manifest_path(index_dir)
    tmp = path.with_suffix(".tmp")
    header = {"schema": manifest.schema, "root": manifest.root,
              "complete": manifest.complete, "count": manifest.count,
              "timezone": manifest.timezone, "ledger": manifest.ledger}
    tmp.write_text(json.dumps(header, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    os.replace(tmp, path)


def damaged_path(index_dir: Path) -> Path:
    return Path(index_dir) / "damaged"


def mark_damaged(index_dir: Path, reason: str) -> None:
    """Record that the index could not be read, so that the next update rebuilds it."""
    try:
        damaged_path(index_dir).write_text(reason, encoding="utf-8")
    except OSError:  # a read-only data dir: the next update finds the damage itself
        pass


def open_index(index_dir: Path, check: bool = False):
    """The Whoosh index, or None when absent, unreadable or of another schema.  With
    `check`, every segment file is opened too (a truncated or missing one is damage)."""
    from whoosh import index as whoosh_index

    wdir = whoosh_dir(index_dir)
    if load_summary(index_dir) is None:
        return None
    try:
        if not whoosh_index.exists_in(str(wdir), INDEX_NAME):
            return None
        ix = _storage(wdir, mapped=not check).open_index(INDEX_NAME)
        if check:
            ix.reader().close()
        return ix
    except Exception:  # any damage to the files: the caller rebuilds
        return None


def _storage(wdir: Path, mapped: bool = True) -> "FileStorage":
    """The index's files; compound segments are read in place (see mapped_parts).  A
    check opens every part only to see that it reads: unmapped, or it would page the
    whole index into the updating process each time."""
    from whoosh.filedb.filestore import FileStorage

    from reader.index.whoosh_patches import hash_directory, mapped_parts

    mapped_parts.install()
    hash_directory.install()
    return FileStorage(str(wdir), supports_mmap=mapped)


def create_index(index_dir: Path, root: str, ledger: str = ""):
    """A new empty index (anything there before is removed) and its manifest."""
    from whoosh import index as whoosh_index

    from reader.index.schema import build_schema
    from reader.index.whoosh_patches import mapped_parts

    wdir = whoosh_dir(index_dir)
    shutil.rmtree(wdir, ignore_errors=True)
    wdir.mkdir(parents=True, exist_ok=True)
    damaged_path(index_dir).unlink(missing_ok=True)
    mapped_parts.install()
    ix = whoosh_index.create_in(str(wdir), build_schema(), indexname=INDEX_NAME)
    save_manifest(index_dir, Manifest(root=root, ledger=ledger))
    return ix


def claim_writer(index_dir: Path) -> None:
    """Record this process as the writer, clearing a lock file no live process holds."""
    pid_file = Path(index_dir) / "writer.pid"
    if _lock_held(index_dir):
        other = _read_pid(pid_file)
        who = f"process {other}" if other and _alive(other) else "another process"
        raise IndexBusy(f"the index is being updated by {who}")
    (whoosh_dir(index_dir) / f"{INDEX_NAME}_WRITELOCK").unlink(missing_ok=True)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    partial = pid_file.with_name(f"writer.pid.{os.getpid()}")  # whole or absent: a reader
    partial.write_text(str(os.getpid()), encoding="ascii")  # never sees an empty file
    os.replace(partial, pid_file)


def release_writer(index_dir: Path) -> None:
    pid_file = Path(index_dir) / "writer.pid"
    if _read_pid(pid_file) == os.getpid():
        pid_file.unlink(missing_ok=True)


def _lock_held(index_dir: Path) -> bool:
    """Whether some process holds Whoosh's write lock now (a pid may have been reused)."""
    from whoosh.filedb.filestore import FileStorage

    wdir = whoosh_dir(index_dir)
    if not wdir.exists():
        return False
    lock = FileStorage(str(wdir)).lock(f"{INDEX_NAME}_WRITELOCK")
    if lock.acquire(False):
        lock.release()
        return False
    return True


def _read_pid(path: Path) -> int:
    try:
        return int(path.read_text(encoding="ascii").strip() or 0)
    except (OSError, ValueError):
        return 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
