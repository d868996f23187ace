"""Soak of the reader: memory after every 100 searches typed into the headless app.

    python benchmarks/bench_soak.py --archive /work/shared/corpus/bulwark/content \\
        --data /tmp/soak-data --searches 1000

Types `--searches` queries (each cleared with escape, then `/` and the query typed in one
burst, searched as the keys arrive; the next query waits for the complete list)
and prints the reader's own memory after every `--every` searches and at the end:
private (RssAnon: anonymous pages, without the index files' mapped pages, which are the
page cache's) and USS (Private_Clean + Private_Dirty), after a gc.collect().  Queries are
drawn (fixed seed) from the words and character pairs of the archive's titles, so most
are distinct, as a user's are.  The first run builds the index under --data (minutes);
reuse --data afterwards.

`--trace N`: also take tracemalloc snapshots at search N and at the end, and print what
grew most, by the line that allocated it (slow: for finding a leak, not for the numbers).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import re
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from textual import events  # noqa: E402
from textual.widgets import Input  # noqa: E402

from bench_ui import launch, settings_for  # noqa: E402
from reader.archive import Archive  # noqa: E402
from reader.index import update_index  # noqa: E402

_LATIN = re.compile(r"[A-Za-z]{4,}")
_CJK = re.compile(r"[\u4e00-\u9fff]{2,}")


def queries(root: Path, settings, count: int, seed: int = 7) -> list[str]:
    """`count` queries of one or two title words (English words, Chinese character pairs)."""
    archive = Archive.open(root, settings)
    words: set[str] = set()
    for article in archive.cached():
        words.update(w.lower() for w in _LATIN.findall(article.title))
        for run in _CJK.findall(article.title):
            words.update(run[i:i + 2] for i in range(len(run) - 1))
    archive.close()
    pool, rng = sorted(words), random.Random(seed)
    return [" ".join(rng.sample(pool, 1 if rng.random() < 0.7 else 2)) for _ in range(count)]


def build_index(root: Path, settings) -> None:
    archive = Archive.open(root, settings)
    summary = update_index(archive)
    archive.close()
    if summary.added or summary.updated:
        print(f"index built: {summary.line()}", flush=True)


def memory_mb() -> tuple[float, float]:
    """(RssAnon, USS) of this process in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        anon = next(int(line.split()[1]) for line in status if line.startswith("RssAnon:"))
    with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
        uss = sum(int(line.split()[1]) for line in rollup
                  if line.startswith(("Private_Clean:", "Private_Dirty:")))
    return anon / 1024, uss / 1024


async def type_query(pilot, screen, query: str) -> None:
    """Clear the search, type `query` in one burst (as a fast typist or a paste does: the
    reader searches as the keys arrive, a newer key superseding the search before) and
    wait for its complete list.  Keys are posted as the terminal driver posts them:
    Pilot.press waits up to a second per key for the process to look idle."""
    app = pilot.app
    if screen.search_text:
        key(app, "escape", None)
        await wait_until(lambda: not screen.search_text and listed(app, screen))
    key(app, "slash", "/")
    await wait_until(lambda: isinstance(app.focused, Input))
    for char in query:
        key(app, "space" if char == " " else char, char)
    await wait_until(lambda: screen.search_text == query and listed(app, screen))


def key(app, name: str, char: str | None) -> None:
    app.post_message(events.Key(name, char))


async def wait_until(predicate, timeout: float = 120.0) -> None:
    """Poll every 5 ms (Pilot.pause waits for the process to look idle: up to a second
    while a search runs in a worker)."""
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("the reader never got there")
        await asyncio.sleep(0.005)


def listed(app, screen) -> bool:
    return screen.list_complete and not any(w.is_running and w.group == "list"
                                            for w in app.workers)


def report(done: int, started: float) -> None:
    gc.collect()
    anon, uss = memory_mb()
    print(f"after {done:5,} searches: private (RssAnon) {anon:6.1f} MB, USS {uss:6.1f} MB"
          f"  ({time.perf_counter() - started:.0f} s)", flush=True)


def soak(root: Path, settings, texts: list[str], every: int, trace: int) -> None:
    snapshots: list[tracemalloc.Snapshot] = []

    async def scenario(app, pilot):
        screen = app.screen
        await wait_until(lambda: screen.loaded.is_set() and not screen.scanning
                         and screen.services.searcher.ready
                         and not any(w.is_running for w in app.workers))
        started = time.perf_counter()
        report(0, started)
        for done, text in enumerate(texts, 1):
            if trace and done == trace:
                tracemalloc.start(8)
                snapshots.append(tracemalloc.take_snapshot())
            await type_query(pilot, screen, text)
            if done % every == 0 or done == len(texts):
                report(done, started)
        if trace:
            gc.collect()
            snapshots.append(tracemalloc.take_snapshot())
        screen.stop_background()

    asyncio.run(launch(root, settings, scenario))
    if len(snapshots) == 2:
        print_growth(*snapshots)


def print_growth(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot,
                 top: int = 12) -> None:
    print(f"grew most (tracemalloc, from search {len(before.traces)} traces on):")
    for stat in after.compare_to(before, "traceback")[:top]:
        print(f"  {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7,} blocks")
        for line in stat.traceback.format()[-8:]:
            print(f"      {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True, help="a data dir of its own")
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--trace", type=int, default=0, metavar="N",
                        help="tracemalloc snapshots from search N to the end")
    args = parser.parse_args()
    settings = settings_for(args.data)
    build_index(args.archive, settings)
    texts = queries(args.archive, settings, args.searches)
    print(f"{len(texts):,} searches ({len(set(texts)):,} distinct) in {args.archive}",
          flush=True)
    soak(args.archive, settings, texts, args.every, args.trace)


if __name__ == "__main__":
    main()
