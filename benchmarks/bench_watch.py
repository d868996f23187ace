"""Watching an archive: bursts of new files, from the last file written to the cache
holding them (ArchiveWatcher batches, each taken by Archive.scan_paths).

    python benchmarks/bench_watch.py                       # 20k grown with grow_corpus.py
    python benchmarks/bench_watch.py --grow 100000 --bursts 5 --files 1000
    python benchmarks/bench_watch.py --archive DIR         # files are added under DIR/bench-bursts/

Prints, per burst and then p50/p95: seconds from the last file written to the
scan_paths result that completes the burst, the batches it came in, the files parsed
(must equal the files written) and the full walks (must be 0: no batch asked for a
full scan, no scan walked the archive).  The bursts' files are removed at the end.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import reader.archive.scan as scan_module  # noqa: E402
import reader.archive.scan_paths as scan_paths_module  # noqa: E402
from reader.archive import Archive  # noqa: E402
from reader.archive.watch import ArchiveWatcher  # noqa: E402
from reader.config import load_settings  # noqa: E402
from bench_scan import grown  # noqa: E402


class Walks:
    """Counts the full walks (Archive.scan) and the folder walks (scan_paths)."""

    def __init__(self):
        self.full = self.folders = 0
        full, part = scan_module.walk, scan_paths_module.walk

        def counted_full(*args, **kwargs):
            self.full += 1
            return full(*args, **kwargs)

        def counted_part(*args, **kwargs):
            self.folders += 1
            return part(*args, **kwargs)

        scan_module.walk, scan_paths_module.walk = counted_full, counted_part


def burst(archive: Archive, batches, sources: list[bytes], number: int, walks: Walks) -> dict:
    folder = archive.root / "bench-bursts" / f"b{number}"
    written = {}

    def write():
        folder.mkdir(parents=True)
        for i, data in enumerate(sources):
            (folder / f"{i}.md").write_bytes(data)
        written["last"] = time.perf_counter()

    walks_before = walks.full
    writer = threading.Thread(target=write)
    writer.start()
    added = count = parsed = full_scans = 0
    while added < len(sources):
        batch = next(batches)
        arrived = time.perf_counter()
        count += 1
        if batch.paths is None:
            full_scans += 1
            result = archive.scan()
        else:
            result = archive.scan_paths(batch.paths)
        added += len(result.delta.added)
        parsed += result.parsed_count
    done = time.perf_counter()
    writer.join()
    return {"seconds": done - written["last"], "batch": arrived - written["last"],
            "scan": done - arrived, "batches": count, "parsed": parsed,
            "full": full_scans + walks.full - walks_before}


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--archive", type=Path, help="archive folder (default: grown)")
    parser.add_argument("--grow", type=int, default=20000, help="articles to grow (20000)")
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--files", type=int, default=1000, help="files per burst")
    args = parser.parse_args()
    root = args.archive or grown(args.grow, "newsreader-watch-bench")  # its own: written to
    data = Path(tempfile.mkdtemp(prefix="bench-watch-data-"))
    archive = Archive.open(root, load_settings(data_dir=data))
    shutil.rmtree(archive.root / "bench-bursts", ignore_errors=True)
    files = sorted(archive.root.rglob("*.md"))
    sources = [p.read_bytes() for p in random.Random(1).sample(files, args.files)]
    walks = Walks()
    stop = threading.Event()
    batches = ArchiveWatcher(archive).batches(stop, full_scan_first=True)
    started = time.perf_counter()
    assert next(batches).paths is None  # watching: the first batch is the full scan
    first = archive.scan()
    print(f"{len(files):,} files; first full scan {time.perf_counter() - started:.1f} s "
          f"({first.parsed_count:,} parsed)", flush=True)
    walks.full = walks.folders = 0
    runs = []
    try:
        for number in range(args.bursts):
            runs.append(burst(archive, batches, sources, number, walks))
            r = runs[-1]
            print(f"burst {number + 1}: {args.files:,} files in {r['batches']} batches, "
                  f"{r['parsed']:,} parsed, {r['full']} full walks; last file written -> "
                  f"in the cache {r['seconds']:.2f} s (its batch came after {r['batch']:.2f} s, "
                  f"scan_paths {r['scan']:.2f} s)", flush=True)
    finally:
        stop.set()
        batches.close()
        shutil.rmtree(archive.root / "bench-bursts", ignore_errors=True)
        archive.close()
        shutil.rmtree(data, ignore_errors=True)
    for key, label in (("seconds", "last file written -> scan_paths result"),
                       ("batch", "last file written -> its batch"), ("scan", "scan_paths")):
        values = [r[key] for r in runs]
        print(f"{label}: p50 {quantile(values, 0.5):.2f} s, p95 {quantile(values, 0.95):.2f} s "
              f"over {len(runs)} bursts of {args.files:,}")
    print(f"batches per burst: {[r['batches'] for r in runs]}; files parsed per burst: "
          f"{[r['parsed'] for r in runs]} (written: {args.files:,}); full walks: "
          f"{sum(r['full'] for r in runs)}; folder walks: {walks.folders}")


if __name__ == "__main__":
    main()
