"""Benchmark of the reader UI (headless Textual, measured to the screen update).

    python benchmarks/bench_ui.py --small /tmp/grow10k --large /tmp/grow100k --data /tmp/bench-ui

Prints: launch-to-usable-list (and to the whole list) with a warm metadata cache at both
sizes; search-as-you-type at the large size, with the index complete and, separately,
while it is being built: keystroke to the first page of hits (typed at once, and typed
every 0.3 s so complete listings run between keys) and keystroke to the complete list;
event-loop lag p95 while the index builds in the background (small archive, index wiped).
The first run builds the large index (minutes); reuse --data between runs.
Grow archives with: python /work/shared/tools/grow_corpus.py 100000 /tmp/grow100k
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.archive import Archive  # noqa: E402
from reader.config import Settings  # noqa: E402
from reader.index import index_dir_of  # noqa: E402
from reader.ui.app import NewsReaderApp  # noqa: E402
from reader.ui.widgets.article_list import ArticleList  # noqa: E402

QUERIES = ("nvidia earnings", "英伟达芯片")
PACE = 0.3  # seconds between keys in the paced run


def settings_for(data: Path) -> Settings:
    return Settings(data_root=data, config_path=data / "none.toml")


def warm(root: Path, settings: Settings) -> None:
    archive = Archive.open(root, settings)
    archive.scan()
    archive.close()


def copy_without_index(root: Path, source: Settings, target: Settings) -> None:
    """The large archive's warm cache under another data dir, without its index."""
    src = Archive.open(root, source).data_dir
    dst = Archive.open(root, target).data_dir
    if not dst.exists():
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("index", "state.sqlite3*"))
    shutil.rmtree(dst / "index", ignore_errors=True)


async def wait_until(pilot, predicate, timeout: float = 900.0) -> None:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("condition not reached")
        await pilot.pause()


async def launch(root: Path, settings: Settings, scenario) -> None:
    app = NewsReaderApp(Archive.open(root, settings), settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await scenario(app, pilot)


class PaintClock:
    """When the article list was first drawn at each list generation: the screen update
    a keystroke waits for (the pilot's own round trip adds ~80 ms that a user never sees)."""

    def __init__(self):
        self.painted: dict[int, float] = {}
        self._render_line = ArticleList.render_line

    def __enter__(self) -> "PaintClock":
        render_line, painted = self._render_line, self.painted

        def timed_render_line(widget, y):
            painted.setdefault(getattr(widget.screen, "list_generation", 0),
                               time.perf_counter())
            return render_line(widget, y)

        ArticleList.render_line = timed_render_line
        return self

    def __exit__(self, *exc) -> None:
        ArticleList.render_line = self._render_line


def warm_start(root: Path, settings: Settings
               ) -> tuple[float, float, list[float], tuple[float, float]]:
    """In a fresh Python (imports included): seconds from the process start to the first
    rows drawn and to the whole list and tree loaded, the event-loop lag samples in
    between (the full load shares the GIL with the event loop), and the reader's peak
    RSS and private memory (MB)."""
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"import bench_ui; bench_ui.warm_start_here({str(root)!r}, {str(settings.data_root)!r})")
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return (result["first"] - started, result["all"] - started, result["lags"],
            (result["peak_mb"], result["private_mb"]))


