"""Archive scan and metadata-cache timings.

    python benchmarks/bench_scan.py                      # the 10k corpus in ../shared
    python benchmarks/bench_scan.py --grow 100000        # 100k grown with grow_corpus.py
    python benchmarks/bench_scan.py --archive DIR

Prints: the first scan (every file parsed, cache written), the newest page and
then every record loaded from the cache (what the reader does at start, in that
order), a second scan of the unchanged archive (no file parsed), peak memory.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"

from reader.archive import Archive  # noqa: E402
from reader.config import load_settings  # noqa: E402


def grown(n: int, name: str = "newsreader-grown") -> Path:
    """An archive of `n` articles grown by grow_corpus.py into /tmp/NAME-N (kept)."""
    out = Path(tempfile.gettempdir()) / f"{name}-{n}"
    if not out.exists():
        print(f"growing {n} articles into {out} ...", flush=True)
        subprocess.run([sys.executable, str(SHARED / "tools" / "grow_corpus.py"), str(n), str(out)],
                       check=True)
    return out


def timed(label: str, fn, *args):
    started = time.perf_counter()
    value = fn(*args)
    print(f"{label:<34} {time.perf_counter() - started:8.3f} s", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--archive", type=Path, default=SHARED / "corpus" / "bulwark" / "content")
    parser.add_argument("--grow", type=int, help="grow an archive of N articles and use it")
    args = parser.parse_args()
    root = grown(args.grow) if args.grow else args.archive
    with tempfile.TemporaryDirectory() as data:
        settings = load_settings(data_dir=data, env={})
        archive = Archive.open(root, settings)
        first = timed("first scan (parse all, write cache)", archive.scan)
        print(f"  {len(first.articles)} articles, {first.parsed_count} parsed, "
              f"{len(first.problems)} problems, {len(first.articles) / first.seconds:.0f} files/s")
        archive.close()
        archive = Archive.open(root, settings)
        timed("newest page (300 records: start-up)", archive.cached_newest, 300)
        articles = timed("warm load of every record", archive.cached)
        second = timed("second scan (unchanged)", archive.scan)
        print(f"  {len(articles)} records, {second.parsed_count} files parsed")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
