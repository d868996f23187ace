#!/usr/bin/env python3
"""Benchmark of the search index: build throughput and size, query latency by class,
rg for comparison, and search quality against a plain scan.  A script, not a test.

usage: python benchmarks/bench_index.py [--corpus DIR] [--grown N] [--work DIR]
                                        [--queries Q] [--reuse] [--skip-10k] [--skip-grown]

The 10k corpus is ../shared/corpus/bulwark/content; the grown archive of N
articles is made with ../shared/tools/grow_corpus.py under --work (default
/tmp/newsreader-bench), never inside the repository.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_index_quality import load_docs, measure, sample_words  # noqa: E402
from reader.archive import Archive  # noqa: E402
from reader.config import load_settings  # noqa: E402
from reader.index import SearchIndex, index_dir_of, update_index  # noqa: E402
from reader.index.analysis import CJK_RUN, WORD, fold  # noqa: E402

SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "bulwark" / "content"
GROW = SHARED / "tools" / "grow_corpus.py"


def build(root: Path, data_dir: Path, reuse: bool) -> tuple[Archive, SearchIndex]:
    if not reuse:
        shutil.rmtree(data_dir, ignore_errors=True)
    settings = load_settings(data_dir=data_dir)
    archive = Archive.open(root, settings)
    started = time.perf_counter()
    articles = archive.scan().articles
    scanned = time.perf_counter() - started
    summary = update_index(archive, articles=articles)
    total = time.perf_counter() - started
    size = sum(f.stat().st_size for f in index_dir_of(archive).rglob("*") if f.is_file())
    n = len(articles)
    print(f"  {n} articles: scan {scanned:.1f} s, index {summary.seconds:.1f} s "
          f"({summary.added + summary.updated} indexed, {summary.failed} failed), "
          f"total {total:.1f} s = {n / total:.0f} articles/s; index {size / 1e6:.0f} MB")
    if summary.error or summary.notice:
        print(f"  !! {summary.error or summary.notice}")
    return archive, SearchIndex.open(index_dir_of(archive), root=archive.root)


def query_classes(archive: Archive, n: int, seed: int = 11) -> dict[str, list[str]]:
    rng = random.Random(seed)
    articles = archive.cached()
    zh = [a for a in articles if a.lang.startswith("zh")]
    en = [a for a in articles if a.lang == "en"]
    texts = {"zh": [], "en": []}
    for a in rng.sample(zh, min(len(zh), 400)):
        texts["zh"] += [r for r in CJK_RUN.findall(fold(archive.read(a.path).body)) if len(r) >= 4]
    for a in rng.sample(en, min(len(en), 400)):
        texts["en"] += [w for w in WORD.findall(fold(archive.read(a.path).body))
                        if len(w) >= 5 and w.isalpha() and w.isascii()]
    classes: dict[str, list[str]] = {}
    for size in (1, 2, 3, 4):
        picks = []
        for _ in range(n):
            run = rng.choice(texts["zh"])
            start = rng.randrange(len(run) - size + 1)
            picks.append(run[start:start + size])
        classes[f"zh {size} char"] = picks
    words = [rng.choice(texts["en"]) for _ in range(n)]
    classes["english word"] = words
    classes["prefix*"] = [w[:4] + "*" for w in words]
    classes["filtered"] = [f"{classes['zh 2 char'][i]} lang:zh-CN" if i % 2 else
                           f"{words[i]} after:2024-06-01 lang:en" for i in range(n)]
    return classes


def latency(index: SearchIndex, classes: dict[str, list[str]], sort: str) -> None:
    print(f"  query latency, limit 50, sort {sort} (ms):      p50     p95     max   hits")
    for name, queries in classes.items():
        index.search(queries[0], limit=50, sort=sort)
        times, totals = [], []
        for q in queries:
            started = time.perf_counter()
            results = index.search(q, limit=50, sort=sort)
            times.append((time.perf_counter() - started) * 1000)
            totals.append(results.total)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"    {name:16} {statistics.median(times):8.1f} {p95:7.1f} {times[-1]:7.1f} "
              f"{statistics.median(totals):6.0f}")


def snippets(index: SearchIndex, queries: list[str]) -> None:
    times = []
    for q in queries:
        results = index.search(q, limit=20)
        started = time.perf_counter()
        for hit in results.hits:
            hit.snippet
        times.append((time.perf_counter() - started) * 1000)
    print(f"  snippets for 20 hits: median {statistics.median(times):.1f} ms")


def ripgrep(root: Path, classes: dict[str, list[str]], per_class: int = 10) -> None:
    if not shutil.which("rg"):
        print("  rg: not installed")
        return
    print("  rg -l -F -i over the folder (ms):  median")
    for name, queries in classes.items():
        if name in ("prefix*", "filtered"):
            continue
        times = []
        for q in queries[:per_class]:
            started = time.perf_counter()
            subprocess.run(["rg", "-l", "-F", "-i", q, str(root)], capture_output=True)
            times.append((time.perf_counter() - started) * 1000)
        print(f"    {name:16} {statistics.median(times):8.1f}")


def quality(archive: Archive, index: SearchIndex, words_per_kind: int) -> None:
    paths = [a.path for a in archive.cached()]
    docs = load_docs(archive.root, paths, archive.tz)
    words = sample_words(docs, words_per_kind)
    for kind, (recall, precision) in measure(index, docs, words).items():
        print(f"    {kind:12} recall {recall:.4f}  precision {precision:.4f}")


def run(name: str, root: Path, work: Path, args) -> None:
    print(f"\n== {name}: {root}")
    archive, index = build(root, work / f"data-{name}", args.reuse)
    classes = query_classes(archive, args.queries)
    latency(index, classes, "relevance")
    latency(index, {k: v for k, v in classes.items() if k != "prefix*"}, "date")
    snippets(index, classes["zh 2 char"][:20])
    ripgrep(root, classes)
    if name == "10k":
        print("  quality against a plain scan (whole corpus):")
        quality(archive, index, args.words)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--grown", type=int, default=100_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/newsreader-bench"))
    ap.add_argument("--queries", type=int, default=40, help="queries per class")
    ap.add_argument("--words", type=int, default=60, help="quality words per kind")
    ap.add_argument("--reuse", action="store_true", help="update existing indexes, not rebuild")
    ap.add_argument("--skip-10k", action="store_true")
    ap.add_argument("--skip-grown", action="store_true")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if not args.skip_10k:
        run("10k", args.corpus, args.work, args)
    if not args.skip_grown:
        grown = args.work / f"grown-{args.grown}"
        if not grown.exists():
            subprocess.run([sys.executable, str(GROW), str(args.grown), str(grown)], check=True)
        run(f"{args.grown // 1000}k", grown, args.work, args)


if __name__ == "__main__":
    main()
