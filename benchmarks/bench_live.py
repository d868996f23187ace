"""The reader open on a live archive at 100k: bursts of new files, an edited title,
deleted files, timed to the screen (issue 11's targets), with no full reload.

    python benchmarks/bench_live.py                       # /tmp/grow100k, complete index
    python benchmarks/bench_live.py --bursts 5 --memory-bursts 50

The archive and its data dir (cache, ledger, complete index) are copied to a private
folder first (bench_burst_search.copy_archive).  The reader runs headless (Textual's
run_test, 120x40) with the folder watched, as a user's would.  Printed per burst of
`--files` new files (copies of existing articles with a token of the burst's own):
last file written (by a helper process, as a scraper writes them: the benchmark's own
writing does not hold up the reader's event loop) -> every one in the list and the
tree's counts; -> all found by the reader's search; the batches it came in, files
parsed (must equal the files written) and whole-catalog rebuilds (must be 0); the
event-loop lag p95 during the burst; with stories grouped (the default; `--no-group`
turns it off), -> the stories' change of every file done (in the scan's worker, before
the burst is listed, or after it on the stories' thread), and how many joined a story;
the first rows of the burst (its first piece, where it comes in pieces), the changes the
screen took and the tree's All count after each (with stories counted: it should only
rise toward the final count).  "ready" gives the CPU the process spent until the reader
was watching (its warm start, imports included). Then one edited
title, written -> shown in the list; then one burst of `--edits` edited files (a `git
pull` changing files: each record's groups and story out and in again), written -> listed,
with the loop's lag p95 and max until it is indexed; then `--idle` seconds of nothing;
each phase also says the garbage collector's full collections (they hold the GIL: the
event loop waits for them, whatever thread runs them); then `--memory-bursts` bursts that add and then
delete `--memory-files` files each, with the reader's private memory after each
(RssAnon: flat means within 10% of the first).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_burst_search import (ARCHIVE, DATA, copy_archive, pick_sources,  # noqa: E402
                                quantile, tokened)
from bench_ui import private_mb, settings_for  # noqa: E402
from reader.archive import Archive  # noqa: E402
from reader.archive.cache import MetadataCache  # noqa: E402
from reader.session.catalog import Catalog  # noqa: E402
from reader.session.listing import ALL  # noqa: E402
from reader.session.stories import Stories  # noqa: E402
from reader.ui.app import NewsReaderApp  # noqa: E402
from reader.ui.screens.watching import Watching  # noqa: E402

TIMEOUT = 300.0


class Counters:
    """Whole-catalog work done while the reader is open: every record read back from
    the cache, a catalog built from scratch; and the files each watched batch parsed."""

    def __init__(self) -> None:
        self.full_reads = self.rebuilds = self.parsed = self.batches = 0
        articles, of, watched = MetadataCache.articles, Catalog.of.__func__, Watching.watched
        counters = self

        def counted_articles(cache, *args, **kwargs):
            counters.full_reads += 1
            return articles(cache, *args, **kwargs)

        def counted_of(cls, items):
            counters.rebuilds += 1
            return of(cls, items)

        def counted_watched(part, message):
            if message.result is not None:
                counters.batches += 1
                counters.parsed += message.result.parsed_count
            return watched(part, message)

        self.applied: set[str] = set()  # paths whose stories' change is done
        apply = Stories.apply

        def counted_apply(stories, delta, bodies=None):
            changed = apply(stories, delta, bodies)
            counters.applied.update(a.path for a in (*delta.added, *delta.changed))
            return changed

        stage = Stories.stage

        def counted_stage(stories, delta, *args, **kwargs):
            staged = stage(stories, delta, *args, **kwargs)
            counters.applied.update(a.path for a in (*delta.added, *delta.changed))
            return staged

        Stories.apply, Stories.stage = counted_apply, counted_stage
        MetadataCache.articles = counted_articles
        Catalog.of = classmethod(counted_of)
        Watching.watched = counted_watched

    def grouped_all(self, paths) -> bool:
        return self.applied.issuperset(paths)

    def snapshot(self) -> tuple[int, int, int, int]:
        return self.full_reads, self.rebuilds, self.parsed, self.batches


class LagMeter:
    """The event loop's lateness, sampled every 10 ms while `active` (a tick that began
    before, while the benchmark itself held the loop picking files, is not the reader's)."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.active = False

    async def run(self) -> None:
        while True:
            before, counted = time.perf_counter(), self.active
            await asyncio.sleep(0.01)
            if counted and self.active:
                self.samples.append(time.perf_counter() - before - 0.01)


