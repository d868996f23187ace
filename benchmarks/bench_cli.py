"""Whole-process times of the `newsreader` command line, beside issue 14's targets.

    python benchmarks/bench_cli.py --archive /tmp/grow100k --data /tmp/clifast-data [--runs 5]
        [--full] [--checkout /work/main]   (another checkout's code, to compare)

Each figure is a subprocess from its start to its exit (`python -m reader.cli.main`
of this checkout, the interpreter itself included; PYTHONDONTWRITEBYTECODE is dropped
from its environment, as a user's shell has it), run once to warm the page cache
and the .pyc files, then `--runs` times: the median wall time, the median CPU time
(user + system, from wait4: the machine is shared, CPU is what a quiet machine
shows), and the peak resident size of the worst run.  Rows:
- `python -c pass`: what starting the interpreter (with this environment's site
  packages) costs before any of newsreader runs;
- `search` for each query class, with the update check (nothing changed since the
  last scan: the cheap check of reader/archive/folder_stamps.py), and one with
  `--no-update`;
- `index` with nothing changed, and `index --full` (every file looked at);
- `rg` over the archive folder, for comparison (`rg -i -l WORD ARCHIVE`).
The data dir must hold a complete index of the archive (`newsreader --data-dir D
index ARCHIVE` once, or `cp -a` of one); nothing in the archive is written.
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

ROOT = Path(__file__).resolve().parents[1]
QUERIES = {  # class -> query
    "English word": "nvidia",
    "1 Chinese character": "美",
    "4 Chinese characters": "人工智能",
    "phrase": '"interest rates"',
    "prefix*": "tech*",
    "with a filter": "nvidia lang:en",
}
TARGET_SEARCH = "<= 150 ms"
TARGETS = {"search": TARGET_SEARCH, "index": "<= 300 ms", "rss": "<= 200 MB"}


def run_once(cmd: list[str], code: Path = ROOT) -> tuple[float, float, int]:
    """(wall s, CPU s, peak RSS in KB) of one run of `code`'s reader, output thrown away."""
    env = dict(os.environ, PYTHONPATH=str(code))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # else every run compiles every module anew
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env=env, cwd=code)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    errors = child.stderr.read().decode(errors="replace").strip() if child.stderr else ""
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({child.returncode}): {errors}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def measure(cmd: list[str], runs: int, code: Path) -> dict:
    run_once(cmd, code)  # warm: page cache, .pyc
    results = [run_once(cmd, code) for _ in range(runs)]
    return {"wall": statistics.median(r[0] for r in results),
            "cpu": statistics.median(r[1] for r in results),
            "rss": max(r[2] for r in results) / 1024}


def newsreader(args: argparse.Namespace, *command: str) -> list[str]:
    return [sys.executable, "-m", "reader.cli.main", "--data-dir", str(args.data), *command]


def rows(args: argparse.Namespace) -> list[tuple[str, list[str], str]]:
    archive = str(args.archive)
    out = [("python -c pass", [sys.executable, "-c", "pass"], "")]
    for name, query in QUERIES.items():
        out.append((f"search {query}  ({name})",
                    newsreader(args, "search", query, "--archive", archive), TARGET_SEARCH))
    out.append(("search nvidia --no-update",
                newsreader(args, "search", "nvidia", "--archive", archive, "--no-update"),
                TARGET_SEARCH))
    out.append(("index, nothing changed", newsreader(args, "index", archive, "-q"),
                TARGETS["index"]))
    if args.full:
        out.append(("index --full, nothing changed",
                    newsreader(args, "index", archive, "-q", "--full"), ""))
    rg = shutil.which("rg")
    if rg:
        out.append(("rg -i -l nvidia ARCHIVE", [rg, "-i", "-l", "nvidia", archive], ""))
        out.append(("rg -l 人工智能 ARCHIVE", [rg, "-l", "人工智能", archive], ""))
    return out


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--full", action="store_true", help="also time `index --full`")
    parser.add_argument("--checkout", type=Path, default=ROOT,
                        help="the checkout whose code runs (default: this one)")
    args = parser.parse_args()
    print(f"# {uptime()}; code of {args.checkout}")
    print(f"# medians of {args.runs} runs; CPU = user + system; RSS = the worst run's peak")
    print(f"{'command':44s} {'wall ms':>8s} {'CPU ms':>8s} {'peak MB':>8s}  target")
    for label, cmd, target in rows(args):
        m = measure(cmd, args.runs, args.checkout)
        rss_target = TARGETS["rss"] if label.startswith("search") else ""
        print(f"{label:44s} {m['wall'] * 1000:8.0f} {m['cpu'] * 1000:8.0f} {m['rss']:8.0f}"
              f"  {target}{'; ' + rss_target if rss_target else ''}", flush=True)
    print(f"# {uptime()}")


if __name__ == "__main__":
    main()
