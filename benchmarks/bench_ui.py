"""Benchmark of the reader UI (headless Textual, measured to the screen update).

    python benchmarks/bench_ui.py --small /tmp/grow10k --large /tmp/grow100k --data /tmp/bench-ui

Prints: launch-to-usable-list with a warm metadata cache at both sizes; search-as-you-type
keystroke latency (p50/p95) at the large size; event-loop lag p95 while the index builds
in the background (on the small archive, index dir wiped first).
Grow archives with: python /work/shared/tools/grow_corpus.py 100000 /tmp/grow100k
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.archive import Archive  # noqa: E402
from reader.config import Settings  # noqa: E402
from reader.index import index_dir_of  # noqa: E402
from reader.ui.app import NewsReaderApp  # noqa: E402

QUERY = "nvidia earnings"


def settings_for(data: Path) -> Settings:
    return Settings(data_root=data, config_path=data / "none.toml")


def warm(root: Path, settings: Settings) -> None:
    archive = Archive.open(root, settings)
    archive.scan()
    archive.close()


async def wait_until(pilot, predicate, timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("condition not reached")
        await pilot.pause()


async def launch(root: Path, settings: Settings, scenario) -> None:
    app = NewsReaderApp(Archive.open(root, settings), settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await scenario(app, pilot)


def warm_start(root: Path, settings: Settings) -> float:
    started = time.perf_counter()
    result = {}

    async def scenario(app, pilot):
        screen = app.screen
        await wait_until(pilot, lambda: screen.list_generation > 0)
        result["t"] = time.perf_counter() - started
        screen.stop_background()

    asyncio.run(launch(root, settings, scenario))
    return result["t"]


def keystrokes(root: Path, settings: Settings) -> tuple[list[float], str]:
    samples: list[float] = []
    mode = {}

    async def scenario(app, pilot):
        screen = app.screen
        await wait_until(pilot, lambda: screen.list_generation > 0 and not screen.scanning)
        await pilot.press("slash")
        for char in QUERY:
            generation = screen.list_generation
            started = time.perf_counter()
            await pilot.press(char)
            await wait_until(pilot, lambda: screen.list_generation > generation)
            samples.append(time.perf_counter() - started)
        mode["search"] = screen.status.parts.get("search", "")
        screen.stop_background()

    asyncio.run(launch(root, settings, scenario))
    return samples, mode["search"]


def lag_while_indexing(root: Path, settings: Settings, seconds: float) -> tuple[list[float], str]:
    shutil.rmtree(index_dir_of(Archive.open(root, settings)), ignore_errors=True)
    lags: list[float] = []
    state = {}

    async def scenario(app, pilot):
        screen = app.screen
        await wait_until(pilot, lambda: "index" in screen.status.parts)
        loop = asyncio.get_running_loop()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end and screen.status.parts.get("index", "").startswith(
                "Indexing"):
            expected = loop.time() + 0.02
            await asyncio.sleep(0.02)
            lags.append(max(0.0, loop.time() - expected))
        state["status"] = screen.status.parts.get("index", "")
        screen.stop_background()

    asyncio.run(launch(root, settings, scenario))
    return lags, state["status"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def keystroke_report(root: Path, settings: Settings) -> None:
    samples, mode = keystrokes(root, settings)
    print(f"keystroke to updated list at {root}: p50 {pct(samples, .5):.1f} ms, "
          f"p95 {pct(samples, .95):.1f} ms ({len(samples)} keys; status: {mode})")


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
        print(f"warm start to usable list, {name} ({root}): "
              f"{warm_start(root, settings):.2f} s")
    keystroke_report(args.large, settings_for(args.data / "large"))
    lags, status = lag_while_indexing(args.small, settings_for(args.data / "small"),
                                      args.lag_seconds)
    print(f"event-loop lag while indexing {args.small}: p95 {pct(lags, .95):.1f} ms, "
          f"max {max(lags) * 1000:.1f} ms over {len(lags)} ticks (index: {status})")


if __name__ == "__main__":
    main()
