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
        ("or", [("or", [("run", "英伟达"), ("run", "辉达")]), ("run", "特斯拉")]),  # 輝達: Taiwan
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


def test_dates_at_the_ends_of_the_calendar_never_overflow():
    last_day = 253402185600  # 9999-12-31 00:00 +08:00
    assert parse_query("after:9999-12-31", TZ).filters[0].value == (last_day, None)
    assert parse_query("before:9999-12-31", TZ).filters[0].value == (None, last_day)
    assert parse_query("date:9999-12-31", TZ).filters[0].value == (last_day, None)
    assert parse_query("date:9999-12", TZ).filters[0].value == (last_day - 30 * 86400, None)
    assert parse_query("date:9999", TZ).filters[0].value == (last_day - 364 * 86400, None)
    year_one = -62135625943  # 0001-01-01 00:00 in Shanghai's local mean time, +08:05:43
    assert parse_query("after:0001-01-01", TZ).filters[0].value == (year_one, None)
    assert parse_query("date:0001", TZ).filters[0].value == (year_one, year_one + 365 * 86400)


def test_a_month_ends_on_its_last_day():
    (leap,) = parse_query("date:2024-02", TZ).filters
    assert leap.value[1] - leap.value[0] == 29 * 86400


def test_boost_and_fuzzy_suffixes_are_searched_as_the_plain_word():
    for query, plain in [("word^5", "word"), ("word~2", "word"), ("-crypto~1", "-crypto"),
                         ("title:Nvidia^2.5", "title:Nvidia"), ("open*^2", "open*"),
                         ("英偉達~1", "英偉達")]:
        parsed, expected = parse_query(query, TZ), parse_query(plain, TZ)
        assert parsed.text == expected.text and parsed.highlights == expected.highlights


def test_unbalanced_quote_is_taken_as_typed():
    parsed = parse_query('"interest rates', TZ)
    assert kinds(parsed.text) == ("and", [("word", "interest"), ("word", "rate")])


@pytest.mark.parametrize("query, message", [
    ("after:2025-13-01", "not a date"),
    ("date:soon", "not a date"),
    ("date:0000", "not a date"),
    ("date:10000", "not a date"),
    ("before:0000-12-31", "not a date"),
    ("is:maybe", "is:read"),
    ("tag:", "needs a value"),
    ('title:""', "title: needs a value"),
    ("-title:", "title: needs a value"),
])
def test_malformed_queries_raise_a_short_error(query, message):
    with pytest.raises(QueryError, match=message):
        parse_query(query, TZ)


@pytest.mark.parametrize("name", ["title", "tag", "category", "cat", "lang", "source", "after",
                                  "before", "date", "is", "TITLE"])
def test_every_field_with_no_value_says_it_needs_one(name):
    with pytest.raises(QueryError, match=f"^{name.lower()}: needs a value$"):
        parse_query(f"nvidia {name}:", TZ)


def test_unknown_field_is_plain_text_and_empty_query_is_empty():
    assert kinds(parse_query("12:30", TZ).text) == ("and", [("word", "12"), ("word", "30")])
    assert parse_query("   ", TZ).empty


@pytest.mark.parametrize("query, message", [
    ("*", r"\* alone is not a query"), ("-*", r"\* alone"), ("title:*", r"\* alone"),
    ("nvidia * chips", r"\* alone"),
    ("title:(broken", r"title:\( … \): a field takes one word"),
    ("title:(a b)", r"\(title:a OR title:b\)"), ("tag:(ai", r"tag:\("),
])
def test_a_lone_star_and_a_field_in_parentheses_are_query_errors(query, message):
    """`*` found nothing in the index and everything in an empty search box; `title:(a b)`
    was searched as `title:a b` and `tag:(ai` as the tag "(ai", silently."""
    with pytest.raises(QueryError, match=message):
        parse_query(query, TZ)
    with pytest.raises(QueryError, match=message):
        parse_query(query, TZ, typing=True)
