"""Searching a real index of small archives: results, filters, sorting, snippets, CLI."""

from __future__ import annotations

import json
import os
import sys

import pytest

from conftest import article_text
from reader.archive import Archive
from reader.cli.main import main
from reader.index import SearchIndex, index_dir_of, update_index

FILES = {
    "content/zh-CN/news/wsj/1.zh-CN.md": article_text(
        "英伟达发布新芯片", "2025-02-10 09:00:00",
        "英伟达公司周一发布新一代人工智能芯片，股价上涨。\n\n[原文](https://example.org/1)\n",
        lang="zh-CN", tags=["芯片", "AI"], categories=["科技"]),
    "content/zh-HK/news/hk01/2.zh-HK.md": article_text(
        "英偉達股價創新高", "2025-02-12 10:00:00",
        "分析師認為英偉達的數據中心業務仍然強勁。\n", lang="zh-HK", categories=["科技"]),
    "content/zh-CN/news/wsj/3.zh-CN.md": article_text(
        "英国央行维持利率", "2025-01-05 08:00:00",
        "英国的英伟大学者说，通胀伟达目标之前，央行不会降息。\n", lang="zh-CN", categories=["宏观"]),
    "content/en/news/reuters/4.en.md": article_text(
        "Nvidia stocks rally on AI demand", "2025-02-11 22:00:00",
        "Shares of Nvidia rose as interest rates held steady and demand for chips grew.\n",
        lang="en", tags=["nvidia"], categories=["markets"]),
    "content/en/news/reuters/5.en.md": article_text(
        "Central bank holds", "2024-12-20 12:00:00",
        "The bank said interest in rates was high, and it held rates unchanged. OpenAI news.\n",
        lang="en", categories=["economy"]),
}


@pytest.fixture
def indexed(archive_factory, settings):
    archive = Archive.open(archive_factory(FILES), settings)
    summary = update_index(archive)
    assert (summary.added, summary.failed, summary.error) == (5, 0, "")
    index = SearchIndex.open(index_dir_of(archive))
    yield archive, index
    index.close()


def names(results):
    return sorted(h.path.rsplit("/", 1)[1].split(".")[0] for h in results.hits)


def test_chinese_matches_both_scripts_and_needs_the_whole_run(indexed):
    _, index = indexed
    assert names(index.search("英伟达")) == ["1", "2"]  # 3 has 英伟 and 伟达 apart: rejected
    assert names(index.search("英偉達")) == ["1", "2"]
    assert names(index.search("英")) == ["1", "2", "3"]
    assert index.search("英伟达").total == 2


def test_english_case_plural_prefix_phrase(indexed):
    _, index = indexed
    assert names(index.search("NVIDIA")) == ["4"]
    assert names(index.search("stock")) == ["4"]
    assert names(index.search("open*")) == ["5"]
    assert names(index.search('"interest rates"')) == ["4"]  # 5 has "interest in rates"
    assert names(index.search("interest rates")) == ["4", "5"]


def test_operators_and_filters(indexed):
    _, index = indexed
    assert names(index.search("英伟达 OR central")) == ["1", "2", "5"]
    assert names(index.search("英 -英伟达")) == ["3"]
    assert names(index.search("NOT 英")) == ["4", "5"]
    assert names(index.search("lang:zh")) == ["1", "2", "3"]
    assert names(index.search("cat:科技 lang:zh-HK")) == ["2"]
    assert names(index.search("tag:ai")) == ["1"]
    assert names(index.search("source:reuters rates")) == ["4", "5"]
    assert names(index.search("title:英伟达")) == ["1", "2"]
    assert names(index.search("after:2025-02-11")) == ["2", "4"]
    assert names(index.search("before:2025-01-01")) == ["5"]
    assert names(index.search("date:2025-01")) == ["3"]


def test_state_filters_use_the_given_store(indexed):
    _, index = indexed

    class State:
        def read_set(self):
            return {"content/en/news/reuters/4.en.md"}

        def starred_set(self):
            return {"content/zh-CN/news/wsj/1.zh-CN.md"}

    assert names(index.search("is:read", state=State())) == ["4"]
    assert names(index.search("is:unread lang:en", state=State())) == ["5"]
    assert names(index.search("is:starred 英", state=State())) == ["1"]
    assert index.search("is:read").error  # no state given: told, not raised


def test_sorting_limit_snippet_and_highlights(indexed):
    _, index = indexed
    by_date = index.search("英 OR rates", sort="date", limit=0)
    dates = [h.date for h in by_date.hits]
    assert dates == sorted(dates, reverse=True) and len(dates) == 5
    top = index.search("英伟达 OR nvidia", limit=1)
    assert len(top.hits) == 1 and top.total == 3
    hit = index.search("数据中心").hits[0]
    a, b = hit.snippet_spans[0]
    assert hit.snippet[a:b] == "數據中心"
    assert index.highlight_terms('英偉達 "rate cut" -x') == ["rate cut", "英伟达", "英偉達", "輝達", "辉达"]
    assert {"银行", "銀行"} <= set(index.highlight_terms("银行"))  # traditional text lights up


