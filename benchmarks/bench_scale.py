"""Every figure of issue 14 (a million articles on 2 cores) beside its target, for one
archive and a data dir holding its cache and complete index.

    python benchmarks/bench_scale.py --archive /tmp/grow100k --data /tmp/cli150-d100k \
        [--runs 3] [--size 100k|1M] [--corpus /work/shared/corpus/bulwark/content]

Grow the archives with `python /work/shared/tools/grow_corpus.py 1000000 /tmp/grow1m`
and index them once (`newsreader --data-dir D index ARCHIVE`); nothing here writes to
the archive or to --data.  Medians of `--runs` runs; wall times on a shared machine are
loud, so CPU time is printed where it is what a quiet machine would show, and the load
average before and after.  Figures:
- the reader (headless Textual, 120x40, a fresh process each run, as bench_ui's warm
  start): process start -> first rows drawn, -> the whole list and tree loaded
  (`screen.loaded`), the event-loop lag p95 meanwhile (a 20 ms heartbeat); then
  美, 人工智能 and tech* typed (bench_ui.Typist): each key -> the first page drawn (p95
  over the keys), and once more the last key -> the complete list drawn; the reader's
  own memory (RssAnon and USS, after gc.collect) after the load and after the last
  search is cleared;
- the command line (bench_cli.measure: whole processes, the update check included):
  `search` of each query class, its CPU and peak memory, and `index` with nothing changed;
- the index on disk in bytes per article and its segments (each costs a search its own
  lookups: `newsreader index --merge` merges them), and with --corpus a first index of real text
  into a new data dir: articles per second (wall and CPU).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_cli  # noqa: E402

TYPED = ("美", "人工智能", "tech*")
TARGETS = {  # figure -> (100k, 1M)
    "first rows": ("<= 0.5 s", "<= 0.5 s"),
    "tree and counts complete": ("", "<= 2 s"),
    "loop lag p95 during the load": ("<= 16 ms", "<= 16 ms"),
    "first page p95": ("<= 50 ms", "<= 50 ms"),
    "complete list": ("<= 100 ms", "<= 300 ms"),
    "memory": ("", "<= 1 GB"),
    "search": ("<= 150 ms", "<= 250 ms"),
    "search peak": ("<= 200 MB", "<= 200 MB"),
    "index": ("<= 0.3 s", "<= 1 s"),
    "first index": (">= 800 articles/s", ">= 800 articles/s"),
    "bytes": ("smaller than 12.2 KB", "smaller than 12.2 KB"),
}


def reader_run_here(root: str, data: str) -> None:
    """One fresh reader (the child of `reader_runs`): its figures as JSON."""
    import bench_soak
    import bench_ui

    settings, result = bench_ui.settings_for(Path(data)), {}

    async def scenario(app, pilot):
        screen = app.screen
        await bench_ui.wait_until(pilot, lambda: max(clock.painted, default=0) > 0)
        result["lags"] = await bench_ui.heartbeat(lambda: not screen.loaded.is_set(), 120.0)
        await bench_ui.wait_until(pilot, screen.loaded.is_set)
        result["all"] = time.time()
        await bench_ui.wait_until(pilot, lambda: not any(
            w.group == "load" and w.is_running for w in app.workers))
        gc.collect()
        result["loaded_mb"] = bench_soak.memory_mb()
        typist = bench_ui.Typist(pilot, screen, clock)
        for query in TYPED:
            result[query] = {"first": await typist.type(query),
                             "complete": (await typist.type(query, complete=True))[-1]}
        await typist.clear()
        await bench_ui.wait_until(pilot, lambda: screen.list_complete)
        gc.collect()
        result["cleared_mb"] = bench_soak.memory_mb()
        screen.stop_background()

    with bench_ui.PaintClock() as clock:
        asyncio.run(bench_ui.launch(Path(root), settings, scenario))
    first = min(t for generation, t in clock.painted.items() if generation > 0)
    result["first"] = time.time() - (time.perf_counter() - first)
    print(json.dumps(result))


def reader_runs(archive: Path, data: Path, runs: int) -> list[dict]:
    code = (f"import sys; sys.path.insert(0, {str(HERE)!r}); import bench_scale; "
            f"bench_scale.reader_run_here({str(archive)!r}, {str(data)!r})")
    out = []
    for _ in range(runs):
        started = time.time()
        text = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True).stdout
        result = json.loads(text.strip().splitlines()[-1])
        result["first"] -= started
        result["all"] -= started
        out.append(result)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def med(values) -> float:
    return statistics.median(values)


def reader_rows(results: list[dict]) -> list[tuple[str, str, str]]:
    rows = [("first rows after a warm start", f"{med(r['first'] for r in results):.2f} s",
             "first rows"),
            ("tree and counts complete", f"{med(r['all'] for r in results):.2f} s",
             "tree and counts complete"),
            ("loop lag p95 during the load",
             f"{med(p95(r['lags']) for r in results if r['lags']) * 1000:.0f} ms",
             "loop lag p95 during the load")]
    for query in TYPED:
        rows.append((f"typing {query}: first page p95",
                     f"{med(p95(r[query]['first']) for r in results) * 1000:.0f} ms",
                     "first page p95"))
        rows.append((f"typing {query}: complete list",
                     f"{med(r[query]['complete'] for r in results) * 1000:.0f} ms",
                     "complete list"))
    for key, label in (("loaded_mb", "after the load"), ("cleared_mb", "after a search cleared")):
        anon, uss = med(r[key][0] for r in results), med(r[key][1] for r in results)
        rows.append((f"reader memory {label} (RssAnon / USS)", f"{anon:.0f} / {uss:.0f} MB",
                     "memory"))
    return rows


def cli_rows(archive: Path, data: Path, runs: int) -> list[tuple[str, str, str]]:
    args = argparse.Namespace(archive=archive, data=data)
    rows = []
    for name, query in bench_cli.QUERIES.items():
        m = bench_cli.measure(bench_cli.newsreader(args, "search", query, "--archive",
                                                   str(archive)), runs, bench_cli.ROOT)
        rows.append((f"CLI search {query} ({name})",
                     f"{m['wall'] * 1000:.0f} ms wall, {m['cpu'] * 1000:.0f} ms CPU", "search"))
        rows.append((f"  its peak memory", f"{m['rss']:.0f} MB", "search peak"))
    try:
        m = bench_cli.measure(bench_cli.newsreader(args, "index", str(archive), "-q"), runs,
                              bench_cli.ROOT)
        measured = f"{m['wall']:.2f} s wall, {m['cpu']:.2f} s CPU"
    except SystemExit as exc:  # a first index still running: it says so
        measured = str(exc).rsplit(": ", 1)[-1]
    rows.append(("index, nothing changed", measured, "index"))
    base = bench_cli.measure([sys.executable, "-c", "pass"], runs, bench_cli.ROOT)
    rows.append(("  (python -c pass, for scale)",
                 f"{base['wall'] * 1000:.0f} ms wall, {base['cpu'] * 1000:.0f} ms CPU", ""))
    return rows


def index_bytes(archive: Path, data: Path) -> tuple[str, str, str]:
    from reader.archive import Archive
    from reader.index import SearchIndex, index_dir_of
    from reader.index.store import open_index

    import bench_ui

    index_dir = index_dir_of(Archive.open(archive, bench_ui.settings_for(data)))
    size = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())
    count = SearchIndex.open(index_dir).status().indexed
    segments = len(open_index(index_dir)._segments())
    return (f"index on disk ({count:,} articles, {segments} segments)",
            f"{size / max(count, 1) / 1024:.1f} KB an article", "bytes")


def first_index(corpus: Path) -> tuple[str, str, str]:
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as data:
        started = time.perf_counter()
        cmd = [sys.executable, "-m", "reader.cli.main", "--data-dir", data, "index",
               str(corpus), "-q"]
        _, cpu, _ = bench_cli.run_once(cmd)
        wall = time.perf_counter() - started
        line = subprocess.run(cmd[:-2] + ["search", "the", "--archive", str(corpus),
                                          "--no-update", "--limit", "1"],
                              capture_output=True, text=True).stdout.splitlines()[-1:]
    count = sum(1 for _ in corpus.rglob("*.md"))
    return (f"first index of {corpus.name} ({count:,} files)",
            f"{count / wall:.0f} articles/s wall, {count / cpu:.0f} per CPU s "
            f"({line[0] if line else ''})", "first index")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", choices=("100k", "1M"), default="100k",
                        help="whose targets to print")
    parser.add_argument("--corpus", type=Path, help="real articles for a first index")
    parser.add_argument("--skip-reader", action="store_true")
    args = parser.parse_args()
    column = 0 if args.size == "100k" else 1
    print(f"# {bench_cli.uptime()}; {args.archive}; medians of {args.runs} runs", flush=True)
    print(f"{'figure':48s} {'measured':44s} target ({args.size})")

    def show(rows) -> None:
        for label, value, target in rows:
            print(f"{label:48s} {value:44s} {TARGETS[target][column] if target else ''}",
                  flush=True)

    if not args.skip_reader:
        show(reader_rows(reader_runs(args.archive, args.data, args.runs)))
    show(cli_rows(args.archive, args.data, args.runs))
    show([index_bytes(args.archive, args.data)])
    if args.corpus:
        show([first_index(args.corpus)])
    print(f"# {bench_cli.uptime()}")


if __name__ == "__main__":
    main()
