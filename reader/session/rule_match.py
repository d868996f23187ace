"""Which articles a rule's query matches: from the catalog's records where the query is
only field and date filters, from the index where it has words.

A query of filters only (`source:`, `lang:`, `tag:`, `category:`, `after:`,
`before:`, `date:`, each maybe negated) is decided from an article's record, as
the index decides it (the value folded as indexed, `lang:zh` also finding
zh-CN, a date range over the article's date in whole seconds): at once, before
the index is complete, and for a new file the moment it is listed.  Anything
else (words, or a filter the records cannot answer) needs the index.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

from reader.archive.model import Article
from reader.index.query import Filter, ParsedQuery, QueryError, parse_query
from reader.index.schema import fold_value

Test = Callable[[Article], bool]
_FIELDS = {"tag": ("tags", True), "category": ("categories", True),
           "source": ("source", False), "lang": ("lang", False)}


STATES = ("is: terms cannot be in a rule: its matches follow the archive, not the marks "
          "(a read rule of is:unread would chase its own tail)")


def query_problem(query: str, tz) -> str:
    """Why `query` cannot be a rule's ("" when it can)."""
    try:
        parsed = parse_query(query, tz)
    except QueryError as exc:
        return str(exc)
    return STATES if parsed.states else "the query is empty" if parsed.empty else ""


def record_test(query: str, tz) -> Test | None:
    """The test of an article's record for `query`, or None when it needs the index (it
    has words, or a filter that is not the record's).  Raises QueryError."""
    parsed: ParsedQuery = parse_query(query, tz)
    if parsed.text is not None or parsed.states:
        return None
    tests = [_filter_test(f) for f in parsed.filters]
    if any(t is None for t in tests):
        return None
    return lambda article: all(t(article) for t in tests)


def _filter_test(f: Filter) -> Test | None:
    test = _date_test(f.value) if f.field == "date" else _field_test(f.field, f.value)
    if test is None or not f.negated:
        return test
    return lambda article: not test(article)


def _date_test(span) -> Test:
    start, end = span
    low = -2 ** 63 if start is None else start
    high = 2 ** 63 if end is None else end
    return lambda article: low <= int(article.date.timestamp()) < high


def _field_test(name: str, value: object) -> Test | None:
    if name not in _FIELDS or not isinstance(value, str):
        return None
    attr, multi = _FIELDS[name]
    if name == "lang" and "-" not in value:
        prefix = value + "-"
        return lambda a: (lang := fold_value(a.lang)) == value or lang.startswith(prefix)
    if multi:
        return lambda a: any(fold_value(v) == value for v in getattr(a, attr))
    return lambda a: fold_value(getattr(a, attr)) == value


def matching(articles: Iterable[Article], test: Test) -> frozenset[str]:
    """The paths of the articles the test keeps."""
    return frozenset(a.path for a in articles if test(a))


def newest(paths: Iterable[str], by_path: Mapping[str, Article], rank: Mapping[str, int],
           limit: int) -> list[Article]:
    """The newest `limit` articles of `paths` (a preview's sample)."""
    last = len(rank)
    ordered = sorted((p for p in paths if p in by_path), key=lambda p: rank.get(p, last))
    return [by_path[p] for p in ordered[:limit]]
