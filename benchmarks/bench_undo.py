#!/usr/bin/env python3
"""The undo log and the first sightings at scale, on the state store alone.

usage: python benchmarks/bench_undo.py [--n 100000] [--seen 1000000]

Prints the time to mark N articles read as one undo step, to undo it, to redo it, to
undo it again after a restart, and for first sightings: recording `--seen` paths, one
new batch of 1,000 among them, reading them all back, the new ones, a range.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reader.state import StateStore  # noqa: E402


def timed(label: str, func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"  {label:<56} {time.perf_counter() - start:8.3f} s", flush=True)
    return result


def undo_at_scale(folder: Path, n: int) -> None:
    paths = [f"content/en/news/wire/{i:07d}.en.md" for i in range(n)]
    path = folder / "state.sqlite3"
    with StateStore.open(path) as store:
        store.mark_read(paths[: n // 10], undoable=True)  # some read before
        changed = timed(f"mark {n:,} read (one undo step)", store.mark_read, paths,
                        undoable=True)
        undone = timed("undo it", store.undo)
        assert undone.restored == changed and len(store.read_set()) == n // 10
        timed("redo it", store.redo)
    with StateStore.open(path) as store:
        undone = timed("undo it again, after a restart", store.undo)
        assert undone.restored == changed
        timed("a single mark, logged as a step", store.mark_read, [paths[0]], undoable=True)
        timed("undo the single mark", store.undo)


def sightings_at_scale(folder: Path, n: int) -> None:
    paths = [f"content/zh-CN/news/wire/{i:07d}.zh-CN.md" for i in range(n)]
    path = folder / "seen.sqlite3"
    with StateStore.open(path) as store:
        store.visits.begin()
        store.visits.save_start()
        timed(f"see {n:,} paths (first visit: the baseline)", store.visits.see, paths,
              baseline=True)
    with StateStore.open(path) as store:
        store.visits.begin()
        store.visits.save_start()
        burst = [f"content/en/news/new/{i:05d}.en.md" for i in range(1000)]
        timed(f"see {n:,} known paths again (a cache load)", store.visits.see, paths)
        timed("see a burst of 1,000 new paths", store.visits.see, burst)
        timed(f"first_seen() of all {n + 1000:,}", store.visits.first_seen)
        timed("first_seen(1,000 paths)", store.visits.first_seen, paths[:1000])
        new = timed("new_paths()", store.visits.new_paths)
        assert new == set(burst)
        start = store.visits.started
        timed("seen_between(a day)", store.visits.seen_between, start - timedelta(days=1),
              start + timedelta(days=1))
    print(f"  state file with {n:,} first sightings: {path.stat().st_size / 1e6:.0f} MB "
          f"(+ wal {path.with_name(path.name + '-wal').stat().st_size / 1e6 if path.with_name(path.name + '-wal').exists() else 0:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seen", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nr-undo-bench-") as folder:
        undo_at_scale(Path(folder), args.n)
        sightings_at_scale(Path(folder), args.seen)


if __name__ == "__main__":
    main()
