"""Benchmark of "the archive at a glance": the figures, the screen's open, `newsreader stats`.

    python benchmarks/bench_glance.py --archive /tmp/grow100k --data /tmp/glance-data [--million]

Prints, with `uptime` (the machine is shared):
- the figures' time (tally + figures) per scope at 100k: All, the biggest source, a tag,
  a search's hits (a fifth of the archive), and "dense": the same articles squeezed
  into the last 30 days (the window is then the whole archive); a delta of 1,000
  arrivals and 5,000 marks applied to a tally;
- with --million, the same at 1,000,000 (the archive ten times over);
- the screen's open: `i` pressed to the figures drawn (the update turned into the
  terminal's bytes), in the reader at 100x30 (All, and over a search), wall and CPU,
  the first open and the later ones, and the count's own time in its worker;
- the whole-process wall and CPU time of `newsreader stats` (scan first; --no-update;
  --until newest; a query; --json).
The first run scans and indexes the archive under --data (minutes); reuse it.
Grow the archive with: python /work/shared/tools/grow_corpus.py 100000 /tmp/grow100k
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.archive import Archive  # noqa: E402
from reader.archive.model import Delta  # noqa: E402
from reader.config import Settings  # noqa: E402
from reader.session.catalog import Catalog, CatalogChange  # noqa: E402
from reader.session.glance import count_totals, tally  # noqa: E402
from reader.session.glance_figures import figures  # noqa: E402
from reader.session.glance_window import Window  # noqa: E402
from reader.session.listing import newest_first  # noqa: E402
from reader.state.model import READ  # noqa: E402

UNTIL = (2025, 2, 14, 18, 0)  # the grown archive's newest day


def uptime() -> str:
    """The load, and how long a fixed loop of Python takes now (about 15 ms on an idle
    core of this machine): the figures scale with it."""
    started = time.perf_counter()
    sum(range(1_000_000))
    loop = (time.perf_counter() - started) * 1000
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    return f"{load}; sum(range(1e6)) {loop:.0f} ms"


def ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:7.1f} ms, max {max(seconds) * 1000:7.1f} ms"


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def bare_catalog(articles) -> Catalog:
    ordered = tuple(newest_first(articles))
    return Catalog(ordered, {a.path: a for a in ordered})


def figures_bench(label: str, catalog: Catalog, settings: Settings, runs: int,
                  reads: int) -> None:
    tz = settings.tzinfo
    now = datetime(*UNTIL, tzinfo=tz)
    window = Window.ending(now, 30, tz)
    rng = random.Random(1)
    paths = list(catalog.by_path)
    read = set(rng.sample(paths, len(paths) * 3 // 10))
    starred = set(rng.sample(paths, len(paths) // 100))
    start_us = int(window.starts[0] * 1e6)
    read_at = {p: start_us + rng.randrange(30 * 86400 * 10**6) for p in list(read)[:reads]}
    newest = catalog.articles[0]
    hits = frozenset(rng.sample(paths, len(paths) // 5))
    tag = next(a.tags[0] for a in catalog.articles if a.tags)
    scopes = {"All": None, f"source {newest.source}": lambda a: a.source == newest.source,
              f"tag {tag}": lambda a: tag in a.tags, "search hits (1/5)": lambda a: a.path in hits}
    print(f"\n{label}: {len(catalog):,} articles, {len(read_at):,} read in the window, "
          f"window {window.days} days to {window.today}   ({uptime()})")
    for name, member in scopes.items():
        totals = count_totals(catalog.articles, read, starred, member)  # the counts' (free)
        seconds = timed(lambda: figures(tally(catalog, window, read, starred, member, totals,
                                              read_at)), runs)
        size = sum(tally(catalog, window, read, starred, member, totals).arrived)
        print(f"  figures, {name:<24} {ms(seconds)}  ({size:,} articles in the window)")
    live_bench(catalog, window, read, starred, read_at, runs)


def live_bench(catalog, window, read, starred, read_at, runs) -> None:
    counted = tally(catalog, window, read, starred, None, count_totals(
        catalog.articles, read, starred), read_at)
    newest = catalog.articles[:1000]
    added = tuple(replace(a, path=f"{a.path}.new") for a in newest)
    delta = Delta(added)
    change = CatalogChange(catalog.apply(delta), delta, ())
    seconds = timed(lambda: counted.changed(change, read, starred), 1)
    print(f"  a delta of 1,000 arrivals applied to the tally: {seconds[0] * 1000:.1f} ms")
    marked = catalog.articles[:5000]
    started = time.perf_counter()
    for article in marked:
        counted.marked(READ, article, article.path not in read, time.time())
    print(f"  5,000 marks applied to the tally: {(time.perf_counter() - started) * 1000:.1f} ms")


def dense(catalog: Catalog) -> Catalog:
    """The same articles, their dates squeezed into the last 30 days."""
    end = catalog.articles[0].date
    span = (end - catalog.articles[-1].date).total_seconds()
    return bare_catalog(replace(a, date=end - timedelta(
        seconds=(end - a.date).total_seconds() * 30 * 86400 / span)) for a in catalog.articles)


def million(catalog: Catalog) -> Catalog:
    return bare_catalog(replace(a, path=f"{i}/{a.path}") for i in range(10)
                        for a in catalog.articles)


class Drawn:
    """When the glance screen was first sent to the terminal with its figures (the
    compositor's update, turned into the terminal's bytes as a real terminal's would
    be: the headless driver writes nothing)."""

    def __init__(self, app) -> None:
        self.at: list[float] = []
        display = app._display

        def timed(screen, renderable):
            from reader.ui.screens.glance import GlanceScreen

            if isinstance(screen, GlanceScreen) and screen.shown is not None and renderable:
                renderable.render_segments(app.console)
                self.at.append(time.perf_counter())
            return display(screen, renderable)

        app._display = timed


async def screen_bench(root: Path, settings: Settings, runs: int) -> None:
    """`i` pressed (the pilot's key) to the glance drawn, wall and CPU of this process,
    for the first open and the later ones (All, and over a search)."""
    from benchmarks.bench_ui import wait_until as until
    from reader.ui.app import NewsReaderApp
    from reader.ui.screens.glance import GlanceScreen

    GlanceScreen.clock = staticmethod(lambda tz: datetime(*UNTIL, tzinfo=tz))
    app = NewsReaderApp(Archive.open(root, settings), settings)
    drawn = Drawn(app)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.screen
        await until(pilot, lambda: main.loaded.is_set() and not main.scanning and not any(
            w.is_running for w in app.workers if w.group != "watch"))
        for label, search in (("All", ""), ("search 英伟达", "英伟达")):
            if search:
                await pilot.press("slash", *search, "enter")
                await until(pilot, lambda: main.list_complete and main.list_is_current())
            walls, cpus, counted = [], [], []
            for _ in range(runs + 1):
                drawn.at.clear()
                cpu, started = time.process_time(), time.perf_counter()
                await pilot.press("i")
                await until(pilot, lambda: drawn.at)
                walls.append(drawn.at[0] - started)
                cpus.append(time.process_time() - cpu)
                counted.append(app.screen.counted_in)
                await pilot.press("escape")
                await until(pilot, lambda: app.screen is main)
                for _ in range(3):  # the main screen drawn again, its footer recomposed
                    await asyncio.sleep(0.1)
                    await pilot.pause()
            print(f"  screen open, {label:<14} first: {walls[0] * 1000:6.1f} ms wall, "
                  f"{cpus[0] * 1000:6.1f} ms CPU (counted in {counted[0] * 1000:.1f} ms); "
                  f"later opens: wall {ms(walls[1:])}, CPU {ms(cpus[1:])}")


def cli_bench(root: Path, data: Path) -> None:
    """Whole-process wall and CPU (user + system, of the child) of `newsreader stats`."""
    repo = Path(__file__).resolve().parents[1]
    for label, words in (("scan first", []), ("--no-update", ["--no-update"]),
                         ("--until newest --no-update", ["--until", "newest", "--no-update"]),
                         ("query 英伟达 --no-update", ["英伟达", "--no-update"]),
                         ("--json --no-update", ["--json", "--no-update"])):
        argv = [sys.executable, "-m", "reader.cli.main", "--data-dir", str(data), "stats",
                str(root), *words]
        walls, cpus = [], []
        for _ in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(argv, cwd=repo, check=True, capture_output=True)
            walls.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        print(f"  newsreader stats, {label:<28} whole process: wall median "
              f"{statistics.median(walls):.2f} s, CPU median {statistics.median(cpus):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=Path("/tmp/grow100k"))
    parser.add_argument("--data", type=Path, default=Path("/tmp/glance-data"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--million", action="store_true")
    parser.add_argument("--reads", type=int, default=20000,
                        help="articles read in the window (from the state store)")
    parser.add_argument("--no-screen", action="store_true")
    parser.add_argument("--no-cli", action="store_true")
    parser.add_argument("--no-figures", action="store_true")
    args = parser.parse_args()
    settings = Settings(data_root=args.data, config_path=args.data / "none.toml", watch=False)
    print(uptime())
    archive = Archive.open(args.archive, settings)
    archive.scan()
    catalog = bare_catalog(archive.cached())
    archive.close()
    if not args.no_figures:
        figures_bench("grown archive", catalog, settings, args.runs, args.reads)
        figures_bench("dense (the same squeezed into 30 days)", dense(catalog), settings,
                      args.runs, args.reads)
    if args.million:
        figures_bench("a million (the archive ten times)", million(catalog), settings,
                      args.runs, args.reads)
    if not args.no_screen:
        print()
        asyncio.run(screen_bench(args.archive, settings, args.runs))
    if not args.no_cli:
        print()
        cli_bench(args.archive, args.data)
    print(uptime())


if __name__ == "__main__":
    main()