def test_malformed_query_is_an_error_message(indexed):
    _, index = indexed
    results = index.search("after:2025-02-30")
    assert results.error and not results.hits
    assert index.search('"unclosed').error == ""


def test_cli_search_json_and_errors(indexed, capsys, settings):
    archive, _ = indexed
    argv = ["--data-dir", str(settings.data_root), "search", "英偉達", "--archive",
            str(archive.root), "--json", "--limit", "0", "--sort", "date"]
    assert main(argv) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [h["path"] for h in hits] == ["content/zh-HK/news/hk01/2.zh-HK.md",
                                         "content/zh-CN/news/wsj/1.zh-CN.md"]
    assert set(hits[0]) >= {"path", "title", "date", "categories", "tags", "lang", "link",
                            "score", "snippet"}
    assert hits[1]["link"] == "https://example.org/1" and hits[1]["date"].startswith("2025-02-10")
    assert main(argv[:3] + ["is:maybe", "--archive", str(archive.root)]) == 2
    assert "is:read" in capsys.readouterr().err


def test_prefix_words_with_other_words_and_negated_runs(indexed):
    _, index = indexed
    assert names(index.search("rat* nvidia")) == ["4"]
    assert names(index.search("rat* -nvidia")) == ["5"]
    assert names(index.search("英* -英伟达")) == ["3"]
    assert names(index.search("sha*")) == ["4"]
    assert index.search("zzz*").total == 0


@pytest.mark.parametrize("query", ["英伟达", "英", "rates", "rat*", "cat:科技", "英 -芯片",
                                   '"interest rates"', "lang:en"])
@pytest.mark.parametrize("sort", ["date", "relevance"])
def test_a_paths_only_listing_gives_the_paths_of_the_full_hits_in_order(indexed, query, sort):
    _, index = indexed
    full = index.search(query, limit=0, sort=sort)
    only = index.search(query, limit=0, sort=sort, paths_only=True)
    assert only.hits == [] and only.paths == full.paths and len(only) == len(full)
    assert (only.total, only.total_exact) == (full.total, full.total_exact)
    assert full.paths  # every query here finds something


def test_a_listing_stops_when_the_caller_cancels_it(indexed):
    _, index = indexed
    asked = []

    def cancelled():
        asked.append(1)
        return True

    results = index.search("英", limit=0, paths_only=True, cancelled=cancelled)
    assert asked and results.cancelled and results.paths == [] and not results.error
    assert index.search("英", limit=0, paths_only=True).paths  # and the next one runs


@pytest.mark.skipif(sys.platform != "linux", reason="byte file names are a POSIX matter")
def test_whole_words_and_snippets_read_legacy_encodings_and_odd_file_names(archive_factory,
                                                                            settings):
    text = article_text("芯片新闻", body="英伟达公司宣布降息后的芯片计划。\n")
    root = archive_factory({"utf8.md": text, "gbk.md": text.encode("gb18030")})
    with open(os.path.join(os.fsencode(root), b"odd\xff.md"), "wb") as f:
        f.write(text.encode())
    archive = Archive.open(root, settings)
    update_index(archive)
    index = SearchIndex.open(index_dir_of(archive))
    results = index.search("英伟达", limit=0)  # three characters: checked against the text
    assert sorted(h.path for h in results.hits) == ["gbk.md", "odd%FF.md", "utf8.md"]
    assert all("英伟达" in h.snippet for h in results.hits)


def test_a_refresh_that_fails_keeps_the_searcher_it_had(indexed, monkeypatch):
    """Whoosh's refresh closed the old readers even when it failed (a segment gone as it
    opened, mid-merge): the searcher kept was closed, and the quit failed on "Reader
    already closed" (CI, once the related articles' reader was refreshed too)."""
    import whoosh.reading

    archive, index = indexed
    before = names(index.search("nvidia"))
    assert before
    (archive.root / "content/en/news/reuters/6.en.md").write_text(
        article_text("Nvidia again", "2025-02-13 09:00:00", "Nvidia shares.\n"))
    update_index(archive)

    def gone(*args, **kwargs):
        raise FileNotFoundError("a segment merged away")

    with monkeypatch.context() as patch:
        patch.setattr(whoosh.reading, "SegmentReader", gone)
        index.refresh()
    assert names(index.search("nvidia")) == before  # the searcher it had, still open
    index.refresh()
    assert names(index.search("nvidia")) == sorted(before + ["6"])
    index.close()
