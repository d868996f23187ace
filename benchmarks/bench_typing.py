"""Keystroke to list in the reader, by query class (headless Textual, to the screen update).

    python benchmarks/bench_typing.py --archive /tmp/grow100k --data /tmp/typing-bench

For each query of each class (those of bench_index.py, and "typing prefix": the
first 3-5 letters of an English word, as a word is being typed), the search box
is given the query but its last character and the list is left to settle; then
the last key is pressed and the time to the first page of hits drawn (and to the
complete list drawn, 0.15 s of quiet typing included) is taken, and the CPU time
the first page's search took in its worker thread.  A first page is the first 100
hits, or fewer where checking candidates' texts (a CJK run of 3 or more characters,
a phrase) stopped at FIRST_PAGE_CHECKS with a hit in hand (reader/session/search.py):
the newest hits, the head of the complete list that follows.  The article
pane shows no preview meanwhile (its rendering is not what a keystroke waits
for: while one types, the preview waits for the typing to rest).  `--data` is a
data dir whose index of the archive is complete (it is used, never rebuilt);
`--order relevance` measures with the reader's hits ordered by relevance.
Then, with no UI, each query's first page as the reader asks for it
(`Services.search`, 100 hits), wall and CPU time of the calling thread: on a
shared machine the CPU time is what the search itself costs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_index import query_classes  # noqa: E402
from bench_ui import PaintClock, launch, pct, settings_for, wait_until  # noqa: E402
from reader.archive import Archive  # noqa: E402
from reader.session.listing import ALL  # noqa: E402
from reader.ui.screens.list_updates import FIRST_HITS  # noqa: E402
from reader.session.services import Services  # noqa: E402
from reader.ui.widgets.search_box import SearchBox  # noqa: E402

TYPED = ("nvid", "earn", "semic", "infla", "tari")  # half-typed words, always measured


def classes_for(root: Path, data: Path, per_class: int) -> dict[str, list[str]]:
    archive = Archive.open(root, settings_for(data))
    try:
        classes = query_classes(archive, per_class)
    finally:
        archive.close()
    words = classes["english word"]
    typed = [w[:3 + i % 3] for i, w in enumerate(words)]
    classes["typing prefix"] = list(TYPED) + typed[:max(0, per_class - len(TYPED))]
    return classes


class LastKey:
    """Gives the search box all of a query but its last character, then types that."""

    def __init__(self, pilot, screen, clock: PaintClock):
        self.pilot, self.screen, self.clock = pilot, screen, clock

    async def settled(self, text: str) -> None:
        """The list is complete for `text` and the next key would go at once (before,
        a 1-char query's key waited for the whole list to come back first)."""
        screen, app = self.screen, self.screen.app
        await wait_until(self.pilot, lambda: screen.outcome.query == text
                         and screen.list_is_current() and not _listing(app)
                         and app.key_queue.idle, 120)

    async def measure(self, query: str) -> tuple[float, float]:
        """Seconds from the last key to the first page drawn, and to the complete list."""
        screen, box = self.screen, self.screen.query_one(SearchBox)
        box.value = query[:-1]
        box.cursor_position = len(box.value)
        await self.settled(query[:-1])  # for a 1-char query too: the whole list again
        generation = screen.list_generation
        started = time.perf_counter()
        await self.pilot.press(query[-1])
        await wait_until(self.pilot, lambda: screen.list_generation > generation, 120)
        first = await self._painted(generation + 1)
        await self.settled(query)
        complete = await self._painted(screen.list_generation)
        return first - started, complete - started

    async def _painted(self, generation: int) -> float:
        def since() -> list[float]:
            return [t for g, t in self.clock.painted.items() if g >= generation]

        await wait_until(self.pilot, lambda: bool(since()), 120)
        return min(since())


class SearchClock:
    """Wall and CPU time (of the worker's thread) of each first-page search the reader
    runs: on a shared machine the CPU time is what the search itself cost, the wall
    time what the key waited for it."""

    def __init__(self):
        self.first: dict[str, tuple[float, float]] = {}
        self._search = Services.search

    def __enter__(self) -> "SearchClock":
        search, first = self._search, self.first

        def timed(services, query, group=ALL, limit=0, *args, **kwargs):
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return search(services, query, group, limit, *args, **kwargs)
            finally:
                if limit > 0:
                    first[query] = (time.perf_counter() - wall, time.thread_time() - cpu)

        Services.search = timed
        return self

    def __exit__(self, *exc) -> None:
        Services.search = self._search


def _listing(app) -> bool:
    return any(w.group == "list" and w.is_running for w in app.workers)


def run(root: Path, data: Path, classes: dict[str, list[str]], order: str) -> list[str]:
    lines: list[str] = []

    async def scenario(app, pilot):
        screen = app.screen
        index_part = lambda: screen.status.parts.get("index", "")  # noqa: E731
        await wait_until(pilot, lambda: index_part() and not index_part().startswith(
            "Indexing") and screen.loaded.is_set() and not screen.scanning)
        screen.preview_delay = 24 * 3600.0  # no article rendering between the keys
        if order == "relevance":
            screen.action_toggle_relevance()
        await pilot.press("slash")
        keys = LastKey(pilot, screen, clock)
        for name, queries in classes.items():
            firsts, completes, cpus = [], [], []
            for query in queries:
                first, complete = await keys.measure(query)
                firsts.append(first)
                completes.append(complete)
                cpus.append(searches.first.get(query, (0.0, 0.0))[1])
            slowest = sorted(zip(firsts, queries), reverse=True)[:3]
            lines.append(f"  {name:16} {pct(firsts, .5):7.1f} {pct(firsts, .95):7.1f} "
                         f"{max(firsts) * 1000:7.1f} {pct(completes, .5):9.1f} "
                         f"{pct(completes, .95):7.1f} {pct(cpus, .5):6.1f} {pct(cpus, .95):6.1f}"
                         f"   {len(queries)}   slowest: "
                         + ", ".join(f"{q!r} {t * 1000:.0f}" for t, q in slowest))
        lines.append(f"  (index: {index_part()}; last status: "
                     f"{screen.status.parts.get('search', '')})")
        screen.stop_background()

    with PaintClock() as clock, SearchClock() as searches:
        asyncio.run(launch(root, settings_for(data), scenario))
    return lines


def calls(root: Path, data: Path, classes: dict[str, list[str]]) -> list[str]:
    """Each query once (its prefix not yet cached), as the reader's worker runs it."""
    settings = settings_for(data)
    services = Services(Archive.open(root, settings), settings)
    services.open_state()
    services.load_cached()
    services.searcher.warm_up()
    lines = []
    for name, queries in classes.items():
        walls, cpus = [], []
        for query in queries:
            wall, cpu = time.perf_counter(), time.thread_time()
            services.search(query, ALL, FIRST_HITS)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.thread_time() - cpu)
        lines.append(f"  {name:16} {pct(walls, .5):7.1f} {pct(walls, .95):7.1f} "
                     f"{median(cpus) * 1000:7.1f} {pct(cpus, .95):7.1f}")
    services.close()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True, help="data dir, index complete")
    parser.add_argument("--queries", type=int, default=20, help="queries per class")
    parser.add_argument("--order", choices=("date", "relevance"), default="date")
    args = parser.parse_args()
    classes = classes_for(args.archive, args.data, args.queries)
    print(f"keystroke to list at {args.archive}, hits by {args.order} (ms): first page "
          f"p50 / p95 / max, complete list p50 / p95, the first page's search CPU p50 / p95, "
          f"queries; {_load()}", flush=True)
    print("\n".join(run(args.archive, args.data, classes, args.order)), flush=True)
    print(f"the first page as the reader asks for it, no UI (ms): wall p50 / p95, "
          f"CPU p50 / p95 of the calling thread; {_load()}", flush=True)
    print("\n".join(calls(args.archive, args.data, classes)), flush=True)
    print(f"  ({_load()})")


def _load() -> str:
    """The machine's load (wall times on a shared machine are read beside it)."""
    return "load average %.2f %.2f %.2f" % os.getloadavg()


if __name__ == "__main__":
    main()
