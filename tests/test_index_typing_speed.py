"""The shortcuts that make a keystroke's first page cheap give exactly what the slow
way gives: filters' docnum sets, the first page against the complete list's head
(Chinese, English, prefixes, filters, OR, phrases, within a scope; newest first and
by relevance), on an index of several segments with deleted documents."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from whoosh import query as wq

from conftest import article_text, index_in_one_commit, write_archive
from reader.archive import Archive
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index import prefixes
from reader.index.prefixes import PrefixTerms
from reader.index.whoosh_patches.prefix_records import segment_prefix_terms
from reader.index.matching import filter_query
from reader.index.query import Filter, Scope, parse_query

COUNT = 360
SOURCES = ("wsj", "hk01", "reuters", "ft")
LANGS = ("zh-CN", "zh-HK", "en", "en")
ZH = ("银行业务上涨", "面上涨势", "交易所公告", "银行 上涨", "上涨的面", "交易 所", "銀行上漲",
      "涨的面上")
EN = ("supply chains", "support for the bank", "superb earnings", "through the year",
      "partnered with", "throughput", "the parts supplier", "earnings through")


def _body(n: int) -> str:
    zh, en = ZH[n % len(ZH)], EN[n % len(EN)]
    if n % 4 < 2:
        return f"{zh}，{ZH[(n // 3) % len(ZH)]}。{en}.\n"
    return f"{en}. {EN[(n // 5) % len(EN)]} and {ZH[(n // 7) % len(ZH)]}.\n"


def _files(numbers) -> dict[str, str]:
    files = {}
    for n in numbers:
        source, lang = SOURCES[n % 4], LANGS[n % 4]
        month, day, hour = 1 + n % 12, 1 + n % 28, n % 24
        title = f"{ZH[(n // 2) % len(ZH)]} {n}" if n % 3 == 0 else f"{EN[(n // 2) % 8]} {n}"
        files[f"content/{lang}/news/{source}/{n:04d}.{lang}.md"] = article_text(
            title, f"2024-{month:02d}-{day:02d} {hour:02d}:00:00", _body(n), lang=lang,
            tags=["市场" if n % 5 else "macro"], categories=["news"])
    return files


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    from reader.config import Settings

    tmp = tmp_path_factory.mktemp("typing-speed")
    settings = Settings(data_root=tmp / "data", config_path=tmp / "config.toml")
    root = write_archive(tmp / "archive", _files(range(0, COUNT // 2)))
    archive = Archive.open(root, settings)
    index_in_one_commit(archive)  # one segment, then a second
    write_archive(root, _files(range(COUNT // 2, COUNT)))  # a second segment
    for n in range(0, COUNT, 13):  # deleted documents stay in their segment
        next(root.glob(f"content/*/news/*/{n:04d}.*.md")).unlink()
    archive.scan()
    update_index(archive)
    index = SearchIndex.open(index_dir_of(archive), root=root)
    index.warm()
    assert len(index._current().leaf_searchers()) > 1
    yield index
    index.close()


FILTERS = ["lang:en", "lang:zh", "lang:zh-HK", "lang:e", "source:wsj", "tag:市场", "tag:macro",
           "cat:news", "after:2024-06-01", "before:2024-03-15", "date:2024-05",
           "date:2024-07-07", "after:2024-12-20", "before:2024-01-01"]


@pytest.mark.parametrize("text", FILTERS)
def test_a_filters_documents_are_those_whoosh_finds(indexed, text):
    searcher = indexed._current()
    assert any(sub.reader().has_deletions() for sub, _ in searcher.leaf_searchers())
    f = parse_query(text, indexed.tz).filters[0]
    expected = set(searcher.docs_for_query(filter_query(f)))
    assert indexed._finder(searcher).filter_docs(f) == expected
    assert expected or text in ("lang:e", "before:2024-01-01")


def test_filters_are_not_walked_posting_by_posting(indexed, monkeypatch):
    """Whoosh's docs_for_query took 0.5 s of CPU for `after:2024-06-01 lang:en` at 100k."""
    searcher = indexed._current()
    expected = indexed.search("support after:2024-06-01 lang:en", limit=0, sort="date").paths
    indexed._filters.clear()

    walked, docs_for_query = [], searcher.docs_for_query

    def walking(q, *args, **kwargs):
        walked.append(q)  # (raising would mark the index damaged)
        return docs_for_query(q, *args, **kwargs)

    monkeypatch.setattr(searcher, "docs_for_query", walking)
    assert indexed.search("support after:2024-06-01 lang:en", limit=0, sort="date").paths \
        == expected != []
    assert walked == []


