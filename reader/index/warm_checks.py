"""The text checks of the saved searches and rules made at start in a child process,
while the reader loads its catalog, when the index keeps no answers for some of them.

A first start with 20 saved searches (no `text_checks.json` yet, or a search added
by hand) reads and checks some 11,000 files at 100k (1.4-2 s of CPU, 3-4 s in the
reader, beside the catalog's load in the same interpreter).  Once the index is
complete their answers are those of its segments (reader/index/kept_checks.py),
so they need not wait for the catalog: a spawned child (never forked: the reader
runs threads) finds each query's hit set, which keeps the answers, and writes the
file; the reader's own finding waits for it and reads the file (`SearchIndex.
reload_checks`), and checks only what the child left (nothing, most often).  A
child that fails or is slow changes nothing but the time: the reader finds
what is missing itself.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Iterable

from reader.index.kept_checks import CHECKS_FILE, KeptChecks, leaf_key
from reader.index.query import Node, QueryError, parse_query

WAIT_S = 30.0  # how long the reader's finding waits for the child, at most


def inexact_leaves(node: Node | None) -> list[Node]:
    """The leaves of a text tree whose answers the text check gives (runs, phrases)."""
    if node is None:
        return []
    if node.children:
        return [leaf for child in node.children for leaf in inexact_leaves(child)]
    return [] if node.exact else [node]


def needed(index_dir: Path, queries: Iterable[str], tz) -> list[str]:
    """The queries with a leaf the kept checks have no answers of."""
    kept = KeptChecks(index_dir / CHECKS_FILE)
    known = set(kept.leaves())
    out = []
    for query in queries:
        try:
            leaves = inexact_leaves(parse_query(query, tz).text)
        except QueryError:
            continue
        if any(leaf_key(leaf) not in known for leaf in leaves):
            out.append(query)
    return out


def start(index_dir: Path, root: Path | None, timezone: str, queries: list[str]
          ) -> multiprocessing.process.BaseProcess | None:
    """The child that checks `queries` (None: nothing to do)."""
    if not queries:
        return None
    child = multiprocessing.get_context("spawn").Process(
        target=check, args=(str(index_dir), str(root) if root else None, timezone, queries),
        name="newsreader-checks", daemon=True)
    child.start()
    return child


def wait(child: multiprocessing.process.BaseProcess | None, stop=lambda: False) -> None:
    """Until the child is done, WAIT_S at most, or `stop()`."""
    waited = 0.0
    while child is not None and child.is_alive() and waited < WAIT_S and not stop():
        child.join(0.1)
        waited += 0.1


def check(index_dir: str, root: str | None, timezone: str, queries: list[str]) -> None:
    """In the child: each query's hit set (which keeps its text checks), then the file."""
    from reader.index.searcher import SearchIndex

    index = SearchIndex.open(Path(index_dir), root=Path(root) if root else None,
                             timezone=timezone)
    for query in queries:
        try:
            index.hit_set(parse_query(query, index.tz))
        except QueryError:
            continue
    index.keep_checks()
