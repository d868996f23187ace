"""A day's `git pull` into an open reader ends in exactly the archive's state.

    python benchmarks/bench_live_exact.py --base 20000 --burst 10000 --work /tmp/live-exact

Grows an archive of `--base` articles and indexes it; opens the reader on it
(headless, watching); copies `--burst` more grown articles in with one `cp -r`;
waits until the reader has taken every batch and the index its backlog.  Then
compares, against a fresh scan and a fresh index of the same folder in another
data dir: the catalog's paths, every group's counts, and the hits of 10 queries.
Prints the time the reader took and each comparison; exits 1 on a difference.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_live import wait  # noqa: E402
from bench_ui import settings_for  # noqa: E402
from reader.archive import Archive  # noqa: E402
from reader.index import SearchIndex, index_dir_of, update_index  # noqa: E402
from reader.state import GroupCounts  # noqa: E402
from reader.ui.app import NewsReaderApp  # noqa: E402

GROW = REPO.parent / "shared" / "tools" / "grow_corpus.py"
QUERIES = ("美", "人工智能", "英伟达", "银行", "nvidia", "earnings", "tesla", "stock*",
           "lang:en market", "source:benzinga")


def grow(count: int, target: Path) -> None:
    subprocess.run([sys.executable, str(GROW), str(count), str(target)], check=True,
                   capture_output=True)


def fresh(root: Path, data: Path) -> tuple[list, dict]:
    """The catalog and counts of a fresh scan, and the hits of each query in a fresh
    index, in their own data dir."""
    archive = Archive.open(root, settings_for(data))
    archive.scan()
    update_index(archive)
    articles = archive.cached()
    index = SearchIndex(index_dir_of(archive), archive.root, archive.settings.timezone)
    hits = {q: set(index.search(q, limit=0, paths_only=True).paths) for q in QUERIES}
    archive.close()
    return articles, hits


async def reader_state(root: Path, data: Path, burst: Path) -> tuple[list, GroupCounts, dict, float]:
    settings = settings_for(data)
    app = NewsReaderApp(Archive.open(root, settings), settings)
    async with app.run_test(size=(120, 40)):
        screen = app.screen
        await wait(lambda: screen.loaded.is_set() and screen.watching.batches >= 1
                   and not screen.background.indexing, "the reader ready and watching", 0.1)
        expected = len(screen.services.catalog) + sum(1 for _ in burst.rglob("*.md"))
        started = time.perf_counter()
        subprocess.run(["cp", "-r", str(burst), str(root / "pulled")], check=True)
        background = screen.background
        await wait(lambda: len(screen.services.catalog) == expected and not background.indexing
                   and not background.backlog, "the burst taken and indexed", 0.2)
        took = time.perf_counter() - started
        services = screen.services
        hits = {q: set(services.searcher.index.search(q, limit=0, paths_only=True).paths)
                for q in QUERIES}
        articles, counts = list(services.catalog.articles), services.counts
        screen.stop_background()
    return articles, counts, hits, took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=20000)
    parser.add_argument("--burst", type=int, default=10000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/live-exact"))
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    root, burst = args.work / "archive", args.work / "burst"
    grow(args.base, root)
    grow(args.burst, burst)
    started = time.perf_counter()
    base = Archive.open(root, settings_for(args.work / "data"))
    base.scan()
    update_index(base)
    base.close()
    print(f"base of {args.base:,} scanned and indexed in {time.perf_counter() - started:.0f} s")
    articles, counts, hits, took = asyncio.run(reader_state(root, args.work / "data", burst))
    print(f"{args.burst:,} files copied in: the reader listed and indexed them in {took:.1f} s")
    fresh_articles, fresh_hits = fresh(root, args.work / "fresh")
    fresh_counts = GroupCounts(fresh_articles, set(), set())
    same_catalog = {a.path: a for a in articles} == {a.path: a for a in fresh_articles}
    keys = set(counts.keys()) | set(fresh_counts.keys())
    same_counts = all(counts[k] == fresh_counts[k] for k in keys)
    print(f"catalog ({len(articles):,} articles) equals a fresh scan's: {same_catalog}")
    print(f"counts of {len(keys):,} groups equal a fresh scan's: {same_counts}")
    ok = same_catalog and same_counts
    for query in QUERIES:
        same = hits[query] == fresh_hits[query]
        ok &= same
        print(f"  {query!r}: {len(hits[query]):,} hits, fresh index {len(fresh_hits[query]):,}"
              f"{'' if same else '  DIFFERENT'}")
    print("exact" if ok else "DIFFERENCES")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
