"""Every hit of a query as a set (`SearchIndex.hit_set`, what a saved search holds): exactly
the paths the ranked search lists with limit 0, for a spread of queries (inexact CJK runs
and phrases, OR, NOT, prefixes, filters, dates, is: terms) and scopes (paths, a field, the
reading state, a query), over an index of several segments with deleted and replaced
documents that does not hold every file of the archive."""

from __future__ import annotations

import os
from datetime import timezone

import pytest
from conftest import article_text

from reader.archive import Archive, Delta
from reader.archive.parse import parse_file
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index.query import Filter, Scope, parse_query
from reader.index.whoosh_patches.path_terms import segment_paths

EN = "content/en/news/{}/{}.en.md"
ZH = "content/zh-CN/news/{}/{}.md"
HK = "content/zh-HK/news/{}/{}.md"
BODIES = ["The central bank held rates.", "A bank run in the north; central heating.",
          "Harvest is late.", "英伟达发布新芯片。", "Central heating and a bank holiday.",
          "英国伟大的达人。", "Centre of the market, centrally.", "美国银行的消息。"]
PHRASES = ["Interest Rates rose.", "INTEREST RATES", "interest-rates", "interest\nrates",
           "the interest ratesX", "美国经济interest rates", "ｉｎｔｅｒｅｓｔ rates",
           "interest rates\u0301 up", "interest\u200brates", "interest rate", "interest\u00a0rates",
           "美国 rates", "利率interest rates。", "the interest_rates", "İnterest rates"]
QUERIES = ["bank", '"central bank"', "英伟达", "英偉達", "harvest OR 英伟达", "bank -central",
           "-英伟达", "英伟达 -芯片", '-"central bank"', "source:daily bank", "lang:en -bank",
           "lang:zh", "lang:zh-hk", "tag:ai", "cent*", "cent* OR 英伟达", "after:2025-02-05",
           "date:2025-02", "before:2025-02-04 bank", "is:unread bank", "is:starred",
           "-is:read 英伟达", "title:story", "美", '芯片 OR "bank holiday"', "-source:wire",
           '"heating and"', "nothing-here", "英伟达 OR 伟大 OR nvidia", '"interest rates"',
           '"rates interest"', '"美国 rates"', '"美国经济 interest"', '"interest rates" -美国',
           '"interest rates" OR 美国', 'title:"interest rates"', '"利率 interest"']


class Marks:
    def __init__(self, read, starred):
        self.read, self.starred = frozenset(read), frozenset(starred)

    def read_set(self):
        return self.read

    def starred_set(self):
        return self.starred


