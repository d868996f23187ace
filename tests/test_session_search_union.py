"""While the first index is built, the reader searches the index's part and the titles of
the articles not indexed yet, each hit once (issue 9, attack defect D9: early on, the
list held fewer hits than the titles-only search had given)."""

from __future__ import annotations

import threading

import pytest

from reader.archive import Archive
from reader.index import update_index
from reader.index.searcher import SearchIndex
from reader.index.query import Node
from reader.index.store import load_manifest, save_manifest
from reader.index import index_dir_of
from reader.session import search as session_search
from reader.session.title_hits import excludes_words
from reader.session.unindexed import Unindexed
from tests.conftest import article_text

# (path, title, body): newest first; the newest six are indexed
ARTICLES = [
    ("wsj/11.md", "Markets 11", "银行 results.\n"),
    ("reuters/10.md", "银行利率 10", "Rates.\n"),
    ("wsj/09.md", "Oil 09", "Nothing here.\n"),
    ("reuters/08.md", "Oil 08", "银行 in the body.\n"),
    ("wsj/07.md", "Gold 07", "Gold.\n"),
    ("reuters/06.md", "Gold 06", "Gold.\n"),
    ("wsj/05.md", "銀行 05", "Traditional title.\n"),  # not indexed from here on
    ("reuters/04.md", "Oil 04", "银行 only in the body.\n"),
    ("reuters/03.md", "银行利率 03", "Rates.\n"),
    ("wsj/02.md", "Big 银行 02", "Banks.\n"),
    ("reuters/01.md", "Companies 01", "Firms.\n"),
    ("wsj/00.md", "Gold 00", "Gold.\n"),
]


@pytest.fixture
def partial(archive_factory, settings):
    """A searcher over the archive with only its newest six articles indexed, as between
    two commits of a first index."""
    files = {path: article_text(title, f"2025-01-{10 + i:02d} 10:00:00", body)
             for i, (path, title, body) in enumerate(reversed(ARTICLES))}
    archive = Archive.open(archive_factory(files), settings)
    articles = archive.scan().articles
    update_index(archive, articles=[a for a in articles if a.path in NEWEST_SIX])
    manifest = load_manifest(index_dir_of(archive))
    manifest.complete = False
    save_manifest(index_dir_of(archive), manifest)
    searcher = session_search.Searcher(archive)
    searcher.set_articles(articles)
    yield searcher
    searcher.close()
    archive.close()


NEWEST_SIX = {path for path, _, _ in ARTICLES[:6]}


def test_a_title_hit_among_the_articles_not_indexed_is_found(partial):
    full = partial.search("银行", limit=0)
    assert full.paths == ["wsj/11.md", "reuters/10.md", "reuters/08.md",  # the index's
                          "wsj/05.md", "reuters/03.md", "wsj/02.md"]  # their titles (銀行 too)
    assert full.complete and full.total == 6 and full.total_exact
    assert full.message == ("searched the 6 of 12 articles indexed so far, "
                            "titles only for the other 6")
    first = partial.search("银行", limit=4)
    assert first.paths == full.paths[:4] and not first.complete


def test_title_hits_follow_the_query_as_the_index_reads_it(partial):
    def found(query):
        return partial.search(query, limit=0).paths

    assert found("银行 source:wsj") == ["wsj/11.md", "wsj/05.md", "wsj/02.md"]
    assert found("银行 -利率") == ["wsj/11.md", "reuters/08.md"]  # the index's only
    assert found("title:银行 -title:利率") == ["wsj/05.md", "wsj/02.md"]  # titles: exact
    assert found("gold OR big") == ["wsj/07.md", "reuters/06.md", "wsj/02.md", "wsj/00.md"]
    assert found("compan") == ["reuters/01.md"]  # typed: a prefix, plural stems too
    assert found("company") == ["reuters/01.md"]
    assert found("old") == []  # whole words, as the index: not inside "Gold"
    assert found("title:oil") == ["wsj/09.md", "reuters/08.md", "reuters/04.md"]


def test_hits_of_a_query_that_excludes_a_word_never_drop_as_the_index_grows(partial):
    """Attack defect D9-1: an article found by its title (03: 银行利率) left the hits
    once indexed, its body holding the excluded word (rates): the titles give no hits
    to such a query, and the status says so."""
    before = partial.search("银行 -rates", limit=0)
    assert before.paths == ["wsj/11.md", "reuters/08.md"] and before.total == 2
    assert before.message == ("searched the 6 of 12 articles indexed so far; the other 6 "
                              "once indexed (the query excludes words)")
    articles = partial.archive.scan().articles
    partial.update(articles, lambda done, total: None, threading.Event())
    after = partial.search("银行 -rates", limit=0)
    assert set(before.paths) <= set(after.paths) and after.message == ""
    assert after.paths == ["wsj/11.md", "reuters/08.md", "wsj/05.md", "reuters/04.md",
                           "wsj/02.md"]