class GcMeter:
    """The garbage collector's full collections (generation 2) while `active`: each one
    holds the GIL, so it stalls the event loop whichever thread runs it."""

    def __init__(self) -> None:
        self.full: list[tuple[float, str]] = []  # (seconds, thread), while active
        self.active, self._began = False, 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._began = time.perf_counter()
        elif self.active:
            self.full.append((time.perf_counter() - self._began,
                              threading.current_thread().name))

    def start(self) -> None:
        self.full, self.active = [], True

    def summary(self) -> str:
        self.active = False
        if not self.full:
            return "0 full collections"
        loop = sum(t == threading.main_thread().name for _, t in self.full)
        return (f"{len(self.full)} full collections ({loop} on the event loop), longest "
                f"{max(d for d, _ in self.full) * 1000:.0f} ms, in all "
                f"{sum(d for d, _ in self.full) * 1000:.0f} ms")


async def wait(condition, what: str, poll: float = 0.01) -> float:
    deadline = time.perf_counter() + TIMEOUT
    while not condition():
        if time.perf_counter() > deadline:
            raise SystemExit(f"never happened: {what}")
        await asyncio.sleep(poll)
    return time.perf_counter()


def write(sources: list[Path], tag: str, token: str) -> tuple[list[Path], float]:
    written = []
    for i, source in enumerate(sources):
        target = source.with_name(f"{tag}x{i:04d}-{source.name}")
        target.write_text(tokened(source.read_text(encoding="utf-8"), token), encoding="utf-8")
        written.append(target)
    return written, time.perf_counter()


def edit(sources: list[Path], token: str) -> float:
    """Each file's title edited in place, as a `git pull` changes files (in the helper
    process); the time the last was written."""
    for source in sources:
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace('title: "', f'title: "{token} ', 1), encoding="utf-8")
    return time.perf_counter()