def write(archive, files: dict[str, str]) -> tuple[Delta, dict]:
    """Files written and stored in the cache as a scan of just them does."""
    parsed = {}
    for rel, text in files.items():
        (archive.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (archive.root / rel).write_text(text, encoding="utf-8")
        parsed[rel] = parse_file(archive.root, rel, archive.tz)
    archive.cache.store([(p.article, rel, os.stat(archive.root / rel).st_mtime_ns)
                         for rel, p in parsed.items()], [])
    return Delta(added=tuple(p.article for p in parsed.values())), parsed


def story(i: int, tags=()) -> str:
    return article_text(f"Story {i}", date=f"2025-02-{1 + i % 27:02d} 10:00:00",
                        body=BODIES[i % len(BODIES)] + "\n", tags=list(tags))


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from reader.config import Settings

    tmp = tmp_path_factory.mktemp("hitsets")
    settings = Settings(data_root=tmp / "data", config_path=tmp / "config.toml")
    first = {EN.format("wire" if i % 3 else "daily", i): story(i, ["AI"] if i % 4 == 0 else ())
             for i in range(24)}
    first[ZH.format("xinhua", "z1")] = article_text("芯片", body="英伟达的新闻。")
    first.update({EN.format("rates", i): article_text(
        text if i % 2 else f"Rates {i}", body=f"{text}\n", summary=text if i % 3 == 0 else "")
        for i, text in enumerate(PHRASES)})
    first[HK.format("hk", "h1")] = article_text("晶片", body="英偉達的新聞。美國。")
    root = tmp / "archive"
    for rel, text in first.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    archive = Archive.open(root, settings)
    assert update_index(archive).added == len(first)
    for batch in range(3):  # more segments, with deletions and replaced documents
        delta, parsed = write(archive, {EN.format("late", f"{batch}-{i}"): story(batch * 7 + i)
                                        for i in range(6)})
        gone = EN.format("wire", (1, 2, 4)[batch])
        (archive.root / gone).unlink()
        archive.cache.forget([gone])
        edited, more = write(archive, {EN.format("daily", 3 * batch): story(3 + batch)})
        update_index(archive, delta=Delta(added=delta.added, changed=edited.added,
                                          removed=(gone,)), parsed={**parsed, **more})
    write(archive, {EN.format("unindexed", i): story(i) for i in range(4)})  # not indexed
    index = SearchIndex.open(index_dir_of(archive), root=archive.root)
    yield index
    index.close()


def listed(index, query, state, scope=None) -> set[str]:
    results = index.search(query, limit=0, sort="date", state=state, paths_only=True,
                           scope=scope)
    assert not results.error
    return set(results.paths)


def found(index, query, state, scope=None) -> set[str]:
    results = index.hit_set(parse_query(query, index.tz), state, scope)
    assert not results.error and results.total == len(results.paths)
    assert len(results.paths) == len(set(results.paths))
    return set(results.paths)


def all_paths(index) -> list[str]:
    return sorted(index.search("date:2025", limit=0, paths_only=True).paths)


def test_the_index_has_several_segments_with_deleted_documents(index):
    searcher = index._current()
    leaves = [sub.reader() for sub, _ in searcher.leaf_searchers()]
    assert len(leaves) >= 2 and any(r.has_deletions() for r in leaves)


@pytest.mark.parametrize("query", QUERIES)
def test_the_set_is_the_ranked_searchs_list(index, query):
    paths = all_paths(index)
    marks = Marks(paths[::3], paths[::4])
    assert found(index, query, marks) == listed(index, query, marks)
    assert listed(index, query, marks) == set(
        index.search(query, limit=0, state=marks, paths_only=True).paths)  # by relevance


@pytest.mark.parametrize("query", QUERIES)
def test_the_set_within_a_scope_is_the_ranked_searchs_list(index, query):
    paths = all_paths(index)
    marks = Marks(paths[1::3], paths[::5])
    some = frozenset(paths[::2] + ["content/en/news/unindexed/1.en.md", "not/there.md"])
    newest = frozenset(p for p in paths if "/late/2-" in p or "/daily/6." in p)  # one segment
    for scope in (Scope(paths=some), Scope(paths=newest),
                  Scope(filters=(Filter("source", "wire"),)),
                  Scope(states=(("unread", False),)),
                  Scope(text=parse_query("bank OR 英伟达", index.tz).text)):
        assert found(index, query, marks, scope) == listed(index, query, marks, scope), scope


def test_removed_and_unindexed_articles_are_never_hits(index):
    hits = found(index, "date:2025", Marks((), ()))
    assert "content/en/news/wire/1.en.md" not in hits  # deleted from the index
    assert not any("/unindexed/" in p for p in hits)
    assert "content/en/news/daily/0.en.md" in hits  # replaced: its live document only
    assert found(index, "bank", Marks((), ()), Scope(paths=frozenset(["not/there.md"]))) == set()


def test_every_segment_path_is_its_stored_path(index):
    searcher = index._current()
    for sub, _ in searcher.leaf_searchers():
        reader = sub.reader()
        assert segment_paths(reader) == [reader.stored_fields(d)["path"]
                                         for d in range(reader.doc_count_all())]


def test_a_prefix_inside_or_finds_every_word_it_starts(index):
    marks = Marks((), ())
    assert listed(index, "cent* OR zzzz", marks) == listed(index, "cent*", marks)
    assert found(index, "cent* OR zzzz", marks) == listed(index, "cent*", marks)


def test_is_terms_need_the_reading_state(index):
    assert index.hit_set(parse_query("is:read", timezone.utc)).error


def test_a_few_paths_are_searched_in_their_segments_only(index):
    paths = all_paths(index)
    newest = frozenset(p for p in paths if "/late/2-" in p)
    assert found(index, "bank OR -英伟达", Marks((), ()), Scope(paths=newest))
    searcher, _, finder = index._within
    assert 0 < len(finder.leaves) < len(list(searcher.leaf_searchers()))


def test_a_phrase_is_found_where_its_words_stand_together_whatever_the_case(index):
    hits = {p.rsplit("/", 1)[1] for p in found(index, '"interest rates"', Marks((), ()))}
    written = [t for i, t in enumerate(PHRASES) if f"{i}.en.md" in hits]
    assert {"Interest Rates rose.", "INTEREST RATES", "interest-rates", "interest\nrates",
            "ｉｎｔｅｒｅｓｔ rates", "利率interest rates。", "the interest_rates"} <= set(written)
    assert not {"the interest ratesX", "interest rate", "interest rates\u0301 up"} & set(written)
