"""What "the archive at a glance" counts: a scope (All, a tree group, a search's hits)
taken from the reader's state on the event loop, and its tallies counted in a worker.

`GlanceScope.of` copies what a worker may not read while the loop changes it (the
marks, the group counts); `counted` then reads only the catalog snapshot, the copies
and the state store's read times.

An archive that is not kept up to date has nothing in the days to today, so what
arrived can be looked at in the days to another day (`until`: the scope's newest,
say) while your reading stays on the days to today: a `Glance` holds the two tallies,
one when the windows are one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import islice
from typing import AbstractSet, Sequence

from reader.archive.model import Article
from reader.session.catalog import Catalog, CatalogChange
from reader.session.glance import Member, Tally, Totals, paths_totals, tally
from reader.session.glance_window import Window
from reader.session.listing import unhidden
from reader.state.groups import Key, MarkGroup
from reader.state.rule_marks import HIDDEN_KIND


@dataclass
class Glance:
    """A scope's `arrivals` (in a window to today or to `until`) and `reading` (the
    days to today: the same tally when the windows are one), and the date of the
    scope's newest article (None: it has none), all kept by deltas."""

    arrivals: Tally
    reading: Tally
    newest: datetime | None = None

    @property
    def tallies(self) -> tuple[Tally, ...]:
        return (self.arrivals,) if self.reading is self.arrivals else (
            self.arrivals, self.reading)

    def changed(self, change: CatalogChange, read: AbstractSet[str],
                starred: AbstractSet[str]) -> bool:
        """Apply a catalog change; False when it took the scope's newest article away
        (which one is newest now is not known without counting again)."""
        for counted in self.tallies:
            counted.changed(change, read, starred)
        return self._follow_newest(change)

    def marked(self, field: int, article: Article, value: bool, now: float) -> None:
        for counted in self.tallies:
            counted.marked(field, article, value, now)

    def _follow_newest(self, change: CatalogChange) -> bool:
        in_scope = self.arrivals.in_scope
        dates = [a.date for a in change.incoming if in_scope(a)]
        newest = self.newest
        lost = newest is not None and any(a.date == newest for a in change.outgoing
                                          if in_scope(a))
        if lost and not any(d >= newest for d in dates):
            return False
        self.newest = max([*dates, *([] if newest is None or lost else [newest])],
                          default=None)
        return True


@dataclass(frozen=True)
class GlanceScope:
    """A scope and the reader's state when it was taken (never printed whole: a worker's
    description would hold 100k articles).  `older`: the scope's articles that the
    catalog leaves out, all dated before its oldest (a catalog of the window's slice
    only, `newsreader stats`)."""

    catalog: Catalog = field(repr=False)
    read: frozenset[str] = field(repr=False)
    starred: frozenset[str] = field(repr=False)
    member: Member
    totals: Totals | None
    by_marks: bool = False  # membership follows the marks (Unread, Starred): counted again
    older: AbstractSet[str] = field(default=frozenset(), repr=False)
    hidden: frozenset[str] = field(default=frozenset(), repr=False)  # what rules hide

    @classmethod
    def of(cls, services, group: Key, hits: Sequence[str] | None = None) -> "GlanceScope":
        """On the event loop: the scope of `group`, narrowed to `hits` when a search is
        on (its hits within the group)."""
        catalog, read, starred = services.catalog, services.read_set(), services.starred_set()
        chosen, count = services.group(group), services.counts[group]
        hidden = frozenset() if group[0] == HIDDEN_KIND else services.counts.hidden
        scope = cls(catalog, read, starred, unhidden(chosen.member(read, starred), hidden),
                    Totals(count.total, count.unread, count.starred),
                    isinstance(chosen, MarkGroup), hidden=hidden)
        return scope if hits is None else scope.narrowed(hits)

    def narrowed(self, hits: Sequence[str]) -> "GlanceScope":
        """This scope as a search's hits within it, less the hidden ones (in a worker:
        only copies are read)."""
        paths = (frozenset(hits) & self.catalog.by_path.keys()) - self.hidden
        return replace(self, member=holding(paths), by_marks=False,
                       totals=paths_totals(paths, self.read, self.starred))

    def newest(self) -> datetime | None:
        """The date of the scope's newest article in the catalog (None: none is)."""
        articles = self.catalog.articles
        found = articles[:1] if self.member is None else islice(
            filter(self.member, articles), 1)
        return next((a.date for a in found), None)

    def counted(self, store, now: datetime, days: int, tz, until: date | None = None,
                newest: datetime | None = None) -> Glance:
        """In a worker: the tallies of this scope over the `days` days to `now`, what
        arrived over the days to `until` when given.  `newest`: the scope's newest
        date when the caller knows it (else found in the catalog)."""
        reading_window = Window.ending(now, days, tz)
        reading = tally(self.catalog, reading_window, self.read, self.starred, self.member,
                        self.totals, read_times(store, reading_window), self.older)
        arrivals = reading
        if until is not None and until != reading_window.today:
            arrivals = tally(self.catalog, Window(until, days, tz), self.read,
                             self.starred, self.member, self.totals)
        return Glance(arrivals, reading, newest or self.newest())


def read_times(store, window: Window) -> dict[str, int]:
    """The read times since the window's start (none without a store)."""
    if store is None or not hasattr(store, "read_times"):
        return {}
    return store.read_times(int(window.starts[0] * 1e6))


def now_in(tz) -> datetime:
    return datetime.fromtimestamp(time.time(), tz)


def holding(paths: AbstractSet[str]) -> Member:
    return lambda article: article.path in paths