QUERIES = ["银行", "上涨", "面上涨", "的面上", "银行上涨", "銀行上漲", "交易所", "交易 所", "上", "的",
           "supply", "sup", "thr", "earnings", "through", "part", "parts", "supp*", "th",
           "through after:2024-06-01 lang:en", "上涨 lang:zh-CN", "银行 source:wsj",
           "sup tag:市场", "面上涨 after:2024-03-01", "银行 OR earnings", "supply OR 交易所",
           '"supply chains"', '"the bank', "银行 -上涨", "earnings -through", "title:银行",
           "title:sup", "上涨 sup", "面上涨 thr", "tag:macro", "after:2024-06-01 lang:en"]
SCOPES = [None, Scope(filters=(Filter("source", "reuters"),)),
          Scope(filters=(Filter("lang", "zh"),)),
          Scope(text=parse_query("上涨 OR earnings", ZoneInfo("UTC")).text)]


@pytest.mark.parametrize("broad", [False, True])
@pytest.mark.parametrize("sort", ["date", "relevance"])
@pytest.mark.parametrize("scope", range(len(SCOPES)))
def test_the_first_page_is_the_complete_lists_head(indexed, sort, scope, broad, monkeypatch):
    """`broad`: every query past BROAD postings (ordered title matches first, not scored)."""
    if broad:
        monkeypatch.setattr("reader.index.searcher.BROAD", 1)
    for query in QUERIES:
        complete = indexed.search(query, limit=0, sort=sort, paths_only=True, typing=True,
                                  scope=SCOPES[scope])
        for limit in (1, 7, 30):
            first = indexed.search(query, limit=limit, sort=sort, paths_only=True,
                                   typing=True, scope=SCOPES[scope])
            assert not first.error and not complete.error
            assert (query, first.paths) == (query, complete.paths[:limit])
            assert first.total == complete.total or not first.total_exact, query


def test_a_prefix_typed_on_is_narrowed_from_the_walk_before(indexed, monkeypatch):
    searcher = indexed._current()
    prefixes._COMMITS.clear()  # (the tests before walked on this commit)
    terms = PrefixTerms(searcher)
    walks = []
    monkeypatch.setattr(prefixes, "segment_prefix_terms",
                        lambda *a: walks.append(a[2]) or segment_prefix_terms(*a))
    for prefix in ["sup", "supp", "suppl", "supply", "su", "sup", "support", "thr", "through",
                   "throughput", "zzz", "银", "银行", "earnings", "ear"]:
        expected = set(searcher.docs_for_query(wq.Or([wq.Prefix(f, prefix)
                                                      for f in ("title", "body")])))
        assert terms.docs(("title", "body"), prefix) == expected, prefix
    walked = ["ear", "earnings", "su", "sup", "thr", "zzz", "银"]
    segments = sum(1 for sub, _ in searcher.leaf_searchers() if sub.reader().doc_count_all())
    assert sorted(set(walks)) == walked and len(walks) == len(walked) * 2 * segments


def test_a_prefix_inside_or_finds_every_word_it_starts(indexed):
    """`银行 OR earn` while typing: `earn` was looked up as the whole word only."""
    def paths(query):
        return set(indexed.search(query, limit=0, sort="date", paths_only=True).paths)

    typed = set(indexed.search("银行 OR earn", limit=0, sort="date", paths_only=True,
                               typing=True).paths)
    assert typed == paths("银行") | paths("earn*") != paths("银行") | paths("earn")


def test_a_run_typed_on_checks_the_texts_the_key_before_read(indexed, monkeypatch):
    import reader.index.searcher as searcher_module

    read = []
    checked_text = searcher_module.checked_text
    monkeypatch.setattr(searcher_module, "checked_text",
                        lambda root, stored: read.append(stored["path"]) or
                        checked_text(root, stored))
    getattr(indexed, "_texts", {}).clear()  # (kept by the tests before)
    indexed.search("的面上", limit=5, sort="date", paths_only=True, typing=True)
    before = len(read)
    typed_on = indexed.search("的面上涨", limit=5, sort="date", paths_only=True, typing=True)
    assert before > 0 and len(read) == before  # every candidate was checked a key before
    assert typed_on.paths == indexed.search("的面上涨", limit=0, sort="date").paths[:5]


