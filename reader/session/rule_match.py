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

from itertools import chain, compress
from operator import and_, attrgetter, methodcaller, not_
from typing import Callable, Iterable, Mapping, Sequence

from reader.archive.model import Article
from reader.index.query import Filter, ParsedQuery, QueryError, parse_query
from reader.index.schema import fold_value

Mask = Callable[[Sequence[Article]], Iterable[bool]]  # a test of many records at once
_DATE, _STAMP = attrgetter("date"), methodcaller("timestamp")
_FIELDS = {"tag": ("tags", True), "category": ("categories", True),
           "source": ("source", False), "lang": ("lang", False)}
STATES = ("is: terms cannot be in a rule: its matches follow the archive, not the marks "
          "(a read rule of is:unread would chase its own tail)")


def parse_rule(query: str, tz) -> ParsedQuery:
    """A rule's query, parsed (once: the index searches with it); QueryError says why
    it cannot be a rule's."""
    parsed = parse_query(query, tz)
    if parsed.states or parsed.empty:
        raise QueryError(STATES if parsed.states else "the query is empty")
    return parsed


def query_problem(query: str, tz) -> str:
    """Why `query` cannot be a rule's ("" when it can)."""
    try:
        parse_rule(query, tz)
    except QueryError as exc:
        return str(exc)
    return ""


def record_test(query: str, tz) -> Mask | None:
    """The test of the articles' records for `query` (each record's answer, in order), or
    None when it needs the index (it has words, or a filter that is not the record's).
    Raises QueryError."""
    return parsed_test(parse_query(query, tz))


def parsed_test(parsed: ParsedQuery) -> Mask | None:
    """`record_test` of a query already parsed."""
    if parsed.text is not None or parsed.states:
        return None
    masks = [filter_mask(f) for f in parsed.filters]
    if any(m is None for m in masks):
        return None

    def test(articles: Sequence[Article]) -> Iterable[bool]:
        answers = [mask(articles) for mask in masks]
        return map(all, zip(*answers)) if len(answers) > 1 else answers[0]

    return test


def filter_mask(f: Filter) -> Mask | None:
    """One filter's test, at C speed over many records: each distinct value is decided
    once (a few thousand values over 100,000 records)."""
    if f.field == "any":
        mask = _any_mask([filter_mask(c) for c in f.value])
    elif f.field == "date":
        mask = _date_mask(f.value)
    elif f.field in _FIELDS and isinstance(f.value, str):
        mask = _field_mask(*_FIELDS[f.field], _value_test(f.field, f.value))
    else:
        return None
    return (lambda articles: map(not_, mask(articles))) if f.negated else mask


def _any_mask(masks: list[Mask | None]) -> Mask | None:
    """Whether any of the masks holds (None: one of them needs the index)."""
    if any(m is None for m in masks):
        return None
    return lambda articles: map(any, zip(*(m(articles) for m in masks)))


def _value_test(name: str, value: str) -> Callable[[str], bool]:
    """Whether a record's value is the filter's, folded as the index folds it (`lang:zh`
    is also zh-CN's)."""
    if name == "lang" and "-" not in value:
        prefix = value + "-"
        return lambda v: (folded := fold_value(v)) == value or folded.startswith(prefix)
    return lambda v: fold_value(v) == value


def _field_mask(attr: str, multi: bool, good: Callable[[str], bool]) -> Mask:
    def mask(articles: Sequence[Article]) -> Iterable[bool]:
        values = list(map(attrgetter(attr), articles))
        distinct = set(chain.from_iterable(values)) if multi else set(values)
        kept = {v for v in distinct if good(v)}
        if multi:
            return map(not_, map(kept.isdisjoint, values))
        return map(kept.__contains__, values)

    return mask


def _date_mask(span) -> Mask:
    start, end = span
    low = -2 ** 63 if start is None else start
    high = 2 ** 63 if end is None else end
    # low <= int(t) < high is low <= t < high for whole-second bounds (t >= 0)

    def mask(articles: Sequence[Article]) -> Iterable[bool]:
        stamps = list(map(_STAMP, map(_DATE, articles)))
        return map(and_, map(float(low).__le__, stamps), map(float(high).__gt__, stamps))

    return mask


def matching(articles: Sequence[Article], test: Mask) -> frozenset[str]:
    """The paths of the articles the test keeps."""
    return frozenset(compress(map(attrgetter("path"), articles), test(articles)))


def newest(paths: Iterable[str], by_path: Mapping[str, Article], rank: Mapping[str, int],
           limit: int) -> list[Article]:
    """The newest `limit` articles of `paths` (a preview's sample)."""
    last = len(rank)
    ordered = sorted((p for p in paths if p in by_path), key=lambda p: rank.get(p, last))
    return [by_path[p] for p in ordered[:limit]]
