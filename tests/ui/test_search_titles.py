"""The title search behind "Jump to" and the fallback before the index: folded like the index."""

from __future__ import annotations

from datetime import datetime, timezone

from reader.archive.model import Article
from reader.session.catalog import folded_titles
from reader.session.search import Searcher


def art(path: str, title: str) -> Article:
    return Article(path, title, datetime(2025, 1, 1, tzinfo=timezone.utc))


def test_a_simplified_needle_finds_a_traditional_title_and_the_reverse(tmp_path):
    searcher = Searcher(archive=None)
    searcher.set_articles([art("a", "銀行淨息差受壓"), art("b", "英伟达发布财报"),
                           art("c", "Bank Rates")])
    assert searcher.title_matches("银行") == ["a"]
    assert searcher.title_matches("英偉達") == ["b"]
    assert searcher.title_matches("bank RATES") == ["c"]
    outcome = searcher.search_titles("淨息差 银行", lambda: False)
    assert outcome.paths == ["a"]


def test_folding_titles_in_chunks_matches_folding_each():
    titles = [f"第{i}條 銀行 News {i}" for i in range(4500)]
    from reader.index.analysis import fold

    assert folded_titles(titles, chunk=1000) == [fold(t) for t in titles]
