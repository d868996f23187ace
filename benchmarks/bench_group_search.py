"""First page of a search within a tree group, as the reader asks for it.

    python benchmarks/bench_group_search.py --archive /work/shared/corpus/bulwark/content \
        --data /tmp/groups-data

`--data` is a data dir whose index of the archive is complete (it is used, never
rebuilt).  For each query, `Services.search` with the reader's first page (100
hits, newest first) within All and within the biggest source group; each
search is repeated and the median taken (the first, which warms the term sets,
is not counted).  Prints the median over the queries of each scope, in ms.
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
REPEATS = 7


def first_page_ms(services: Services, query: str, group) -> float:
    times = []
    for _ in range(REPEATS + 1):
        started = time.perf_counter()
        services.search(query, group, limit=100)
        times.append(time.perf_counter() - started)
    return median(times[1:]) * 1000


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
    for name, group in (("All", ("all", "")), ("source", biggest), ("unread", ("unread", ""))):
        per_query = [first_page_ms(services, q, group) for q in QUERIES]
        print(f"within {name:7}: median {median(per_query):6.2f} ms, "
              f"max {max(per_query):6.2f} ms over {len(QUERIES)} queries")
    services.close()


if __name__ == "__main__":
    main()