def private_mb() -> float:
    """This process's own memory now (RssAnon), without the index files' mapped pages,
    which are the page cache's and shared."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    return 0.0


def warm_start_here(root: str, data: str) -> None:
    """The child of `warm_start`: prints the wall-clock times as JSON."""
    settings, result = settings_for(Path(data)), {}

    async def scenario(app, pilot):
        screen = app.screen
        await wait_until(pilot, lambda: max(clock.painted, default=0) > 0)
        result["lags"] = await heartbeat(lambda: not screen.loaded.is_set(), 60.0)
        await wait_until(pilot, screen.loaded.is_set)  # the heartbeat stops at 60 s
        result["all"] = time.time()
        # the loader opens both index searchers last: count their memory too
        await wait_until(pilot, lambda: not any(w.group == "load" and w.is_running
                                                for w in app.workers))
        screen.stop_background()

    with PaintClock() as clock:
        asyncio.run(launch(Path(root), settings, scenario))
    first = min(t for generation, t in clock.painted.items() if generation > 0)
    result["first"] = time.time() - (time.perf_counter() - first)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["private_mb"] = private_mb()
    print(json.dumps(result))


async def heartbeat(going, seconds: float, tick: float = 0.02) -> list[float]:
    """Event-loop lag samples, every `tick`, while `going()` and for at most `seconds`."""
    loop = asyncio.get_running_loop()
    lags: list[float] = []
    end = time.perf_counter() + seconds
    while going() and time.perf_counter() < end:
        expected = loop.time() + tick
        await asyncio.sleep(tick)
        lags.append(max(0.0, loop.time() - expected))
    return lags


class Typist:
    """Types queries into a running reader and times each keystroke to the list drawn."""

    def __init__(self, pilot, screen, clock: PaintClock):
        self.pilot, self.screen, self.clock = pilot, screen, clock

    async def clear(self) -> None:
        screen = self.screen
        if screen.search_text:
            generation = screen.list_generation
            await self.pilot.press("escape")
            await wait_until(self.pilot, lambda: screen.list_generation > generation
                             and screen.list_complete)
        await self.pilot.press("slash")

    async def type(self, query: str, pace: float = 0.0, complete: bool = False
                   ) -> list[float]:
        """Seconds from each key to the first page of hits drawn (to the complete list
        drawn when `complete`: the next key then waits for it)."""
        await self.clear()
        screen, samples = self.screen, []
        for char in query:
            generation = screen.list_generation
            started = time.perf_counter()
            await self.pilot.press(char)
            await wait_until(self.pilot, lambda: screen.list_generation > generation
                             and (screen.list_complete or not complete))
            first = generation + 1 if not complete else screen.list_generation

            def painted_since() -> list[float]:  # two updates may come before one paint
                return [t for g, t in self.clock.painted.items() if g >= first]

            await wait_until(self.pilot, lambda: bool(painted_since()))
            samples.append(min(painted_since()) - started)
            rest = pace - (time.perf_counter() - started)
            if rest > 0:
                await asyncio.sleep(rest)
        return samples


def searching(root: Path, settings: Settings, while_indexing: bool) -> list[str]:
    lines: list[str] = []

    async def scenario(app, pilot):
        screen = app.screen
        index_part = lambda: screen.status.parts.get("index", "")  # noqa: E731
        if while_indexing:
            await wait_until(pilot, lambda: index_part().startswith("Indexing")
                             and screen.services.searcher.ready)
        else:
            await wait_until(pilot, lambda: index_part() and
                             not index_part().startswith("Indexing"))
        await wait_until(pilot, lambda: screen.loaded.is_set() and not screen.scanning)
        typist = Typist(pilot, screen, clock)
        for query in QUERIES:
            runs = [("first page, typed at once", await typist.type(query))]
            if not while_indexing:
                runs.append((f"first page, a key every {PACE} s",
                             await typist.type(query, pace=PACE)))
                runs.append(("complete list", await typist.type(query, complete=True)))
            status = screen.status.parts.get("search", "")
            for name, samples in runs:
                lines.append(f"  {query!r} {name}: {summary(samples)} (status: {status})")
        lines.append(f"  (index: {index_part()})")
        screen.stop_background()

    with PaintClock() as clock:
        asyncio.run(launch(root, settings, scenario))
    return lines


def lag_while_indexing(root: Path, settings: Settings, seconds: float) -> tuple[list[float], str]:
    shutil.rmtree(index_dir_of(Archive.open(root, settings)), ignore_errors=True)
    lags: list[float] = []
    state = {}

    async def scenario(app, pilot):
        screen = app.screen
        index_part = lambda: screen.status.parts.get("index", "")  # noqa: E731
        await wait_until(pilot, lambda: "index" in screen.status.parts)
        lags.extend(await heartbeat(lambda: index_part().startswith("Indexing"), seconds))
        state["status"] = index_part()
        screen.stop_background()

    asyncio.run(launch(root, settings, scenario))
    return lags, state["status"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def summary(samples: list[float]) -> str:
    return (f"p50 {pct(samples, .5):.1f} ms, p95 {pct(samples, .95):.1f} ms, "
            f"max {max(samples) * 1000:.1f} ms ({len(samples)} keys)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=Path, required=True, help="a ~10,000-article archive")
    parser.add_argument("--large", type=Path, required=True, help="a ~100,000-article archive")
    parser.add_argument("--data", type=Path, default=Path("/tmp/bench-ui"))
    parser.add_argument("--lag-seconds", type=float, default=30.0)
    args = parser.parse_args()
    for name, root in (("small", args.small), ("large", args.large)):
        settings = settings_for(args.data / name)
        warm(root, settings)
        first, whole, lags, (peak, private) = warm_start(root, settings)
        print(f"warm start to usable list (first rows drawn), {name} ({root}): {first:.2f} s;"
              f" whole list and tree loaded: {whole:.2f} s, event-loop lag meanwhile p95 "
              f"{pct(lags or [0.0], .95):.1f} ms, max {max(lags or [0.0]) * 1000:.0f} ms;"
              f" peak RSS {peak:.0f} MB (private memory at the end {private:.0f} MB)",
              flush=True)
    large = settings_for(args.data / "large")
    print(f"search as you type at {args.large}, index complete:", flush=True)
    print("\n".join(searching(args.large, large, while_indexing=False)), flush=True)
    building = settings_for(args.data / "large-building")
    copy_without_index(args.large, large, building)
    print(f"search as you type at {args.large}, while the index is built:", flush=True)
    print("\n".join(searching(args.large, building, while_indexing=True)), flush=True)
    lags, status = lag_while_indexing(args.small, settings_for(args.data / "small"),
                                      args.lag_seconds)
    print(f"event-loop lag while indexing {args.small}: p95 {pct(lags, .95):.1f} ms, "
          f"max {max(lags) * 1000:.1f} ms over {len(lags)} ticks (index: {status})")


if __name__ == "__main__":
    main()
