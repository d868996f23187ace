"""What parsing a query costs, per keystroke, in CPU time (the reader parses the box's
query at every key, as typed, before it searches).

    python benchmarks/bench_query_parse.py [--rounds N]

For each query (plain words, OR, negation, filters, Chinese, groups), the CPU time
(time.process_time) of `parse_query(query, tz, typing=True)`, the median of
`--rounds` rounds of 2,000 parses, in microseconds a parse.  Run it with
PYTHONPATH at another checkout to compare (the groups' rows fail to parse as groups
there, but are timed all the same).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from statistics import median
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.index.query import QueryError, parse_query  # noqa: E402

QUERIES = ["nvid", "nvidia earnings", "英伟达", "英偉達 OR 特斯拉 stocks -crypto open*",
           'tag:AI lang:zh-CN "rate cut" after:2025-02-01', "-(oil OR rates) lang:en",
           "(lang:en OR lang:zh-CN) nvidia", "((a OR b) c) OR -(d e) (英伟达 OR 芯片)"]
PARSES = 2_000


def cost(query: str, rounds: int) -> float:
    """Median CPU microseconds of one parse."""
    tz, times = ZoneInfo("Asia/Shanghai"), []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(PARSES):
            try:
                parse_query(query, tz, typing=True)
            except QueryError:
                pass
        times.append((time.process_time() - started) / PARSES * 1e6)
    return median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for query in QUERIES:
        print(f"{cost(query, args.rounds):8.1f} µs CPU  {query}")


if __name__ == "__main__":
    main()
