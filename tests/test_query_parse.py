"""The query language: what each construct means, and malformed input."""

from zoneinfo import ZoneInfo

import pytest

from reader.index.query import QueryError, parse_query

TZ = ZoneInfo("Asia/Shanghai")


def kinds(node):
    if node.children:
        return (node.kind, [kinds(c) for c in node.children])
    return (node.kind, node.text)


def test_words_or_not_prefix_and_phrase():
    parsed = parse_query('英偉達 OR 特斯拉 stocks -crypto open* "rate cut"', TZ)
    assert kinds(parsed.text) == ("and", [
        ("or", [("run", "英伟达"), ("run", "特斯拉")]),
        ("word", "stock"),
        ("not", [("word", "crypto")]),
        ("prefix", "open"),
        ("phrase", "rate cut"),
    ])
    assert "rate cut" in parsed.highlights and "crypto" not in parsed.highlights


def test_not_keyword_and_title_field():
    parsed = parse_query("NOT bitcoin title:Nvidia", TZ)
    assert kinds(parsed.text) == ("and", [("not", [("word", "bitcoin")]), ("word", "nvidia")])
    assert parsed.text.children[1].fields == ("title",)


def test_filters_and_states():
    parsed = parse_query('tag:AI cat:科技 lang:zh-CN source:"wsj" is:unread -is:starred', TZ)
    assert [(f.field, f.value) for f in parsed.filters] == [
        ("tag", "ai"), ("category", "科技"), ("lang", "zh-cn"), ("source", "wsj")]
    assert parsed.states == [("unread", False), ("starred", True)]
    assert parsed.text is None


def test_dates_in_the_archive_timezone():
    (after,) = parse_query("after:2025-02-01", TZ).filters
    assert after.value == (1738339200, None)  # 2025-02-01 00:00 +08:00
    (month,) = parse_query("date:2025-02", TZ).filters
    assert month.value == (1738339200, 1740758400)
    (before,) = parse_query("before:2025-03-01", TZ).filters
    assert before.value == (None, 1740758400)


def test_unbalanced_quote_is_taken_as_typed():
    parsed = parse_query('"interest rates', TZ)
    assert kinds(parsed.text) == ("and", [("word", "interest"), ("word", "rate")])


@pytest.mark.parametrize("query, message", [
    ("after:2025-13-01", "not a date"),
    ("date:soon", "not a date"),
    ("is:maybe", "is:read"),
    ("tag:", "needs a value"),
])
def test_malformed_queries_raise_a_short_error(query, message):
    with pytest.raises(QueryError, match=message):
        parse_query(query, TZ)


def test_unknown_field_is_plain_text_and_empty_query_is_empty():
    assert kinds(parse_query("12:30", TZ).text) == ("and", [("word", "12"), ("word", "30")])
    assert parse_query("   ", TZ).empty
