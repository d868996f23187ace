"""Property tests: no query, however odd, makes the parser or a search raise anything but
the documented error result, and no query reaches a field the language does not name."""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from conftest import article_text, write_archive
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.archive import Archive
from reader.config import Settings
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index.matching import filter_query
from reader.index.query import (DATE_FILTERS, FILTERS, SIGHTINGS, STATES, TEXT_FIELDS, QueryError,
                                parse_query)
from reader.index.results import SearchResults

TZ = ZoneInfo("Asia/Shanghai")
LOTS = settings(max_examples=1000, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
PIECES = st.sampled_from([
    '"', "(", ")", ":", "*", "-", "OR", "AND", "NOT", "or", "path:", "body:", "_stored_:",
    "meta:", "foo:bar", "is:", "is:read", "is:unread", "is:starred", "is:maybe", "date:9999-99",
    "date:2025", "date:0-1", "after:", "before:2025-02-30", "after:2025-02-01", "title:",
    "title:\"a b\"", "tag:", "tag:ai", "cat:科技", "lang:zh-CN", "source:wsj", "\x00", "\x1b[31m",
    "\u202e", "\ufeff", "英伟达", "英偉達", "nvidia", "rate*", "中*", "**", '""', "-\"x y\"",
    "TITLE:x", "Is:READ", "date:", "99999999999999999999", "a" * 300, "央" * 50,
])
# Dates at and past the ends of the calendar (years 1 to 9999), written as typed.
YEARS = st.sampled_from([0, 1, 9999, 10000]) | st.integers(0, 99999)
MONTHS = st.sampled_from([1, 12]) | st.integers(0, 13)
DAYS = st.sampled_from([1, 31]) | st.integers(0, 32)
DATE_VALUES = st.one_of(
    st.builds("{:04d}".format, YEARS),
    st.builds("{:04d}-{:02d}".format, YEARS, MONTHS),
    st.builds("{:04d}-{:02d}-{:02d}".format, YEARS, MONTHS, DAYS),
    st.builds("{}-{}-{}".format, YEARS, MONTHS, DAYS),
)
DATE_FILTER = st.builds("{}:{}".format, st.sampled_from(DATE_FILTERS), DATE_VALUES)
# Zones whose offsets push the first or last day of the calendar past datetime's range.
ZONES = st.sampled_from(["Asia/Shanghai", "UTC", "Pacific/Kiritimati", "Etc/GMT+12",
                         "Etc/GMT-14", "America/St_Johns"]).map(ZoneInfo)
QUERIES = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(PIECES, DATE_FILTER, st.text(max_size=8)), max_size=12).flatmap(
        lambda parts: st.sampled_from([" ", "", "\t", ":", '"']).map(lambda sep: sep.join(parts))),
)
# Names the language does not know, some of them the index's internal field names.
UNKNOWN_FIELDS = ["path", "body", "meta", "docnum", "score", "foo", "Stored", "whoosh"]
WORDS = st.text(alphabet="abcxyz英伟达中文0123", min_size=1, max_size=8)

FILES = {
    f"content/{lang}/news/{src}/{i}.{lang}.md": article_text(
        title, f"2025-02-{10 + i:02d} 09:00:00", body + "\n", lang=lang, tags=tags,
        categories=["科技"])
    for i, (lang, src, title, body, tags) in enumerate([
        ("zh-CN", "wsj", "英伟达发布新芯片", "英伟达公司发布新一代芯片。path body meta", ["ai"]),
        ("zh-HK", "hk01", "英偉達股價", "分析師認為數據中心業務強勁。", []),
        ("en", "reuters", "Nvidia rally", "Shares of Nvidia rose; rates held. foo bar", ["nvidia"]),
        ("en", "reuters", "Central bank", "The bank held rates. abc xyz 123", []),
    ])
}


class NoMarks:
    def read_set(self) -> set[str]:
        return set()

    def starred_set(self) -> set[str]:
        return set()


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    base = tmp_path_factory.mktemp("query-props")
    root = base / "archive"
    write_archive(root, FILES)
    archive = Archive.open(root, Settings(data_root=base / "data", config_path=base / "c.toml"))
    assert update_index(archive).added == len(FILES)
    found = SearchIndex.open(index_dir_of(archive), root=root)
    yield found
    found.close()


def text_fields(node) -> set[str]:
    if node is None:
        return set()
    return set(node.fields).union(*(text_fields(c) for c in node.children))