def test_a_negated_clause_at_any_depth_that_reads_the_body_excludes_words():
    word, title_word = Node("word", "rates"), Node("word", "rates", ("title",))
    deep = Node("and", children=[Node("word", "a"), Node("or", children=[
        Node("word", "b"), Node("not", children=[Node("or", children=[title_word, word])])])])
    assert excludes_words(deep)
    assert not excludes_words(Node("and", children=[word, Node("not", children=[title_word])]))
    assert not excludes_words(word) and not excludes_words(None)


def test_by_relevance_the_title_hits_come_after_the_index_s(partial):
    ranked = partial.search("银行", limit=0, sort="relevance")
    assert set(ranked.paths[:3]) == {"wsj/11.md", "reuters/10.md", "reuters/08.md"}
    assert ranked.paths[3:] == ["wsj/05.md", "reuters/03.md", "wsj/02.md"]  # newest first


def test_an_article_both_indexed_and_a_title_hit_is_listed_once(partial, monkeypatch):
    """The articles not indexed are read before the search: a commit in between (here:
    a view that holds every article) gives some articles twice."""
    monkeypatch.setattr(Unindexed, "rows", lambda self, titles, segments: list(titles))
    full = partial.search("银行", limit=0)
    assert full.paths == ["wsj/11.md", "reuters/10.md", "reuters/08.md",
                          "wsj/05.md", "reuters/03.md", "wsj/02.md"]
    assert full.total == 6


def test_a_complete_index_is_searched_as_before(archive_factory, settings, monkeypatch):
    files = {path: article_text(title, f"2025-01-{10 + i:02d} 10:00:00", body)
             for i, (path, title, body) in enumerate(reversed(ARTICLES))}
    archive = Archive.open(archive_factory(files), settings)
    update_index(archive)
    searcher = session_search.Searcher(archive)
    try:
        searcher.set_articles(archive.scan().articles)

        def never(self):
            raise AssertionError("a complete index reads no segment's paths")

        monkeypatch.setattr(SearchIndex, "held_segments", never)
        full = searcher.search("银行", limit=0)
        direct = searcher.index.search("银行", limit=0, sort="date", paths_only=True,
                                       typing=True)
        assert full.paths == direct.paths and full.message == "" and full.complete
        assert len(full.paths) == 7  # 04 by its body too
    finally:
        searcher.close()
        archive.close()


def test_the_articles_not_indexed_shrink_by_each_commit_only():
    titles = [(f"{n}.md", f"title {n}") for n in range(6)]
    view = Unindexed()
    assert view.rows(titles, [("s1", ["0.md", "1.md"])]) == titles[2:]
    assert view.rows(titles, [("s1", ["0.md", "1.md"]), ("s2", ["2.md", None])]) == titles[3:]
    merged = [("s3", ["0.md", "1.md", "2.md"])]  # a merge: nothing new
    assert view.rows(titles, merged) == titles[3:]
    assert view.rows(titles, [("s4", ["5.md"])]) == titles[:5]  # rebuilt: made again
    more = [*titles, ("6.md", "title 6")]  # a new catalog
    assert view.rows(more, [("s4", ["5.md"])]) == [*titles[:5], ("6.md", "title 6")]


def test_a_negated_group_of_body_words_takes_the_index_s_hits_only(partial):
    """`-(a OR b)` excludes words as `-a` does: no title hit that its body could undo;
    a negated group of title words still looks in the titles (was read as
    `(NOT 利率 OR results) 银行`, and `-(title:` as body words)."""
    words = partial.search("银行 -(利率 OR results)", limit=0)
    assert words.paths == ["reuters/08.md"]
    assert words.message == ("searched the 6 of 12 articles indexed so far; the other 6 "
                             "once indexed (the query excludes words)")
    titles = partial.search("银行 -(title:利率 OR title:gold)", limit=0)
    assert titles.paths == ["wsj/11.md", "reuters/08.md", "wsj/05.md", "wsj/02.md"]
    assert titles.message == ("searched the 6 of 12 articles indexed so far, "
                              "titles only for the other 6")
    assert partial.search("(gold OR oil) source:wsj -(title:09)", limit=0).paths == \
        ["wsj/07.md", "wsj/00.md"]
    assert partial.search("(source:wsj OR source:none) (gold OR 银行)", limit=0).paths == \
        ["wsj/11.md", "wsj/07.md", "wsj/05.md", "wsj/02.md", "wsj/00.md"]
