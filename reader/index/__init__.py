"""Full-text search over an archive: Chinese-aware Whoosh index, kept up to date
incrementally in a child process, searched with our query language.

    from reader.index import SearchIndex, index_dir_of, update_index
    summary = update_index(archive)                 # blocking: call it from a worker
    summary = update_index(archive, delta=scan.delta, parsed=scan.parsed)  # just a change
    index = SearchIndex.open(index_dir_of(archive))
    results = index.search("英伟达 lang:zh-CN", limit=50)

No Textual here: the UI calls these from worker threads.
"""

from reader.index.query import QueryError
from reader.index.results import Hit, SearchResults
from reader.index.searcher import IndexStatus, SearchIndex
from reader.index.updater import UpdateSummary, index_dir_of, update_index

__all__ = ["Hit", "IndexStatus", "QueryError", "SearchIndex", "SearchResults",
           "UpdateSummary", "index_dir_of", "update_index"]
