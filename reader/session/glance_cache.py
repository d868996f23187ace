"""The archive at a glance counted from the metadata cache (reader/archive/cache.py), not
from every record: what `newsreader stats` counts.

Only the days looked at are read whole (a range of the cache's date index: a few
thousand rows of a 100k archive).  The rest of the archive is asked only what the
figures need: how many articles it has and its newest date (All), or which of a
search's hits it holds and their dates; which read and starred articles it still
holds (the totals); and so which read articles are dated before the days looked at
(your reading counts them on the day they were read).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import AbstractSet

from reader.session.catalog import Catalog
from reader.session.glance import Totals, paths_totals
from reader.session.glance_scope import Glance, GlanceScope, holding
from reader.session.glance_window import Window

NEWEST = "newest"  # `until`: the day of the scope's newest article


def cached_glance(cache, state, now: datetime, days: int, tz,
                  hits: AbstractSet[str] | None = None,
                  until: date | str | None = None,
                  hidden: AbstractSet[str] = frozenset()) -> Glance:
    """The glance of All (`hits` None) or of a search's hits over the `days` days to
    `now`, what arrived over the days to `until` (a day, NEWEST, None: today), less the
    `hidden` articles (what the hide rules hide); `state` the state store (None:
    nothing read)."""
    read, starred = _marks(state)
    if hits is None:
        gone = cache.dates_of(hidden).keys() if hidden else frozenset()
        held = cache.dates_of(read | starred).keys() - gone
        total = cache.count() - len(gone)
        newest = _newest_of_all(cache) if not gone else _newest_shown(cache, gone)
        totals = Totals(total, total - len(held & read), len(held & starred))
        member, older = (lambda a: a.path not in gone) if gone else None, held & read
    else:
        dated = cache.dates_of(hits - hidden)
        newest = datetime.fromtimestamp(max(dated.values()), tz) if dated else None
        paths = frozenset(dated)
        totals, member, older = paths_totals(paths, read, starred), holding(paths), paths
    end = _end_day(until, newest, tz)
    reading = Window.ending(now, days, tz)
    since = min(reading.starts[0], Window(end, days, tz).starts[0] if end else reading.starts[0])
    articles = tuple(cache.articles_since(since))
    catalog = Catalog(articles, {a.path: a for a in articles})
    scope = GlanceScope(catalog, read, starred, member, totals, older=older)
    return scope.counted(state, now, days, tz, end, newest)


def _marks(state) -> tuple[frozenset[str], frozenset[str]]:
    if state is None:
        return frozenset(), frozenset()
    return frozenset(state.read_set()), frozenset(state.starred_set())


def _newest_of_all(cache) -> datetime | None:
    newest = cache.newest(1)
    return newest[0].date if newest else None


def _newest_shown(cache, gone: AbstractSet[str]) -> datetime | None:
    """The newest article's date but for the `gone` ones."""
    newest = cache.newest(len(gone) + 1)
    return next((a.date for a in newest if a.path not in gone), None)


def _end_day(until: date | str | None, newest: datetime | None, tz) -> date | None:
    if until == NEWEST:
        return newest.astimezone(tz).date() if newest else None
    return until