def test_a_kept_text_is_checked_without_reading_its_stored_fields(indexed, monkeypatch):
    searcher = indexed._current()
    getattr(indexed, "_texts", {}).clear()
    indexed.search("面上涨", limit=5, sort="date", paths_only=True, typing=True)
    read, stored_fields = [], searcher.stored_fields
    monkeypatch.setattr(searcher, "stored_fields", lambda docnum: read.append(docnum) or
                        stored_fields(docnum))
    typed_on = indexed.search("面上涨势", limit=5, sort="date", paths_only=True, typing=True)
    assert read == [] and typed_on.paths


def _prefix_walks(monkeypatch) -> list[str]:
    walks = []
    monkeypatch.setattr(prefixes, "segment_prefix_terms",
                        lambda *a: walks.append(a[2]) or segment_prefix_terms(*a))
    return walks


def test_a_second_searcher_on_the_same_commit_finds_the_walk_made(indexed, monkeypatch):
    """The complete list's searcher narrows the first page's walk (both on one commit)."""
    other = SearchIndex.open(indexed.index_dir, root=indexed.root)
    try:
        first = indexed.search("earn", limit=5, sort="date", paths_only=True, typing=True)
        walks = _prefix_walks(monkeypatch)
        complete = other.search("earn", limit=0, sort="date", paths_only=True, typing=True)
        assert walks == [] and complete.paths[:5] == first.paths != []
    finally:
        other.close()


def test_a_commit_after_the_walk_has_its_new_and_deleted_articles_seen(tmp_path, monkeypatch):
    """Walks are kept per commit: a new segment's words are found, a deleted article's
    are gone, on the same SearchIndex after it refreshes."""
    from reader.config import Settings

    monkeypatch.setattr("reader.index.searcher.REFRESH_SECONDS", 0.0)
    settings = Settings(data_root=tmp_path / "data", config_path=tmp_path / "config.toml")
    files = {f"content/en/{n}.md": article_text(f"Story {n}", body=f"supply{n} news.\n")
             for n in range(6)}
    root = write_archive(tmp_path / "archive", files)
    archive = Archive.open(root, settings)
    update_index(archive)
    index = SearchIndex.open(index_dir_of(archive), root=root)
    try:
        def found(query):
            return sorted(index.search(query, limit=0, sort="date", paths_only=True,
                                       typing=True).paths)

        assert found("sup") == [f"content/en/{n}.md" for n in range(6)]
        assert found("supply3") == ["content/en/3.md"]
        (root / "content/en/3.md").unlink()
        write_archive(root, {"content/en/new.md": article_text("New", body="supplying.\n")})
        archive.scan()
        update_index(archive)
        walks = _prefix_walks(monkeypatch)
        assert found("supp") == sorted([f"content/en/{n}.md" for n in range(6) if n != 3]
                                       + ["content/en/new.md"])
        assert found("supply3") == [] and walks  # walked again, on the new commit
    finally:
        index.close()


def test_two_searchers_walking_at_once_find_what_each_finds_alone(indexed):
    from concurrent.futures import ThreadPoolExecutor

    words = ["thr", "thro", "sup", "supp", "par", "part", "ear", "earn", "the", "tho"] * 3
    alone = {w: indexed.search(w, limit=0, sort="date", typing=True).paths for w in words}
    other = SearchIndex.open(indexed.index_dir, root=indexed.root)
    try:
        prefixes._COMMITS.clear()
        with ThreadPoolExecutor(2) as pool:
            found = list(pool.map(lambda i_w: (indexed if i_w[0] % 2 else other).search(
                i_w[1], limit=0, sort="date", typing=True).paths, enumerate(words)))
        assert found == [alone[w] for w in words]
    finally:
        other.close()


@pytest.mark.parametrize("sort", ["date", "relevance"])
@pytest.mark.parametrize("checks", [1, 3, 8])
def test_a_first_page_checking_few_candidates_is_the_complete_lists_head(indexed, sort, checks):
    """A keystroke's first page checks at most `checks` candidates once it has a hit: its
    hits are still the complete list's first ones, never none where there are some."""
    stopped = 0
    for query in QUERIES:
        getattr(indexed, "_texts", {}).clear()  # checked again, not found kept
        complete = indexed.search(query, limit=0, sort=sort, paths_only=True, typing=True)
        first = indexed.search(query, limit=30, sort=sort, paths_only=True, typing=True,
                               checks=checks)
        assert first.paths == complete.paths[:len(first.paths)], query
        assert bool(first.paths) == bool(complete.paths), query
        if len(first.paths) < min(30, len(complete.paths)):
            stopped += 1
            assert not first.total_exact, query
        else:
            assert first.total == complete.total or not first.total_exact, query
    assert stopped > 0
