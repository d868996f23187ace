"""The reader's "New": the articles first seen since the previous visit started.

What is new is the state store's to say (reader/state/visits.py: a path deleted and
added again keeps its first sighting, and the previous visit's start survives a
crash), so the members are found where the store is written: on the state writer,
right after each batch of sightings it records (`record`), from one query of the
store at the first batch, then by the paths each later batch saw first.  The event
loop holds them as the New group (reader/state/groups.py), of the catalog's
articles only (`Services.take_new`), when it takes a catalog or a change (the
arrivals among its incoming articles) and whenever the writer says they grew
(`Services.on_new`): whichever of the two comes first, the other completes it, so
an arrival joins New and its count, and a deleted article leaves it with the
catalog (`GroupCounts.forget`).  `is:new` asks the same paths.
"""

from __future__ import annotations

from collections import deque
from itertools import chain
from typing import Callable, Iterable, Mapping

from reader.archive.model import Article
from reader.state import Visits


class NewArrivals:
    """The paths first seen since the previous visit started, as the state writer last
    found them (None until it first has): a frozenset replaced, never edited, so any
    thread may read it.  It only grows within a visit (its boundary is fixed), so the
    event loop takes only what the writer added since it last looked (`joined`): a
    burst costs its own size, not New's."""

    def __init__(self) -> None:
        self.paths: frozenset[str] | None = None
        self._fresh: deque[frozenset[str]] = deque()  # added by the writer, not yet taken

    def record(self, visits: Visits, paths: list[str], baseline: bool = False,
               stop: Callable[[], bool] = bool) -> bool:
        """On the state writer: record these sightings (`baseline`: a whole catalog's);
        returns whether the new paths grew.  `stop()` true: the process ends, what is
        not recorded yet is left for the next start (and nothing grows)."""
        seen = visits.see(paths, baseline, stop) if paths else []
        if stop():
            return False
        if self.paths is None:
            fresh = frozenset(visits.new_paths())
            self.paths = fresh
        elif seen and visits.sighting_is_new(baseline):
            fresh = frozenset(seen)
            self.paths = self.paths | fresh
        else:
            return False
        self._fresh.append(fresh)  # after `paths`: what is taken from here is in it
        return True

    def joined(self, by_path: Mapping[str, Article], incoming: Iterable[str] = (),
               whole: bool = False) -> set[str] | None:
        """On the event loop: the new paths of the catalog's articles (`by_path`) to add
        to New: those the writer found since the last call, and those of `incoming`
        (articles the catalog just took); every one when `whole` (a new catalog)."""
        fresh = [self._fresh.popleft() for _ in range(len(self._fresh))]
        paths = self.paths
        if paths is None:
            return None
        joined = set(filter(by_path.__contains__, paths if whole else chain(*fresh)))
        joined.update(p for p in incoming if p in paths)
        return joined
