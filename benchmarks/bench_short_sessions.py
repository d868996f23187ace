"""Short sessions during a first index: does each one's work count?  And what a first
index costs.

    python benchmarks/bench_short_sessions.py --archive /work/shared/corpus/bulwark/content \
        --data /tmp/live2-sess [--seconds 4] [--sessions 12] [--checkout /work/main]

    python benchmarks/bench_short_sessions.py --archive ... --data ... --first-index

Sessions (the default): from a fresh data dir, the reader of `--checkout` (this one by
default) is opened in a private tmux server, `q` is pressed `--seconds` after the
launch, and the time from `q` to the shell prompt is taken (the pane prints a marker
when the process has ended); after each session the index's count (as of its last
commit) and what the cache's ledger still lists to index are printed, until the
index is complete or `--sessions` have run.  A user who opens the reader for a few
seconds at a time lost every session's uncommitted batch (up to 2,000 articles).

--first-index: `newsreader index` of the archive from a fresh data dir whose cache is
already scanned (`newsreader scan` first, not counted): its CPU time (user + system of
the process and its writer children, from wait4), articles per CPU second, the
segments at the end, and the CPU of a few searches in one process (median of 20).
All CPU figures: the machine is shared; `uptime` is printed first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_cli  # noqa: E402
from bench_ui import settings_for  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MARKER = "READER-ENDED"
POLL = 0.02
SEARCHES = ("nvidia", "美", "tech*", '"interest rates"', "market lang:en")


def fresh(data: Path) -> None:
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    (data / "none.toml").write_text("", encoding="utf-8")


def index_state(archive: Path, data: Path, code: Path) -> tuple[int, int, int, bool]:
    """(articles the index holds as of its last commit, articles the ledger lists to
    index, segments, whether the index is complete), read by `code`'s modules."""
    indexed, todo, segments, complete = map(int, in_child(code, "_state",
                                                          (archive, data)).split())
    return indexed, todo, segments, bool(complete)


def _state(archive: Path, data: Path) -> None:
    from reader.archive import Archive
    from reader.index import SearchIndex, index_dir_of
    from reader.index.store import open_index

    opened = Archive.open(archive, settings_for(data))
    index_dir = index_dir_of(opened)
    ix = open_index(index_dir)
    segments = len(ix._segments()) if ix is not None else 0
    status = SearchIndex.open(index_dir).status()
    print(status.indexed, len(opened.cache.to_index()), segments, int(status.complete))
    opened.close()


def session(tmux: list[str], archive: Path, data: Path, code: Path, seconds: float
            ) -> float | None:
    """One session of `seconds` from the launch; seconds from q to the process's end."""
    reader = (f"PYTHONPATH={code} {sys.executable} -m reader.cli.main --data-dir {data} "
              f"--config {data}/none.toml {archive}")
    launched = time.perf_counter()
    subprocess.run([*tmux, "new-session", "-d", "-s", "s", "-x", "120", "-y", "40",
                    f"cd {code} && env -u PYTHONDONTWRITEBYTECODE {reader}; echo {MARKER}; sleep 600"], check=True)
    try:
        time.sleep(max(0.0, seconds - (time.perf_counter() - launched)))
        subprocess.run([*tmux, "send-keys", "-t", "s", "q"], check=True)
        pressed = time.perf_counter()
        while time.perf_counter() - pressed < 60:
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", "s"],
                                    capture_output=True, text=True).stdout
            if MARKER in screen:
                return time.perf_counter() - pressed
            time.sleep(POLL)
        return None
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, stderr=subprocess.DEVNULL)


def sessions(args) -> None:
    if not args.reuse:
        fresh(args.data)
    tmux = ["tmux", "-L", f"bench-sess-{os.getpid()}", "-f", "/dev/null"]
    quits = []
    files = sum(1 for _ in args.archive.rglob("*.md"))  # each an article (the corpus's are)
    for number in range(1, args.sessions + 1):
        quit_seconds = session(tmux, args.archive, args.data, args.checkout, args.seconds)
        quits.append(quit_seconds if quit_seconds is not None else float("inf"))
        indexed, todo, segments, complete = index_state(args.archive, args.data, args.checkout)
        print(f"session {number:2d}: q to prompt {quit_seconds or float('inf'):.2f} s, "
              f"indexed {indexed:,}, ledger to index {todo:,}, segments {segments}",
              flush=True)
        if complete and todo == 0 and indexed == files and not args.reuse:
            break
    print(f"q to prompt: median {statistics.median(quits):.2f} s, max {max(quits):.2f} s; "
          f"{'complete' if indexed == files else 'not complete'} after {number} sessions "
          f"of {args.seconds} s")


def first_index(args) -> None:
    fresh(args.data)
    base = [sys.executable, "-m", "reader.cli.main", "--data-dir", str(args.data),
            "--config", str(args.data / "none.toml")]
    bench_cli.run_once([*base, "scan", str(args.archive)], args.checkout)
    wall, cpu, _ = bench_cli.run_once([*base, "index", str(args.archive), "-q"], args.checkout)
    indexed, todo, segments, _ = index_state(args.archive, args.data, args.checkout)
    print(f"first index: {indexed:,} articles ({todo:,} left), {cpu:.1f} s CPU, "
          f"{wall:.1f} s wall, {indexed / cpu:.0f} articles per CPU s, {segments} segments")
    print(in_child(code=args.checkout, call="_search_cost", args=(args.archive, args.data)))


def in_child(code: Path, call: str, args: tuple) -> str:
    """What `call(*args)` of this module prints, run by `code`'s modules in a child."""
    script = ("import sys; from pathlib import Path; sys.path.insert(0, 'benchmarks');"
              f"import bench_short_sessions as b; b.{call}(*map(Path, sys.argv[1:]))")
    out = subprocess.run([sys.executable, "-c", script, *map(str, args)],
                         capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=f"{code}:{ROOT}"))
    if out.returncode:
        raise SystemExit(out.stderr)
    return out.stdout.rstrip()


def _search_cost(archive: Path, data: Path) -> None:
    """Each query's CPU in this process, the index open and warm: the median of 20."""
    from reader.archive import Archive
    from reader.index import SearchIndex, index_dir_of

    opened = Archive.open(archive, settings_for(data))
    index = SearchIndex.open(index_dir_of(opened))
    for query in SEARCHES:
        index.search(query, limit=20)
        cpus = []
        for _ in range(20):
            started = time.process_time()
            index.search(query, limit=20)
            cpus.append(time.process_time() - started)
        print(f"search {query!r:20s} median {statistics.median(cpus) * 1000:.1f} ms CPU "
              "(in process, warm)")
    opened.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--sessions", type=int, default=12)
    parser.add_argument("--checkout", type=Path, default=ROOT, help="whose reader to run")
    parser.add_argument("--first-index", action="store_true")
    parser.add_argument("--reuse", action="store_true",
                        help="sessions on the data dir as it is (all --sessions of them)")
    args = parser.parse_args()
    print(f"# {bench_cli.uptime()}; {args.checkout}", flush=True)
    (first_index if args.first_index else sessions)(args)


if __name__ == "__main__":
    main()
