"""The first page of a search as the reader asks for it: exactly the head of the complete
list, found without a pass over every hit, from posting lists read block by block."""

from __future__ import annotations

import pytest
from whoosh import query as wq

from conftest import article_text, write_archive
from reader.archive import Archive
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index.candidates import CandidateFinder
from reader.index.docsets import prefix_docs, term_docs

COUNT = 330  # past Whoosh's 128 postings a block: "market" spans three blocks


def _files() -> dict[str, str]:
    files = {}
    for n in range(COUNT):
        day, hour = 1 + n % 28, n % 3  # many articles share a date: ties must be ordered
        words = ["market report"] + (["alpha"] if n % 2 else []) + \
            (["production"] if n % 5 == 0 else ["profit"] if n % 7 == 0 else [])
        files[f"content/en/news/src/{n:04d}.en.md"] = article_text(
            f"Report {n}", f"2025-01-{day:02d} 0{hour}:00:00", " ".join(words) + ".\n",
            lang="en")
    return files


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    from reader.config import Settings

    tmp = tmp_path_factory.mktemp("first-page")
    settings = Settings(data_root=tmp / "data", config_path=tmp / "config.toml")
    root = write_archive(tmp / "archive", _files())
    archive = Archive.open(root, settings)
    update_index(archive)
    for n in range(0, COUNT, 11):  # deleted documents stay in their segment
        (root / f"content/en/news/src/{n:04d}.en.md").unlink()
    archive.scan()
    update_index(archive)
    index = SearchIndex.open(index_dir_of(archive), root=root)
    index.warm()
    yield index
    index.close()


@pytest.mark.parametrize("query", ["market", "alpha", "profit", "pro", "prod", "report alph"])
@pytest.mark.parametrize("limit", [1, 7, 100])
def test_the_first_page_is_the_head_of_the_complete_list(indexed, query, limit):
    complete = indexed.search(query, limit=0, sort="date", paths_only=True, typing=True).paths
    first = indexed.search(query, limit=limit, sort="date", typing=True)
    assert first.paths == complete[:limit]
    assert first.total == len(complete)


def test_the_complete_list_is_newest_first_with_every_hit(indexed):
    hits = indexed.search("alpha", limit=0, sort="date").hits
    alive = [n for n in range(COUNT) if n % 2 and n % 11]
    assert sorted(h.path for h in hits) == [f"content/en/news/src/{n:04d}.en.md" for n in alive]
    dates = [h.date for h in hits]
    assert dates == sorted(dates, reverse=True)


class _CountingSet(set):
    """A set that counts the members handed out or asked about."""

    looked_at = 0

    def __iter__(self):
        for item in super().__iter__():
            self.looked_at += 1
            yield item

    def __contains__(self, item):
        self.looked_at += 1
        return super().__contains__(item)


def test_the_newest_of_a_broad_set_look_at_a_fraction_of_it(indexed):
    finder = CandidateFinder(indexed._current())
    finder.newest_order()  # as the reader warms it
    docs = _CountingSet(finder.all_docs())
    newest = finder.newest(docs, 10)
    assert newest == finder.newest(set(docs), None)[:10]
    assert docs.looked_at < len(docs) / 4  # a heap over the set looks at every member


def test_equal_dates_are_ordered_by_document_number_in_every_way(indexed):
    finder = CandidateFinder(indexed._current())
    dates = finder.dates()
    every = finder.newest(set(finder.all_docs()), None)
    assert every == sorted(every, key=lambda d: (-dates[d], d))
    some = set(every[::5])  # a narrow set: sorted, not walked
    assert finder.newest(some, None) == [d for d in every if d in some]
    assert finder.newest(some, 3) == [d for d in every if d in some][:3]


def test_without_the_order_the_newest_are_picked_from_the_dates_alike(indexed):
    warmed, cold = CandidateFinder(indexed._current()), CandidateFinder(indexed._current())
    warmed.newest_order()
    every = warmed.newest(set(warmed.all_docs()), None)
    for some in (set(every), set(every[::3]), set(every[1::7]), set()):
        for limit in (None, 1, 5, 40, len(some), len(some) + 1):
            assert cold.newest(some, limit) == warmed.newest(some, limit)
    assert cold._order is None  # one search alone never sorts the whole archive


@pytest.mark.parametrize("query", ["market", "alpha", "pro*", "report -alpha"])
def test_a_search_without_warming_lists_what_a_warmed_one_does(indexed, query):
    cold = SearchIndex.open(indexed.index_dir, root=indexed.root)
    for sort in ("date", "relevance"):
        for limit in (0, 7):
            assert cold.search(query, limit=limit, sort=sort).paths == \
                indexed.search(query, limit=limit, sort=sort).paths
    cold.close()


@pytest.mark.parametrize("term", ["market", "alpha", "report", "production", "absent"])
def test_posting_lists_read_block_by_block_are_whooshs(indexed, term):
    searcher = indexed._current()
    assert any(sub.reader().has_deletions() for sub, _ in searcher.leaf_searchers())
    for field in ("title", "body"):
        assert term_docs(searcher, field, [term]) == \
            set(searcher.docs_for_query(wq.Term(field, term)))
    expected = set(searcher.docs_for_query(wq.Or([wq.Prefix(f, term[:3])
                                                  for f in ("title", "body")])))
    assert prefix_docs(searcher, ("title", "body"), term[:3], {}) == expected


def test_warming_an_index_that_does_not_exist_yet_does_nothing(tmp_path):
    index = SearchIndex.open(tmp_path / "no-index")
    index.warm()
    assert index.search("market").hits == []
