"""The merge of an idle index, as the reader and `newsreader watch` run it.

    python benchmarks/bench_idle_merge.py --archive /tmp/grow100k --data D
        [--cancel-after 5]

Runs `reader.index.updater.merge_index` on the data dir's index of the archive (the
writer's child, at nice 19) and prints the segments
before and after, each step as it begins, the wall time and the child's CPU time (user
+ system, from RUSAGE_CHILDREN).  `--cancel-after S`: the merge is cancelled S seconds
into its first step, as a burst of new files cancels it, and the time from the cancel
to merge_index's return is printed (the reader indexes the burst once it returns);
run again without it, the merge goes on from the steps committed.  The data dir is
written: use a copy (`cp -a`).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def segment_sizes(archive) -> list[int]:
    from reader.index import index_dir_of
    from reader.index.store import open_index

    return sorted(s.doc_count() for s in open_index(index_dir_of(archive))._segments())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--cancel-after", type=float, default=None)
    args = parser.parse_args()

    from reader.archive import Archive
    from reader.config import load_settings
    from reader.index import merge_index

    archive = Archive.open(args.archive, load_settings(data_dir=args.data, env={}))
    print(f"# {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    before = segment_sizes(archive)
    print(f"segments before: {len(before)} ({sum(before):,} articles)", flush=True)
    cancel, started, cancelled_at = threading.Event(), time.perf_counter(), []

    def cancelling() -> None:
        cancelled_at.append(time.perf_counter())
        cancel.set()

    def progress(_phase: str, step: int, steps: int) -> None:
        print(f"  {time.perf_counter() - started:7.1f} s  step {step}/{steps} begins, "
              f"child CPU so far {children_cpu():.1f} s", flush=True)
        if args.cancel_after is not None and step == 1:
            threading.Timer(args.cancel_after, cancelling).start()

    summary = merge_index(archive, progress, cancel)
    ended = time.perf_counter()
    after = segment_sizes(archive)
    print(f"segments after: {len(after)} {after}")
    print(f"wall {ended - started:.1f} s, child CPU {children_cpu():.1f} s, "
          f"{summary.merged} segments merged, cancelled: {summary.cancelled}")
    if cancelled_at:
        print(f"cancel -> return: {ended - cancelled_at[0]:.2f} s")
    print(f"# {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()
