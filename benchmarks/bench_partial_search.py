"""What the union costs a keystroke while the first index is built (issue 9, D9).

    python benchmarks/bench_partial_search.py --archive /tmp/grow100k --data D [--queries 10]

`--data` is a data dir whose index of the archive is complete (read, never
written: copy /tmp/typing-data with `cp -a`).  A first index part-way is
played on it: the searchers are told the index is not complete and that it
holds only its first segments (about `--indexed` of the articles); the rest are
searched by their titles (reader/session/title_hits.py).  For each query
class, the CPU time (time.process_time, this thread) of the reader's first page
(100 hits) and of the complete list, the same with the index complete (the
path a complete index takes, unchanged), and of the title part alone; then what
the articles-not-indexed view costs to make at a first search and after one
commit of 2,000.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_index import query_classes  # noqa: E402
from bench_ui import settings_for  # noqa: E402
from reader.archive import Archive  # noqa: E402
from reader.index.searcher import IndexStatus  # noqa: E402
from reader.session.search import FIRST_PAGE_CHECKS, Searcher, _parsed  # noqa: E402
from reader.session.title_hits import title_hits  # noqa: E402
from reader.session.unindexed import Unindexed  # noqa: E402
from bench_typing import TYPED  # noqa: E402


def cpu_ms(fn) -> float:
    started = time.process_time()
    fn()
    return (time.process_time() - started) * 1000


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def played_partial(searcher: Searcher, fraction: float) -> tuple[int, int]:
    """The searchers see the index as partial, holding its first segments only: returns
    (articles in those segments, segments)."""
    segments = searcher.index.held_segments()
    held, count = [], 0
    for segment in segments:
        if count >= fraction * len(searcher._catalog):
            break
        held.append(segment)
        count += len(segment[1])
    for role in ("quick", "full"):
        searcher._index(role).held_segments = lambda held=held: held
    searcher.index.status = lambda: IndexStatus(count, False, True)
    return count, len(held)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", type=Path, required=True)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--queries", type=int, default=10)
    ap.add_argument("--indexed", type=float, default=0.1, help="fraction indexed")
    args = ap.parse_args()
    archive = Archive.open(args.archive, settings_for(args.data))
    classes = query_classes(archive, args.queries)
    classes["typing prefix"] = list(TYPED)
    classes["zh 2 char"].append("银行")
    searcher = Searcher(archive)
    searcher.state = _Marks()
    searcher.set_articles(archive.cached())
    searcher.warm_up()
    complete = {name: [(cpu_ms(lambda q=q: searcher.search(q, limit=100)),
                        cpu_ms(lambda q=q: searcher.search(q, limit=0))) for q in queries]
                for name, queries in classes.items()}
    held, segments = played_partial(searcher, args.indexed)
    catalog = searcher._catalog
    view = Unindexed()
    first = cpu_ms(lambda: view.rows(catalog.titles, searcher.index.held_segments()[:-1]))
    commit = cpu_ms(lambda: view.rows(catalog.titles, searcher.index.held_segments()))
    rest = view.rows(catalog.titles, searcher.index.held_segments())
    print(f"{len(catalog):,} articles, {held:,} in {segments} segments played as indexed, "
          f"{len(rest):,} searched by title")
    print(f"articles-not-indexed view: first made {first:.1f} ms, after a commit "
          f"{commit:.1f} ms CPU")
    print("CPU ms p50 / p95          complete index         partial index (union)"
          "      title part, first page / all")
    print("                          page      list         page      list")
    tz = archive.settings.tzinfo
    for name, queries in classes.items():
        page, whole, title_page, title_all = [], [], [], []
        for q in queries:
            page.append(cpu_ms(lambda q=q: searcher.search(q, limit=100)))
            whole.append(cpu_ms(lambda q=q: searcher.search(q, limit=0)))
            parsed = _parsed(q, tz)
            title_page.append(cpu_ms(lambda p=parsed: title_hits(
                rest, p, catalog.by_path, searcher.state, 100, FIRST_PAGE_CHECKS)))
            title_all.append(cpu_ms(lambda p=parsed: title_hits(
                rest, p, catalog.by_path, searcher.state)))
        done = complete[name]
        print(f"{name:16} {_pair([c[0] for c in done])} {_pair([c[1] for c in done])}   "
              f"{_pair(page)} {_pair(whole)}   {_pair(title_page)} {_pair(title_all)}")
    print(f"(medians of the union's first page: {median(page):.1f} ms, last class)")
    searcher.close()
    archive.close()


def _pair(values: list[float]) -> str:
    return f"{pct(values, 0.5):5.1f}/{pct(values, 0.95):6.1f}"


class _Marks:
    def read_set(self) -> frozenset[str]:
        return frozenset()

    starred_set = new_set = read_set

    def added_between(self, start, end) -> frozenset[str]:
        return frozenset()


if __name__ == "__main__":
    main()