class Live:
    def __init__(self, app, root: Path, counters: Counters, lag: LagMeter):
        self.app, self.root, self.counters, self.lag = app, root, counters, lag
        self.gc = GcMeter()
        self.screen = app.screen
        self.services = self.screen.services
        self.writer = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        self.writer.submit(time.perf_counter).result()  # started before the first burst
        # Each change the screen took, and each time the stories shown changed: when, the
        # catalog's size and the tree's All count then, and whether it was a change.
        self.takes: list[tuple[float, int, int, bool]] = []
        stories = self.screen.stories
        for name in ("catalog_changed", "_stories_changed"):
            setattr(stories, name, self._recording(getattr(stories, name),
                                                    name == "catalog_changed"))

    def _recording(self, method, change: bool):
        def recorded(*args, **kwargs):
            method(*args, **kwargs)
            self.takes.append((time.perf_counter(), len(self.services.catalog),
                               self.services.tree_counts[ALL].total, change))
        return recorded

    def shown(self, expected: int, paths=()) -> bool:
        """Every article in the catalog and the counts, and in the list: a row each, or
        (grouping stories) `paths` each in a row or in the story of one."""
        if (len(self.services.catalog) != expected
                or self.services.counts[ALL].total != expected):
            return False
        rows = self.screen.article_list.rows
        if not self.services.settings.group_stories:
            return len(rows) == expected
        listed = {a.path for a in rows}
        story_of = self.services.stories.story_of
        return all(p in listed or ((s := story_of(p)) is not None
                                   and not listed.isdisjoint(s.members)) for p in paths)

    def found(self, token: str, expected: int) -> bool:
        if self.screen.background.indexing or self.screen.background.backlog:
            return False
        return len(self.services.search(token).paths or ()) >= expected

    def index_busy(self) -> bool:
        return bool(self.screen.background.indexing or self.screen.background.backlog)

    async def burst(self, number: int, sources: list[Path], searched: bool = True) -> dict:
        """One burst, timed to the list and (if `searched`) to the search."""
        token, before = f"live{'abcdefghij'[number % 10]}tokq", len(self.services.catalog)
        counted, busy = self.counters.snapshot(), self.index_busy()
        load, self.lag.samples, self.lag.active = os.getloadavg()[0], [], True
        self.gc.start()
        self.takes, start = [], self.services.tree_counts[ALL].total
        written, last = await asyncio.get_running_loop().run_in_executor(  # one clock
            self.writer, write, sources, f"l{number}", token)
        paths = [p.relative_to(self.root).as_posix() for p in written]
        shown = await wait(lambda: self.shown(before + len(sources), paths),
                           "the burst listed")
        self.lag.active = False
        grouped = (await wait(lambda: self.counters.grouped_all(paths), "the burst grouped")
                   if self.services.settings.group_stories else math.nan)
        found = (await wait(lambda: self.found(token, len(sources)), "the burst found", 0.1)
                 if searched else math.nan)
        reads, rebuilds, parsed, batches = (b - a for a, b in
                                            zip(counted, self.counters.snapshot()))
        first = next((t for t, size, *_ in self.takes if size > before), math.nan)
        counts = [start, *(total for _, _, total, _ in self.takes)]
        counts = [c for i, c in enumerate(counts) if not i or c != counts[i - 1]]
        return {"shown": shown - last, "found": found - last, "batches": batches,
                "first": first - last, "takes": sum(t[3] for t in self.takes),
                "counts": counts,
                "grouped": grouped - last, "in_stories": sum(
                    self.services.stories.story_of(p) is not None for p in paths),
                "parsed": parsed, "reads": reads, "rebuilds": rebuilds, "load": load,
                "lag95": quantile(self.lag.samples, 0.95) * 1000 if self.lag.samples else 0,
                "lagmax": max(self.lag.samples, default=0) * 1000,
                "gc": self.gc.summary(), "busy": busy}

    async def edit_title(self, source: Path) -> float:
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace('title: "', 'title: "Edited on disk ', 1),
                          encoding="utf-8")
        written = time.perf_counter()
        path = source.relative_to(self.root).as_posix()

        def shown() -> bool:
            rows = self.screen.article_list.rows  # (cut by stories: found by its path)
            return any(a.path == path and a.title.startswith("Edited on disk ")
                       for a in rows)

        return await wait(shown, "the edited title") - written

    async def edits(self, sources: list[Path]) -> dict:
        """One burst of edited files (every one a changed record: its old groups and
        story out, its new ones in), timed to the list, with the loop's lag meanwhile."""
        token, paths = "Editedtokq", [p.relative_to(self.root).as_posix() for p in sources]
        self.lag.samples, self.lag.active = [], True
        load = os.getloadavg()[0]
        self.gc.start()
        last = await asyncio.get_running_loop().run_in_executor(self.writer, edit, sources,
                                                                token)
        by_path = lambda: self.services.catalog.by_path  # noqa: E731
        shown = await wait(lambda: all(by_path()[p].title.startswith(token) for p in paths)
                           and self.screen.listing.is_current(), "the edits listed")
        await wait(lambda: not self.index_busy(), "the edits indexed", 0.1)
        self.lag.active = False
        return {"shown": shown - last, "load": load, "lag95": quantile(
            self.lag.samples, 0.95) * 1000, "lagmax": max(self.lag.samples) * 1000,
            "gc": self.gc.summary()}

    async def idle(self, seconds: float) -> str:
        """The loop's lag and the full collections while nothing happens (the reader
        idle after a burst: its index writer and merges may still be at work)."""
        self.lag.samples, self.lag.active = [], True
        self.gc.start()
        await asyncio.sleep(seconds)
        self.lag.active = False
        return (f"loop lag p95 {quantile(self.lag.samples, 0.95) * 1000:.0f} ms max "
                f"{max(self.lag.samples) * 1000:.0f} ms, {self.gc.summary()}")

    async def memory(self, bursts: int, sources: list[Path]) -> list[float]:
        out = []
        for number in range(bursts):
            before = len(self.services.catalog)
            written, _ = write(sources, f"m{number}", f"mem{number}tokq")
            await wait(lambda: self.shown(before + len(sources)), "memory burst listed")
            for path in written:
                path.unlink()
            await wait(lambda: self.shown(before), "memory burst removed")
            await wait(lambda: not self.screen.background.indexing
                       and not self.screen.background.backlog, "memory burst indexed", 0.1)
            out.append(private_mb())
        return out


