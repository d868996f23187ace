"""What the index's text analysis must agree on with a reader: regional words, words glued
to Chinese, the text behind front matter, snippets as written (issue 9, items 10, 11, 14, 21)."""

from __future__ import annotations

import pytest


from conftest import article_text, write_archive
from reader.archive import Archive
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index.snippets import make_snippet

FILES = {
    "zh-CN/1.zh-CN.md": article_text(
        "英伟达芯片供不应求", body="人工智能软件需要更快的网络和更多信息。\n", lang="zh-CN"),
    "zh-HK/2.zh-HK.md": article_text(
        "台灣晶片業", body="人工智慧帶動軟體需求，輝達的晶片在網路上熱賣，資訊業受惠。\n",
        lang="zh-HK"),
    "zh-HK/3.zh-HK.md": article_text("英偉達晶片", body="英偉達晶片出貨。\n", lang="zh-HK"),
    "zh-CN/4.zh-CN.md": article_text(
        "Jetson 平台", body="英伟达NVIDIAJetson平台和REITs基金，DeepSeekR1模型。\n", lang="zh-CN"),
    "en/5.en.md": "---\ntitle: \"Rates\"\ndate: \"2025-02-14\"\n"
                  "thumbnail: \"img/interest rates chart.png\"\n---\n\n"
                  "The rates went up, and interest grew.\n",
    "en/6.en.md": "+++\ntitle = \"TOML rates\"\ndate = 2025-02-14\n"
                  "thumbnail = \"img/interest rates 英伟达.png\"\n+++\n\n"
                  "Rates and interest, 英伟 and 伟达 apart.\n",
    "en/7.en.md": '{"title": "JSON rates", "date": "2025-02-14", '
                  '"thumbnail": "img/interest rates.png"}\n\nThe rates of interest fell.\n',
    "en/8.en.md": article_text("Summary only", body="Nothing here.\n",
                               summary="Interest rates held steady."),
    "misc/9.md": article_text("No language", lang=[""],
                              body="Nvidia Reported Strong Earnings… On Tuesday.\n"),
    "zh-HK/10.zh-HK.md": article_text("繁體省略", body="銀行公布業績……股價上升。\n", lang="zh-HK"),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from reader.config import Settings

    tmp = tmp_path_factory.mktemp("wordforms")
    root = tmp / "archive"
    write_archive(root, FILES)
    archive = Archive.open(root, Settings(data_root=tmp / "data", config_path=tmp / "c.toml"))
    assert not update_index(archive, articles=archive.scan().articles).error
    return SearchIndex.open(index_dir_of(archive), root=archive.root)


def paths(index, query):
    return sorted(index.search(query, limit=0).paths)


@pytest.mark.parametrize("mainland, regional", [
    ("人工智能", "人工智慧"), ("软件", "軟體"), ("芯片", "晶片"), ("网络", "網路"),
    ("信息", "資訊"), ("英伟达", "輝達")])
def test_a_word_finds_the_other_regions_word_both_ways(index, mainland, regional):
    both = ["zh-CN/1.zh-CN.md", "zh-HK/2.zh-HK.md"]
    assert set(both) <= set(paths(index, mainland))
    assert set(both) <= set(paths(index, regional))


def test_mixed_regions_in_one_phrase(index):
    # Hong Kong's 英偉達 with Taiwan's 晶片; the mainland's 英伟达芯片
    want = ["zh-CN/1.zh-CN.md", "zh-HK/3.zh-HK.md"]
    assert paths(index, "英伟达芯片") == want
    assert paths(index, "英偉達晶片") == want


def test_a_part_of_a_regional_word_is_still_found(index):
    assert "zh-HK/2.zh-HK.md" in paths(index, "智慧")
    assert "zh-HK/2.zh-HK.md" in paths(index, "體")


def test_regional_words_are_highlighted_as_written(index):
    hit = next(h for h in index.search("软件", limit=0).hits if h.path == "zh-HK/2.zh-HK.md")
    a, b = hit.snippet_spans[0]
    assert hit.snippet[a:b] == "軟體"
    assert "軟體" in index.highlight_terms("软件")


def test_regional_forms():
    from reader.index.regional import regional_forms

    assert regional_forms("英伟达芯片") == ("英伟达芯片", "英伟达晶片", "辉达芯片", "辉达晶片")
    assert regional_forms("银行") == ("银行",)
    assert regional_forms("核心") == ("核心",)  # OpenCC's 核心>内核 would merge two words


def test_words_glued_to_chinese_are_split_where_a_reader_splits_them(index):
    assert paths(index, "nvidia") == ["misc/9.md", "zh-CN/4.zh-CN.md"]
    assert paths(index, "jetson") == ["zh-CN/4.zh-CN.md"]
    assert paths(index, "nvidiajetson") == ["zh-CN/4.zh-CN.md"]  # the whole run too
    assert paths(index, "nvidia 英伟达") == ["zh-CN/4.zh-CN.md"]  # through the text check
    assert paths(index, "deepseek") == ["zh-CN/4.zh-CN.md"]
    assert paths(index, "rei") == []  # a plural acronym stays whole
    hit = index.search("jetson").hits[0]
    assert [hit.snippet[a:b] for a, b in hit.snippet_spans] == ["Jetson"]


def test_glued_parts():
    from reader.index.analysis import glued_parts

    assert glued_parts("英伟达NVIDIAJetson平台") == ["nvidia", "jetson"]
    assert glued_parts("用DeepSeek和OpenAI的TOPCon电池") == []
    assert glued_parts("RTX5090显卡") == ["rtx", "5090"]
    assert glued_parts("NVIDIAJetson without Chinese") == []


def test_phrases_never_match_front_matter(index):
    assert paths(index, '"interest rates"') == ["en/8.en.md"]  # the summary counts
    assert "en/6.en.md" not in paths(index, "英伟达")  # only in the TOML front matter


@pytest.mark.parametrize("query, path", [
    ("rates", "en/6.en.md"), ("rates", "en/7.en.md"), ("rates", "en/5.en.md")])
def test_snippets_never_show_front_matter(index, query, path):
    hit = next(h for h in index.search(query, limit=0).hits if h.path == path)
    assert hit.snippet.startswith(("Rates", "The rates")), hit.snippet
    assert "thumbnail" not in hit.snippet and "+++" not in hit.snippet


def test_a_match_only_in_the_summary_shows_the_summary(index):
    hit = index.search("steady").hits[0]
    assert hit.snippet == "Interest rates held steady."


def test_snippets_keep_case_and_script_when_folding_changes_length(index):
    hit = index.search("earnings").hits[0]
    assert hit.snippet == "Nvidia Reported Strong Earnings… On Tuesday."
    a, b = hit.snippet_spans[0]
    assert hit.snippet[a:b] == "Earnings"
    hit = index.search("股价").hits[0]
    assert hit.snippet == "銀行公布業績……股價上升。"
    a, b = hit.snippet_spans[0]
    assert hit.snippet[a:b] == "股價"


def test_snippet_spans_after_a_long_lead():
    text = "x" * 300 + " ﬁne Earnings"
    snippet, spans = make_snippet(text, ["earnings"])
    assert [snippet[a:b] for a, b in spans] == ["Earnings"]
