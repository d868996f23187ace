"""The figures of a tally (reader/session/glance.py) as the screen and the CLI show them.

`Figures` is plain data made on demand from a `Tally` (a few hundred numbers, no
article is looked at): per day and per hour, per source and language, your reading,
the week's top categories and tags, and `as_json()` for `newsreader stats --json`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from collections import Counter

from reader.session.glance import Tally

TOP = 10  # categories and tags of the week shown


@dataclass(frozen=True)
class Row:
    """A source's or a language's week: articles, of them unread, the week before."""

    name: str
    this_week: int
    unread: int
    last_week: int

    @property
    def trend(self) -> int:
        return self.this_week - self.last_week

    def as_json(self) -> dict:
        return {"name": self.name, "this_week": self.this_week, "unread": self.unread,
                "last_week": self.last_week, "trend": self.trend}


@dataclass(frozen=True)
class Figures:
    """What "the archive at a glance" shows for one scope (`days`: oldest first)."""

    scope: str
    days: tuple[date, ...]
    arrived: tuple[int, ...]  # articles dated each day
    hours: tuple[int, ...]  # articles dated each hour of today
    read: tuple[int, ...]  # articles read each day (read now)
    backlog: tuple[int, ...]  # articles unread at the end of each day
    total: int
    unread: int
    starred: int
    sources: tuple[Row, ...]
    langs: tuple[Row, ...]
    categories: tuple[tuple[str, int], ...]  # the week's most frequent, most first
    tags: tuple[tuple[str, int], ...]

    @property
    def today(self) -> date:
        return self.days[-1]

    @property
    def usual(self) -> float:
        """The mean of the days before today (0 with none)."""
        before = self.arrived[:-1]
        return sum(before) / len(before) if before else 0.0

    def as_json(self) -> dict:
        return {"scope": self.scope, "today": self.today.isoformat(),
                "days": [{"date": d.isoformat(), "articles": n, "read": r, "backlog": b}
                         for d, n, r, b in zip(self.days, self.arrived, self.read,
                                               self.backlog)],
                "hours_today": list(self.hours),
                "total": self.total, "unread": self.unread, "starred": self.starred,
                "sources": [r.as_json() for r in self.sources],
                "languages": [r.as_json() for r in self.langs],
                "categories": [{"name": n, "articles": c} for n, c in self.categories],
                "tags": [{"name": n, "articles": c} for n, c in self.tags]}


def figures(counted: Tally, scope: str = "All", top: int = TOP) -> Figures:
    """The figures of a tally now (its last `window.days` days)."""
    window = counted.window
    span, first = window.span, window.span - window.days
    this, last = counted.weeks
    return Figures(
        scope=scope,
        days=tuple(window.day(i) for i in range(first, span)),
        arrived=tuple(counted.arrived[first:span]),
        hours=tuple(counted.hours),
        read=tuple(reads_per_day(counted)[first:]),
        backlog=tuple(backlog(counted)[first:]),
        total=counted.total, unread=counted.unread, starred=counted.starred,
        sources=rows(this.sources, this.sources_unread, last.sources),
        langs=rows(this.langs, this.langs_unread, last.langs),
        categories=_top(this.categories, top), tags=_top(this.tags, top))


def reads_per_day(counted: Tally) -> list[int]:
    per_day = [0] * counted.window.span
    for (_, day), count in counted.reads.pairs.items():
        if 0 <= day < len(per_day):
            per_day[day] += count
    return per_day


def backlog(counted: Tally) -> list[int]:
    """The unread at the end of each day of the span: those unread now dated before then,
    and those read after then dated before then."""
    span = counted.window.span
    later = list(accumulate(reversed(counted.unread_in)))[::-1]  # later[i]: buckets >= i
    crossing = [0] * (span + 1)  # read after a day's end, dated before it: a difference array
    for (dated, read), count in counted.reads.pairs.items():
        start, end = max(dated, 0), min(read, span)
        if start < end:
            crossing[start] += count
            crossing[end] -= count
    open_reads = list(accumulate(crossing))
    return [counted.unread - later[d + 1] + open_reads[d] for d in range(span)]


def rows(this: Counter, unread: Counter, last: Counter) -> tuple[Row, ...]:
    """One row per name seen in either week, this week's most first."""
    names = [n for n in dict.fromkeys([*this, *last]) if this[n] > 0 or last[n] > 0]
    names.sort(key=lambda n: (-this[n], -last[n], n))
    return tuple(Row(n, this[n], unread[n], last[n]) for n in names)


def _top(counter: Counter, top: int) -> tuple[tuple[str, int], ...]:
    ranked = sorted(((n, c) for n, c in counter.items() if n and c > 0),
                    key=lambda item: (-item[1], item[0]))
    return tuple(ranked[:top])
