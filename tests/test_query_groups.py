"""Parentheses in the query language: groups, negated groups, filters inside groups, and
what unbalanced or empty parentheses mean (`-(oil OR rates)` was read as
`(NOT oil) OR rates`, and `(oil OR gas) lang:en` did not group)."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest
from conftest import article_text, kinds

from reader.archive import Archive
from reader.cli.main import main
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index.query import QueryError, parse_query

TZ = ZoneInfo("UTC")


def anyof(parsed):
    return [(f.field, [(c.field, c.value, c.negated) for c in f.value], f.negated)
            for f in parsed.filters if f.field == "any"]


def test_a_negated_group_excludes_every_word_in_it():
    assert kinds(parse_query("-(oil OR rates)", TZ).text) == (
        "not", [("or", [("word", "oil"), ("word", "rate")])])
    assert kinds(parse_query("NOT (oil rates)", TZ).text) == (
        "not", [("and", [("word", "oil"), ("word", "rate")])])
    assert kinds(parse_query("a NOT (b OR title:c)", TZ).text) == ("and", [
        ("word", "a"), ("not", [("or", [("word", "b"), ("word", "c")])])])
    assert parse_query("a NOT (b OR title:c)", TZ).text.children[1].children[0] \
        .children[1].fields == ("title",)
    assert parse_query("-(oil OR rates)", TZ).highlights == []  # nothing negated is lit


def test_groups_nest_and_an_and_group_joins_the_and_around_it():
    assert kinds(parse_query("((a OR b) c) OR d", TZ).text) == ("or", [
        ("and", [("or", [("word", "a"), ("word", "b")]), ("word", "c")]), ("word", "d")])
    assert kinds(parse_query("(a OR b) (c OR d)", TZ).text) == ("and", [
        ("or", [("word", "a"), ("word", "b")]), ("or", [("word", "c"), ("word", "d")])])
    assert kinds(parse_query("x (a b)", TZ).text) == ("and", [
        ("word", "x"), ("word", "a"), ("word", "b")])
    assert kinds(parse_query("-(-a)", TZ).text) == ("word", "a")


def test_precedence_stays_not_then_or_then_the_implicit_and():
    assert kinds(parse_query("a OR b c", TZ).text) == ("and", [
        ("or", [("word", "a"), ("word", "b")]), ("word", "c")])
    assert kinds(parse_query("-a OR b", TZ).text) == ("or", [
        ("not", [("word", "a")]), ("word", "b")])
    assert kinds(parse_query("a OR -b", TZ).text) == ("or", [
        ("word", "a"), ("not", [("word", "b")])])  # the OR was dropped: a AND NOT b


def test_filters_in_a_group():
    parsed = parse_query("(lang:en OR lang:zh-CN) nvidia", TZ)
    assert kinds(parsed.text) == ("word", "nvidia")
    assert anyof(parsed) == [("any", [("lang", "en", False), ("lang", "zh-cn", False)], False)]
    parsed = parse_query("(oil OR gas) lang:en", TZ)
    assert kinds(parsed.text) == ("or", [("word", "oil"), ("word", "gas")])
    assert [(f.field, f.value) for f in parsed.filters] == [("lang", "en")]
    parsed = parse_query("-(source:wsj OR tag:ai) (x lang:en)", TZ)
    assert anyof(parsed) == [("any", [("source", "wsj", False), ("tag", "ai", False)], True)]
    assert [(f.field, f.value) for f in parsed.filters[1:]] == [("lang", "en")]
    assert anyof(parse_query("tag:ai OR tag:ml", TZ)) == [
        ("any", [("tag", "ai", False), ("tag", "ml", False)], False)]  # was tag:ai AND tag:ml
    assert parse_query("-(is:read)", TZ).states == [("read", True)]


def test_chinese_in_a_group_is_segmented_as_anywhere():
    assert kinds(parse_query("(英偉達 OR 特斯拉) 上涨", TZ).text) == ("and", [
        ("or", [("or", [("run", "英伟达"), ("run", "辉达")]), ("run", "特斯拉")]),
        ("run", "上涨")])
    assert kinds(parse_query("-(軟體)", TZ).text) == (
        "not", [("or", [("run", "软体"), ("run", "软件")])])


def test_parentheses_in_a_phrase_are_text_and_a_glued_minus_negates_a_phrase():
    parsed = parse_query('"foo (bar)" -"rate cut"', TZ)
    assert kinds(parsed.text) == ("and", [("phrase", "foo bar"),
                                          ("not", [("phrase", "rate cut")])])
    assert parsed.highlights == ["foo (bar)"]
    assert kinds(parse_query("rates(2025)", TZ).text) == ("and", [
        ("word", "rate"), ("word", "2025")])


@pytest.mark.parametrize("query, same_as", [
    ("(oil OR", "oil"), ("oil)", "oil"), ("(oil OR gas", "oil OR gas"), ("()", ""),
    ("-()", ""), ("a () b", "a b"), ("((a))", "a"), (")(a", "a"), ("a OR () b", "a OR b"),
    ("NOT", ""), ("- (a b)", "a b"),
])
def test_unbalanced_and_empty_parentheses_are_read_as_typed(query, same_as):
    """As an unmatched quote: a ( not closed is closed at the end, a ) not opened and
    an empty group are nothing, in the box, the CLI, saved searches and rules alike."""
    assert parse_query(query, TZ) == parse_query(same_as, TZ)


def test_while_typed_the_last_word_in_an_open_group_is_a_prefix():
    assert kinds(parse_query("(oil OR gas", TZ, typing=True).text) == (
        "or", [("word", "oil"), ("prefix", "gas")])
    assert kinds(parse_query("(oil OR gas)", TZ, typing=True).text) == (
        "or", [("word", "oil"), ("word", "gas")])
    assert kinds(parse_query("-(oil OR gas", TZ, typing=True).text) == (
        "not", [("or", [("word", "oil"), ("word", "gas")])])


@pytest.mark.parametrize("query, message", [
    ("nvidia OR tag:ai", r"a filter can be ORed only with filters"),
    ("(is:unread OR is:starred)", r"^is: terms cannot be ORed"),
    ("(is:unread OR nvidia)", r"^is: terms cannot be ORed"),
    ("(is:new OR tag:ai)", r"is:new and added: cannot be ORed"),
    ("-(nvidia lang:en)", r"a negated group holds words or one filter"),
    ("-(lang:en tag:ai)", r"a negated group"),
    pytest.param("(" * 40 + "a", r"nested more than 32 deep", id="40 deep"),
    pytest.param("x " + "(" * 100_000, r"nested more than 32 deep", id="100,000 deep"),
])
def test_what_a_group_cannot_say_is_a_one_line_error(query, message):
    for typing in (False, True):
        with pytest.raises(QueryError, match=message):
            parse_query(query, TZ, typing)


EN = "content/en/news/{}/{}.en.md"
ZH = "content/zh-CN/news/{}/{}.md"
FILES = {
    EN.format("wsj", "oil"): article_text("Oil climbs", "2025-02-01 09:00:00", "Oil prices.\n"),
    EN.format("wsj", "rates"): article_text("Rates held", "2025-02-02 09:00:00",
                                            "The bank held rates.\n"),
    EN.format("wire", "both"): article_text("Oil and rates", "2025-02-03 09:00:00",
                                            "Oil and rates moved.\n", tags=["ai"]),
    EN.format("wire", "gas"): article_text("Gas (LNG) deal", "2025-02-04 09:00:00",
                                           "Gas deal signed.\n"),
    EN.format("wire", "nvidia"): article_text("Nvidia chips", "2025-02-05 09:00:00",
                                              "Nvidia sold chips.\n"),
    ZH.format("xinhua", "nv"): article_text("英伟达芯片", "2025-02-06 09:00:00",
                                            "英伟达发布了新芯片。nvidia\n"),
    ZH.format("xinhua", "shiyou"): article_text("石油价格", "2025-02-07 09:00:00",
                                                "石油上涨。\n"),
}
GROUPED = {  # each query and the articles it finds (by file name)
    "-(oil OR rates)": {"gas", "nvidia", "nv", "shiyou"},  # was (NOT oil) OR rates
    "-(oil OR rates) lang:en": {"gas", "nvidia"},
    "NOT (oil rates)": {"oil", "rates", "gas", "nvidia", "nv", "shiyou"},  # not both
    "(oil OR gas) lang:en": {"oil", "both", "gas"},
    "(lang:en OR lang:zh-CN) nvidia": {"nvidia", "nv"},
    "(source:wsj OR tag:ai) oil": {"oil", "both"},
    "-(source:wsj OR tag:ai) lang:en": {"gas", "nvidia"},
    "(英伟达 OR 石油)": {"nv", "shiyou"},
    "(英伟达 OR 石油) -(芯片)": {"shiyou"},
    "-(title:oil OR title:gas)": {"rates", "nvidia", "nv", "shiyou"},
    '"gas (lng)"': {"gas"},
    "(oil OR": {"oil", "both"},
    "oil)": {"oil", "both"},
}


@pytest.fixture(scope="module")
def groups_index(tmp_path_factory):
    from conftest import write_archive

    from reader.config import Settings

    base = tmp_path_factory.mktemp("groups")
    root = write_archive(base / "archive", FILES)
    archive = Archive.open(root, Settings(data_root=base / "data",
                                          config_path=base / "config.toml"))
    update_index(archive)
    index = SearchIndex.open(index_dir_of(archive), root=root)
    yield root, index
    index.close()
    archive.close()


def stem_of(path: str) -> str:
    return path.rsplit("/", 1)[1].split(".")[0]


@pytest.mark.parametrize("query", GROUPED)
def test_grouped_queries_find_what_they_say_listed_and_as_a_set(groups_index, query):
    _, index = groups_index
    results = index.search(query, limit=0)
    assert not results.error
    assert {stem_of(h.path) for h in results.hits} == GROUPED[query]
    hit_set = index.hit_set(parse_query(query, index.tz))
    assert {stem_of(p) for p in hit_set.paths} == GROUPED[query]


def test_newsreader_search_reads_groups(groups_index, capsys, tmp_path):
    root, _ = groups_index
    argv = ["--data-dir", str(tmp_path / "d"), "search", "--archive", str(root),
            "--limit", "0", "--json"]
    assert main([*argv, "-(oil OR rates) lang:en"]) == 0
    out, _ = capsys.readouterr()
    assert {stem_of(h["path"]) for h in json.loads(out)} == {"gas", "nvidia"}
    assert main([*argv, "nvidia OR tag:ai"]) == 2
    _, err = capsys.readouterr()
    assert err.startswith("newsreader: bad query: ") and "ORed only with filters" in err
    assert err.count("\n") == 1
