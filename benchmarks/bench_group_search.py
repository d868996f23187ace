"""First page of a search within a tree group, as the reader asks for it.

    python benchmarks/bench_group_search.py --archive /work/shared/corpus/bulwark/content \
        --data /tmp/groups-data

`--data` is a data dir whose index of the archive is complete (it is used, never
rebuilt).  For each query, `Services.search` with the reader's first page (100
hits, newest first) within All and within the biggest source group; each
search is repeated and the median taken (the first, which warms the term sets,
is not counted).  Prints the median and the max over the queries of each scope, in
ms of wall time and of the calling thread's CPU time (on a shared machine the CPU
time is what the search itself costs).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.archive import Archive  # noqa: E402
from reader.config import Settings  # noqa: E402
from reader.session.services import Services  # noqa: E402

QUERIES = ("nvidia", "美国", "英伟达", "market", "inflation rate", "银行 OR bank", "tari",
           "earnings -crypto", "中国 经济", "oil")
REPEATS = 15
SAVED = "market OR stock OR 美国"  # a saved search's query


def first_page_ms(services: Services, query: str, group) -> tuple[float, float]:
    """(wall, CPU) median ms of the first page of `query` within `group`."""
    wall, cpu = [], []
    for _ in range(REPEATS + 1):
        started, started_cpu = time.perf_counter(), time.thread_time()
        services.search(query, group, limit=100)
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
    return median(wall[1:]) * 1000, median(cpu[1:]) * 1000


def held_groups(services: Services, key) -> list[tuple[str, tuple[str, str]]]:
    """A query group (a saved search: narrowed by its query) and a group holding the
    paths of `key` (narrowed by their docnums, looked up once per searcher and member
    set); each one's first search timed."""
    from reader.state import PathGroup

    keep = services.member(key)
    paths = frozenset(a.path for a in services.articles if keep(a))
    services.take_groups([services.query_group(("search", "q"), SAVED),
                          PathGroup(("search", "paths"), paths)])
    for name, held in (("query group", ("search", "q")), ("path group", ("search", "paths"))):
        started = time.perf_counter()
        services.search(QUERIES[0], held, limit=100)
        print(f"{name} of {services.counts[held].total:,}: first search "
              f"{(time.perf_counter() - started) * 1000:.2f} ms")
    return [("query", ("search", "q")), ("paths", ("search", "paths"))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    settings = Settings(data_root=args.data, config_path=args.data / "config.toml")
    services = Services(Archive.open(args.archive, settings), settings)
    services.open_state()
    services.set_articles(services.archive.cached())
    services.searcher.warm_up()
    biggest = max(services.counts.keys("source"), key=lambda k: services.counts[k].total)
    print(f"{len(services.articles):,} articles; source group {biggest[1]!r}: "
          f"{services.counts[biggest].total:,}")
    scopes = [("All", ("all", "")), ("source", biggest), ("unread", ("unread", ""))]
    if hasattr(services, "take_groups"):  # held groups (after the group abstraction)
        scopes += held_groups(services, biggest)
    for name, group in scopes:
        wall, cpu = zip(*(first_page_ms(services, q, group) for q in QUERIES))
        print(f"within {name:7}: wall median {median(wall):6.2f} ms, max {max(wall):6.2f}; "
              f"CPU median {median(cpu):6.2f} ms, max {max(cpu):6.2f} "
              f"({len(QUERIES)} queries)")
    services.close()


if __name__ == "__main__":
    main()
