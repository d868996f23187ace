"""What reconciling a consumer's copy with the shared cache costs (reader/archive/reconcile.py):
the whole catalog (`r`, a fallback rescan), one folder, a batch of paths.

    python benchmarks/bench_reconcile.py            # 100,000 synthetic records
    python benchmarks/bench_reconcile.py --articles 20000

Prints CPU milliseconds (the best of 5: the machine may be shared) for each scope, with
the cost of the full scan's own read of the cache's stamps for scale, and the same with
another process having stored 1,000 records and forgotten 50.  No article file is
written: the records go straight into a cache in a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reader.archive.cache import MetadataCache  # noqa: E402
from reader.archive.model import Article, Scope  # noqa: E402
from reader.archive.reconcile import reconcile  # noqa: E402
from reader.session.catalog import Catalog  # noqa: E402
from reader.session.scan_changes import CatalogStamps  # noqa: E402

BASE = datetime(2025, 1, 1, tzinfo=timezone.utc)


def records(count: int, folder: str = "src", folders: int = 300) -> list[Article]:
    return [Article(f"content/en/news/{folder}{i % folders:03d}/2025-01-{i % 28 + 1:02d}-a-slug-"
                    f"of-the-title-{i:06d}.en.md", f"Title {i}", BASE + timedelta(minutes=i),
                    size=1000 + i, mtime=1.7e9 + i) for i in range(count)]


def best_ms(fn, runs: int = 5):
    times, out = [], None
    for _ in range(runs):
        started = time.process_time()
        out = fn()
        times.append(time.process_time() - started)
    return min(times) * 1000, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    count = parser.parse_args().articles
    with tempfile.TemporaryDirectory(prefix="bench-reconcile-") as tmp:
        cache = MetadataCache(Path(tmp) / "cache.sqlite3")
        articles = records(count)
        cache.store([(a, a.path, int(a.mtime * 1e9)) for a in articles], [])
        known = CatalogStamps(Catalog.of(articles).ready())
        folder = articles[7].path.rsplit("/", 1)[0]
        scopes = [("whole archive", None), (f"one folder ({count // 300:,})", Scope(
            frozenset(), (folder,))), ("50 paths", Scope(frozenset(a.path for a in articles[:50])))]
        for label, scope in scopes:
            ms, delta = best_ms(lambda: reconcile(cache, known, scope))
            print(f"{label:>24}: {ms:7.1f} ms CPU  (delta {len(delta)})")
        ms, _ = best_ms(cache.stamps)
        print(f"{'scan reads stamps()':>24}: {ms:7.1f} ms CPU  (for scale)")
        cache.forget([a.path for a in articles[:50]])
        extra = records(1000, folder="new", folders=1)
        cache.store([(a, a.path, 1) for a in extra], [])
        ms, delta = best_ms(lambda: reconcile(cache, known, None), 3)
        print(f"{'whole, +1,000 -50 other':>24}: {ms:7.1f} ms CPU  "
              f"(+{len(delta.added):,} -{len(delta.removed):,})")
        cache.close()


if __name__ == "__main__":
    main()
