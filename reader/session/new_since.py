"""The reader's "New": the articles first seen since the previous visit started.

What is new is the state store's to say (reader/state/visits.py: a path deleted and
added again keeps its first sighting, and the previous visit's start survives a
crash), so the members are found where the store is written: on the state writer,
right after each batch of sightings it records (`record`), from one query of the
store at the first batch, then by the paths each later batch saw first.  The event
loop holds them as the New group (reader/state/groups.py), of the catalog's
articles only (`Services.take_new`), when it takes a catalog and whenever the
writer says they changed (`Services.on_new`): whichever of the two comes first, the
other completes it, so an arrival joins New and its count, and a deleted article
leaves it with the catalog (`GroupCounts.forget`).  `is:new` asks the same paths.
"""

from __future__ import annotations

from typing import Mapping

from reader.archive.model import Article
from reader.state import Visits


class NewArrivals:
    """The paths first seen since the previous visit started, as the state writer last
    found them (None until it first has): a frozenset replaced, never edited, so any
    thread may read it."""

    def __init__(self) -> None:
        self.paths: frozenset[str] | None = None

    def record(self, visits: Visits, paths: list[str], baseline: bool = False) -> bool:
        """On the state writer: record these sightings (`baseline`: a whole catalog's);
        returns whether the new paths changed."""
        seen = visits.see(paths, baseline) if paths else []
        if self.paths is None:
            self.paths = frozenset(visits.new_paths())
        elif seen and visits.sighting_is_new(baseline):
            self.paths = self.paths | frozenset(seen)
        else:
            return False
        return True

    def members(self, by_path: Mapping[str, Article]) -> frozenset[str] | None:
        """The new paths of the catalog's articles, as the catalog's own strings."""
        paths = self.paths
        if paths is None:
            return None
        return frozenset(by_path[p].path for p in paths if p in by_path)
