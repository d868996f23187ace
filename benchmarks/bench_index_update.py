"""What an index update costs on a big archive whose index is complete.

    python benchmarks/bench_index_update.py ROOT --data-dir DIR

ROOT and DIR are changed (new files are added under ROOT/content/en/news/benchnew/):
run it on copies.  Steps, each an `update_index` as `newsreader index` runs it (scan,
then index): nothing changed; 10 new files; 1,000 new files.  For each it prints the
seconds, the rows read back from the metadata cache, and the bytes of index manifest
written.  Then `newsreader index` with nothing changed, timed as a whole process.

The writer runs in a thread here (the same code as the child process, without the
spawn: about 0.3 s less) so that the cache's rows and the manifest's bytes are counted
in this process.  With `--delta`, the 10 and 1,000 files are given as a Delta with their parsed
articles (as the watcher does) instead of a full scan.
"""

from __future__ import annotations

import argparse
import queue
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import reader.archive.cache as cache_module  # noqa: E402
import reader.index.store as store  # noqa: E402
import reader.index.updater as updater  # noqa: E402
import reader.index.writer as writer  # noqa: E402
from reader.archive import Archive  # noqa: E402
from reader.config import load_settings  # noqa: E402

COUNTS = {"rows": 0, "manifest_bytes": 0}


class _CountingCursor:
    def __init__(self, cursor):
        self._cursor = cursor

    def fetchall(self):
        rows = self._cursor.fetchall()
        COUNTS["rows"] += len(rows)
        return rows

    def fetchmany(self, size):
        rows = self._cursor.fetchmany(size)
        COUNTS["rows"] += len(rows)
        return rows

    def fetchone(self):
        row = self._cursor.fetchone()
        COUNTS["rows"] += row is not None
        return row

    def __iter__(self):
        for row in self._cursor:
            COUNTS["rows"] += 1
            yield row

    def __getattr__(self, name):
        return getattr(self._cursor, name)


class _CountingConnection:
    """A sqlite3 connection that counts the rows read through it."""

    def __init__(self, db):
        self._db = db

    def execute(self, *args):
        return _CountingCursor(self._db.execute(*args))

    def __enter__(self):
        return self._db.__enter__()

    def __exit__(self, *exc):
        return self._db.__exit__(*exc)

    def __getattr__(self, name):
        return getattr(self._db, name)


class _CountingSqlite:
    def __getattr__(self, name):
        return getattr(sqlite3, name)

    @staticmethod
    def connect(*args, **kwargs):
        return _CountingConnection(sqlite3.connect(*args, **kwargs))


def _count_manifest_writes() -> None:
    real_save = store.save_manifest

    def save(index_dir, manifest):
        real_save(index_dir, manifest)
        COUNTS["manifest_bytes"] += store.manifest_path(index_dir).stat().st_size

    store.save_manifest = writer.save_manifest = save


def _writer_in_a_thread(job, progress, cancel) -> dict:
    messages, stop = queue.Queue(), threading.Event()
    child = threading.Thread(target=writer.write_index, args=(job, messages, stop), daemon=True)
    child.start()
    child.exitcode = 0
    return updater._relay(child, messages, stop, progress, cancel, len(job.adds))


def add_files(root: Path, count: int) -> list[str]:
    """`count` copies of existing articles under new names; their paths."""
    sources = sorted((root / "content" / "en" / "news").glob("*/*.md"))[:count]
    out_dir = root / "content" / "en" / "news" / "benchnew"
    out_dir.mkdir(parents=True, exist_ok=True)
    start = len(list(out_dir.iterdir()))  # names no earlier run used
    paths = []
    for i, source in enumerate(sources, start):
        target = out_dir / f"bench-{i:07d}.en.md"
        shutil.copyfile(source, target)
        paths.append(target.relative_to(root).as_posix())
    return paths


def step(label: str, archive: Archive, delta_paths: list[str] | None = None) -> None:
    COUNTS.update(rows=0, manifest_bytes=0)
    started = time.perf_counter()
    if delta_paths is None:
        summary = updater.update_index(archive)
    else:
        delta, parsed = scan_of(archive, delta_paths)
        summary = updater.update_index(archive, delta=delta, parsed=parsed)
    seconds = time.perf_counter() - started
    print(f"{label:<18} {seconds:6.2f} s  {COUNTS['rows']:>7} rows read  "
          f"{COUNTS['manifest_bytes']:>9} manifest bytes  ({summary.line()})", flush=True)


def scan_of(archive: Archive, paths: list[str]):
    """A scan of only `paths`: its delta and parsed articles (Archive.scan_paths where the
    archive has it; else the same by hand: parse, store in the cache)."""
    if hasattr(archive, "scan_paths"):
        result = archive.scan_paths(paths)
        return result.delta, result.parsed
    import os

    from reader.archive import Delta
    from reader.archive.parse import parse_file

    parsed = {p: parse_file(archive.root, p, archive.tz) for p in paths}
    archive.cache.store([(a.article, p, os.stat(archive.root / p).st_mtime_ns)
                         for p, a in parsed.items()], [])
    return Delta(added=tuple(a.article for a in parsed.values())), parsed


def whole_process(root: Path, data_dir: Path) -> None:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "reader.cli.main", "index", str(root), "--data-dir",
                    str(data_dir), "-q"], check=True, cwd=REPO, stdout=subprocess.DEVNULL)
    print(f"{'CLI, unchanged':<18} {time.perf_counter() - started:6.2f} s  "
          "(python3 -m reader.cli.main index, whole process)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--delta", action="store_true",
                        help="give the new files as a Delta (needs Archive.scan_paths)")
    args = parser.parse_args()
    cache_module.sqlite3 = _CountingSqlite()
    _count_manifest_writes()
    updater.run_job = _writer_in_a_thread
    settings = load_settings(env={"NEWSREADER_DATA_DIR": str(args.data_dir)})
    archive = Archive.open(args.root, settings)
    step("unchanged", archive)  # the first run after the ledger: takes the manifest's stamps
    step("unchanged again", archive)
    for count in (10, 1000):
        added = add_files(archive.root, count)
        step(f"+{count} files", archive, added if args.delta else None)
    archive.close()
    whole_process(archive.root, args.data_dir)


if __name__ == "__main__":
    main()
