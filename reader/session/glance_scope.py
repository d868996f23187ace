"""What "the archive at a glance" counts: a scope (All, a tree group, a search's hits)
taken from the reader's state on the event loop, and its tally counted in a worker.

`GlanceScope.of` copies what a worker may not read while the loop changes it (the
marks, the group counts); `counted` then reads only the catalog snapshot, the copies
and the state store's read times.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import AbstractSet, Sequence

from reader.session.catalog import Catalog
from reader.session.glance import Member, Tally, Totals, paths_totals, tally
from reader.session.glance_window import Window
from reader.state.groups import Key, MarkGroup


@dataclass(frozen=True)
class GlanceScope:
    """A scope and the reader's state when it was taken (never printed whole: a worker's
    description would hold 100k articles)."""

    catalog: Catalog = field(repr=False)
    read: frozenset[str] = field(repr=False)
    starred: frozenset[str] = field(repr=False)
    member: Member
    totals: Totals | None
    by_marks: bool = False  # membership follows the marks (Unread, Starred): counted again

    @classmethod
    def of(cls, services, group: Key, hits: Sequence[str] | None = None) -> "GlanceScope":
        """On the event loop: the scope of `group`, narrowed to `hits` when a search is
        on (its hits within the group)."""
        catalog, read, starred = services.catalog, services.read_set(), services.starred_set()
        chosen, count = services.group(group), services.counts[group]
        scope = cls(catalog, read, starred, chosen.member(read, starred),
                    Totals(count.total, count.unread, count.starred),
                    isinstance(chosen, MarkGroup))
        return scope if hits is None else scope.narrowed(hits)

    def narrowed(self, hits: Sequence[str]) -> "GlanceScope":
        """This scope as a search's hits within it (in a worker: only copies are read)."""
        paths = frozenset(hits) & self.catalog.by_path.keys()
        return replace(self, member=_holds(paths), by_marks=False,
                       totals=paths_totals(paths, self.read, self.starred))

    def counted(self, store, now: datetime, days: int, tz) -> Tally:
        """In a worker: the tally of this scope over the `days` days to `now`."""
        window = Window.ending(now, days, tz)
        return tally(self.catalog, window, self.read, self.starred, self.member,
                     self.totals, read_times(store, window))


def read_times(store, window: Window) -> dict[str, int]:
    """The read times since the window's start (none without a store)."""
    if store is None or not hasattr(store, "read_times"):
        return {}
    return store.read_times(int(window.starts[0] * 1e6))


def now_in(tz) -> datetime:
    return datetime.fromtimestamp(time.time(), tz)


def _holds(paths: AbstractSet[str]) -> Member:
    return lambda article: article.path in paths
