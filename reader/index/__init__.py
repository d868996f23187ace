"""Full-text search over an archive: Chinese-aware Whoosh index, kept up to date
incrementally in a child process, searched with our query language.

    from reader.index import SearchIndex, index_dir_of, update_index
    summary = update_index(archive)                 # blocking: call it from a worker
    summary = update_index(archive, delta=scan.delta, parsed=scan.parsed)  # just a change
    index = SearchIndex.open(index_dir_of(archive))
    results = index.search("英伟达 lang:zh-CN", limit=50)

No Textual here: the UI calls these from worker threads.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from reader.index import whoosh_import

whoosh_import.install()  # Whoosh, once imported, without urllib.request (0.05 s)

if TYPE_CHECKING:
    from reader.index.query import QueryError
    from reader.index.results import Hit, SearchResults
    from reader.index.searcher import IndexStatus, SearchIndex
    from reader.index.updater import UpdateSummary, index_dir_of, merge_index, update_index

# Each name's module, imported on first use: `newsreader` (and every worker process it
# spawns, which imports it again) needs reader.index.syntax for its help, not Whoosh
# (0.3 s of CPU).
_HOMES = {"QueryError": "query", "Hit": "results", "SearchResults": "results",
          "IndexStatus": "searcher", "SearchIndex": "searcher", "UpdateSummary": "updater",
          "index_dir_of": "updater", "update_index": "updater", "merge_index": "updater"}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
