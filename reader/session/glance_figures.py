"""The figures of a glance (reader/session/glance_scope.py) as the screen and the CLI show
them.

`Figures` is plain data made on demand from the tallies (a few hundred numbers, no
article is looked at): per day and per hour, per source and language, the week's top
categories and tags over the days of what arrived (to today, or to another day:
`until`), your reading over the days to today, and `as_json()` for `newsreader stats
--json`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from collections import Counter

from reader.session.glance import Tally
from reader.session.glance_scope import Glance

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
    """What "the archive at a glance" shows for one scope: what arrived over `days`, your
    reading over `reading_days` (to today), both oldest first."""

    scope: str
    days: tuple[date, ...]
    arrived: tuple[int, ...]  # articles dated each day
    hours: tuple[int, ...]  # articles dated each hour of the last day (`until`)
    reading_days: tuple[date, ...]
    read: tuple[int, ...]  # articles read each day (read now)
    backlog: tuple[int, ...]  # articles unread at the end of each day
    total: int
    unread: int
    starred: int
    sources: tuple[Row, ...]
    langs: tuple[Row, ...]
    categories: tuple[tuple[str, int], ...]  # the week's most frequent, most first
    tags: tuple[tuple[str, int], ...]
    newest: date | None = None  # the day of the scope's newest article (None: it has none)

    @property
    def until(self) -> date:
        """The last day of what arrived."""
        return self.days[-1]

    @property
    def today(self) -> date:
        return self.reading_days[-1]

    @property
    def moved(self) -> bool:
        """What arrived is shown over days that do not end today."""
        return self.until != self.today

    @property
    def empty(self) -> bool:
        """Nothing of the scope arrived in the days shown (or after them)."""
        return not any(self.arrived) and not any(self.hours)

    @property
    def usual(self) -> float:
        """The mean of the days before the last (0 with none)."""
        before = self.arrived[:-1]
        return sum(before) / len(before) if before else 0.0

    def as_json(self) -> dict:
        return {"scope": self.scope, "today": self.today.isoformat(),
                "until": self.until.isoformat(),
                "newest": self.newest.isoformat() if self.newest else None,
                "days": [{"date": d.isoformat(), "articles": n}
                         for d, n in zip(self.days, self.arrived)],
                "hours": list(self.hours),
                "reading": [{"date": d.isoformat(), "read": r, "backlog": b}
                            for d, r, b in zip(self.reading_days, self.read, self.backlog)],
                "total": self.total, "unread": self.unread, "starred": self.starred,
                "sources": [r.as_json() for r in self.sources],
                "languages": [r.as_json() for r in self.langs],
                "categories": [{"name": n, "articles": c} for n, c in self.categories],
                "tags": [{"name": n, "articles": c} for n, c in self.tags]}


def figures(counted: Glance | Tally, scope: str = "All", top: int = TOP) -> Figures:
    """The figures now (the last `window.days` days of each window); a lone tally is
    both what arrived and your reading."""
    glance = counted if isinstance(counted, Glance) else Glance(counted, counted)
    arrivals, reading = glance.arrivals, glance.reading
    this, last = arrivals.weeks
    tz = arrivals.window.tz
    return Figures(
        scope=scope, days=_days(arrivals), arrived=tuple(arrivals.arrived[_shown(arrivals)]),
        hours=tuple(arrivals.hours), reading_days=_days(reading),
        read=tuple(reads_per_day(reading)[_shown(reading)]),
        backlog=tuple(backlog(reading)[_shown(reading)]),
        total=arrivals.total, unread=arrivals.unread, starred=arrivals.starred,
        sources=rows(this.sources, this.sources_unread, last.sources),
        langs=rows(this.langs, this.langs_unread, last.langs),
        categories=_top(this.categories, top), tags=_top(this.tags, top),
        newest=glance.newest.astimezone(tz).date() if glance.newest else None)


def _shown(counted: Tally) -> slice:
    """The buckets of the window's days (its span may hold more, for the weeks)."""
    window = counted.window
    return slice(window.span - window.days, window.span)


def _days(counted: Tally) -> tuple[date, ...]:
    window = counted.window
    return tuple(window.day(i) for i in range(window.span)[_shown(counted)])


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


def arrivals_span(shown: Figures) -> str:
    """The days of what arrived, in words: "the last 30 days", "the 30 days to
    2025-02-14"."""
    if shown.moved:
        return f"the {len(shown.days)} days to {shown.until:%Y-%m-%d}"
    return f"the last {len(shown.days)} days"


def notice(shown: Figures) -> str:
    """What to say of days that hold nothing of the scope ("" when they hold some)."""
    if not shown.empty:
        return ""
    if shown.newest is None:
        return "nothing here: no article is in this scope"
    return (f"nothing arrived in {arrivals_span(shown)}; the newest article is from "
            f"{shown.newest:%Y-%m-%d}")
