"""The days "the archive at a glance" looks at: the last N days to today, in one time zone.

Figures are counted in buckets: `BEFORE` (older than the window), one per day of the
window (oldest first), and `AFTER` (dated past the end of today: a clock running
ahead, a scheduled post).  A bucket is found by bisecting the days' start times, so an
article's date is never converted to the zone one by one, and a day with a DST change
is as long as the zone makes it.  The window always spans at least two weeks, for the
"this week" and "last week" figures.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cached_property
from operator import attrgetter
from typing import Sequence

from reader.archive.model import Article

WEEK = 7
_DATE = attrgetter("date")


@dataclass(frozen=True)
class Window:
    """`days` days ending with `today` (in `tz`); `span` >= two weeks of buckets."""

    today: date
    days: int
    tz: tzinfo

    @classmethod
    def ending(cls, now: datetime, days: int, tz: tzinfo) -> "Window":
        if days < 1:
            raise ValueError("a window of at least one day")
        return cls(now.astimezone(tz).date(), days, tz)

    @property
    def span(self) -> int:
        return max(self.days, 2 * WEEK)

    @cached_property
    def starts(self) -> tuple[float, ...]:
        """The start of each day of the span, then the end of today (span + 1 times)."""
        first = self.today - timedelta(days=self.span - 1)
        return tuple(self._midnight(first + timedelta(days=i)) for i in range(self.span + 1))

    @cached_property
    def hour_starts(self) -> tuple[float, ...]:
        """The start of each hour of today, then the end of today (25 times)."""
        day = datetime.combine(self.today, time(), self.tz)
        return tuple(day.timestamp() + 3600 * h for h in range(24)) + (self.starts[-1],)

    def _midnight(self, day: date) -> float:
        return datetime.combine(day, time(), self.tz).timestamp()

    @property
    def after(self) -> int:
        """The bucket of articles dated after today (BEFORE is -1)."""
        return self.span

    def bucket(self, timestamp: float) -> int:
        """-1 (before the window), a day's index (0 the oldest), or `after`."""
        return bisect_right(self.starts, timestamp) - 1

    def day(self, index: int) -> date:
        return self.today - timedelta(days=self.span - 1 - index)

    def week_of(self, bucket: int) -> int | None:
        """0 for this week (the last seven days), 1 for the week before, else None."""
        if 0 <= bucket < self.span:
            back = (self.span - 1 - bucket) // WEEK
            return back if back < 2 else None
        return None

    def is_today(self, bucket: int) -> bool:
        return bucket == self.span - 1

    def hour(self, timestamp: float) -> int:
        return bisect_right(self.hour_starts, timestamp) - 1

    def days_of(self, newest_first: Sequence[Article]) -> list[Sequence[Article]]:
        """The articles of each day of the span (oldest day first), sliced out of a
        catalog's articles (newest first) by bisecting their dates: O(span log n)."""
        bounds = self.bounds_of(newest_first)
        return [newest_first[bounds[i + 1]:bounds[i]] for i in range(self.span)]

    def bounds_of(self, newest_first: Sequence[Article]) -> list[int]:
        """Where each day of the span starts in articles newest first (then where today
        ends): the article at place r is in bucket i where bounds[i+1] <= r < bounds[i],
        that is bisect_left(-bounds, -r) - 1."""
        return [self.index_of(newest_first, t) for t in self.starts]

    @cached_property
    def starts_us(self) -> tuple[int, ...]:
        """`starts` in µs since the epoch (the state store's times): a time's bucket is
        bisect_right(starts_us, us) - 1."""
        return tuple(int(t * 1e6) for t in self.starts)

    def hours_of(self, today: Sequence[Article]) -> list[int]:
        """How many of today's articles (newest first) fall in each hour."""
        bounds = [self.index_of(today, t) for t in self.hour_starts]
        return [bounds[h] - bounds[h + 1] for h in range(24)]

    def index_of(self, newest_first: Sequence[Article], timestamp: float) -> int:
        """The first place (newest first) of an article dated before `timestamp`."""
        return bisect_right(newest_first, -timestamp, key=_minus_timestamp)

    def after_of(self, newest_first: Sequence[Article]) -> Sequence[Article]:
        """The articles dated after today (at the head of the catalog)."""
        return newest_first[:self.index_of(newest_first, self.starts[-1])]


def _minus_timestamp(article: Article) -> float:
    return -article.date.timestamp()