async def scenario(app, args, root: Path) -> None:
    counters, lag = Counters(), LagMeter()
    ticker = asyncio.ensure_future(lag.run())
    screen = app.screen
    await wait(lambda: screen.loaded.is_set() and screen.watching.batches >= 1
               and not screen.scanning and not screen.background.indexing,
               "the reader ready and watching (its first scan over)", 0.1)
    live = Live(app, root, counters, lag)
    print(f"ready: {time.process_time():.1f} s CPU of this process since it began "
          f"(grouping {'on' if live.services.settings.group_stories else 'off'}), "
          f"{len(live.services.catalog):,} articles, status "
          f"{' | '.join(screen.status.parts.values())}", flush=True)
    results = []
    for number in range(args.bursts):
        sources = pick_sources(root, args.files, 5, seed=number)
        # --during-indexing: the next burst comes while the index takes this one
        last = number == args.bursts - 1
        results.append(await live.burst(number, sources, last or not args.during_indexing))
        r = results[-1]
        print(f"burst {number}: {'index busy, ' if r['busy'] else ''}"
              f"listed {r['shown']:.2f} s, searchable {r['found']:.2f} s, "
              f"grouped {r['grouped']:.2f} s ({r['in_stories']} in a story), "
              f"{r['batches']} batches, {r['parsed']} parsed, {r['reads']} full cache reads, "
              f"{r['rebuilds']} catalog rebuilds, loop lag p95 {r['lag95']:.0f} ms "
              f"max {r['lagmax']:.0f} ms, load {r['load']:.1f}", flush=True)
        steps = r["counts"]
        print(f"  first rows {r['first']:.2f} s, {r['takes']} changes taken, All counted "
              f"{' -> '.join(f'{c:,}' for c in steps)} "
              f"({'monotone' if steps == sorted(steps) else 'NOT monotone'}); {r['gc']}",
              flush=True)
    for key, label in (("first", "first rows"), ("shown", "listed"), ("found", "searchable"),
                       ("grouped", "grouped"), ("lag95", "lag p95"), ("lagmax", "lag max")):
        values = [r[key] for r in results if not math.isnan(r[key])]
        if not values:  # (grouped, with --no-group)
            continue
        print(f"{label}: p50 {quantile(values, 0.5):.2f} p95 {quantile(values, 0.95):.2f}")
    edited = pick_sources(root, 1, 5, seed=99)[0]
    print(f"edited title shown in {await live.edit_title(edited):.2f} s")
    if args.edits:
        r = await live.edits(pick_sources(root, args.edits, 5, seed=98))
        print(f"{args.edits} files edited: in the catalog and listed in {r['shown']:.2f} s, "
              f"loop lag p95 {r['lag95']:.0f} ms max {r['lagmax']:.0f} ms (until indexed), "
              f"load {r['load']:.1f}; {r['gc']}", flush=True)
    if args.idle:
        print(f"then idle {args.idle:.0f} s: {await live.idle(args.idle)}", flush=True)
    if args.memory_bursts:
        sources = pick_sources(root, args.memory_files, 5, seed=7)
        mb = await live.memory(args.memory_bursts, sources)
        print(f"private memory over {len(mb)} bursts of +{args.memory_files}/-"
              f"{args.memory_files}: first {mb[0]:.0f} MB, last {mb[-1]:.0f} MB, "
              f"max {max(mb):.0f} MB ({(max(mb) / mb[0] - 1) * 100:+.1f}%)")
    ticker.cancel()
    live.writer.shutdown()
    screen.stop_background()


async def run(args) -> None:
    root, data_root, _ = copy_archive(args.archive, args.data, args.work)
    settings = replace(settings_for(data_root), group_stories=not args.no_group)
    app = NewsReaderApp(Archive.open(root, settings), settings)
    async with app.run_test(size=(120, 40)):
        await scenario(app, args, root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--data", type=Path, default=DATA, help="its data dir, index complete")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-live"))
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--during-indexing", action="store_true",
                        help="each burst while the index still takes the one before")
    parser.add_argument("--no-group", action="store_true", help="group_stories = false")
    parser.add_argument("--edits", type=int, default=600,
                        help="then one burst of this many edited files (0: none)")
    parser.add_argument("--idle", type=float, default=20.0,
                        help="then this many seconds idle, its lag and collections shown")
    parser.add_argument("--memory-bursts", type=int, default=0)
    parser.add_argument("--memory-files", type=int, default=200)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