def shape(node):
    """The text tree without the fields, nested ANDs flattened: what is searched for."""
    if node is None:
        return None
    children = [shape(c) for c in node.children]
    if node.kind == "and":
        children = [g for c in children for g in (c[2] if c[0] == "and" else [c])]
    return (node.kind, node.text, tuple(children))


@LOTS
@given(QUERIES)
def test_any_query_parses_or_is_a_short_query_error(query):
    try:
        parsed = parse_query(query, TZ)
    except QueryError as exc:
        message = str(exc)
        assert message and "\n" not in message.strip() and len(message) < 400 + len(query)
        return
    assert text_fields(parsed.text) <= set(TEXT_FIELDS)
    fields = {f.field for f in parsed.filters} | \
        {c.field for f in parsed.filters if f.field == "any" for c in f.value}
    assert fields <= set(FILTERS.values()) | {"date", "any", *SIGHTINGS}
    assert {name for name, _ in parsed.states} <= set(STATES)


def is_calendar_value(name: str, value: str) -> bool:
    """Whether the value is a day (for date: also a year or month) as documented, and one
    the calendar has."""
    form = r"\d{4}(-\d{2}(-\d{2})?)?" if name == "date" else r"\d{4}-\d{2}-\d{2}"
    if not re.fullmatch(form, value):
        return False
    numbers = [int(part) for part in value.split("-")]
    try:
        date(*numbers, *[1] * (3 - len(numbers)))
    except ValueError:
        return False
    return True


@LOTS
@given(st.sampled_from(DATE_FILTERS), DATE_VALUES, ZONES)
def test_any_date_filter_is_a_range_or_says_it_is_not_a_date(name, value, tz):
    try:
        (date_filter,) = parse_query(f"{name}:{value}", tz).filters
    except QueryError as exc:
        assert "not a date" in str(exc) and not is_calendar_value(name, value)
        return
    start, end = date_filter.value
    assert start is not None or end is not None
    assert start is None or end is None or start < end
    filter_query(date_filter)  # and the index can look the range up


@LOTS
@given(st.sampled_from(UNKNOWN_FIELDS), WORDS)
def test_an_unknown_field_name_is_searched_as_words(name, word):
    as_field = parse_query(f"{name}:{word}", TZ)
    as_words = parse_query(f"{name} {word}", TZ)
    assert shape(as_field.text) == shape(as_words.text)
    assert not as_field.filters and not as_field.states
    assert text_fields(as_field.text) <= set(TEXT_FIELDS)


@LOTS
@given(QUERIES, st.sampled_from(["relevance", "date"]), st.sampled_from([0, 1, 50]))
def test_any_search_returns_results_or_an_error_never_raises(index, query, sort, limit):
    results = index.search(query, limit=limit, sort=sort, state=NoMarks())
    assert isinstance(results, SearchResults)
    if results.error:
        assert not results.hits
    assert len({h.path for h in results.hits}) == len(results.hits)
    assert {h.path for h in results.hits} <= set(FILES)
    assert limit == 0 or len(results.hits) <= limit


@LOTS
@given(st.sampled_from(UNKNOWN_FIELDS + ["_stored_", "_meta_"]), WORDS)
def test_a_field_outside_the_language_finds_what_the_plain_words_find(index, name, word):
    as_field = index.search(f"{name}:{word}", limit=0, state=NoMarks())
    as_words = index.search(f"{name} {word}", limit=0, state=NoMarks())
    assert not as_field.error and sorted(as_field.paths) == sorted(as_words.paths)


@LOTS
@given(WORDS, st.sampled_from("^~"), st.sampled_from(["1", "2", "5", "0.5", "10"]))
def test_a_boost_or_fuzzy_suffix_finds_what_the_plain_word_finds(index, word, mark, number):
    suffixed = index.search(f"{word}{mark}{number}", limit=0, state=NoMarks())
    plain = index.search(word, limit=0, state=NoMarks())
    assert not suffixed.error and sorted(suffixed.paths) == sorted(plain.paths)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(min_size=1, max_size=40), PIECES), st.integers(200, 2000))
def test_very_long_queries_end_with_results_or_an_error(index, piece, times):
    results = index.search(" ".join([piece] * times), state=NoMarks())
    assert isinstance(results, SearchResults)


def test_documented_fields_are_the_only_ones():
    """What the other tests hold the parser to."""
    assert set(TEXT_FIELDS) == {"title", "body"}
    assert set(FILTERS) | set(DATE_FILTERS) == {"tag", "category", "cat", "lang", "source",
                                                "after", "before", "date"}
