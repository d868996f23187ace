"""The catalog's articles that the index does not hold yet, kept as its commits land.

While the first index is built (or a large delta is indexed), a search finds the
part already indexed in the index and the rest by its titles
(reader/session/title_hits.py).  Which articles are the rest is read from the
segments of the searcher the search runs on (`SearchIndex.held_segments`), so
that it is what that search did not see, not what a ledger says:

- a commit adds a segment (2,000 articles): only its paths are read, and taken
  out of the rows kept (one pass over those rows, a few ms at 100k);
- a merge of segments brings no new path: nothing changes;
- segments gone whose paths are not all in the new ones (the index was rebuilt)
  make the set of indexed paths again, from every segment;
- a new catalog (the scan growing it, a watched batch) makes the rows again from
  that set: one pass over its titles, in the search's worker.

Nothing is built per keystroke.  Each index reader (the first pages', the
complete lists') has its own, since each may be on another commit.
"""

from __future__ import annotations

import threading
from itertools import chain
from typing import Sequence

Row = tuple[str, str]  # (path, folded title), as the catalog's `titles`
Segments = Sequence[tuple[str, Sequence[str | None]]]  # (segment id, its paths)


class Unindexed:
    """The rows of a catalog's titles that no segment of the index holds (thread-safe:
    the rows given out are never changed)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._titles: Sequence[Row] | None = None
        self._segments: dict[str, Sequence[str | None]] = {}
        self._indexed: set[str] = set()
        self._rows: list[Row] = []

    def rows(self, titles: Sequence[Row], segments: Segments) -> list[Row]:
        """The `titles` (the catalog's, newest first) of the articles none of `segments`
        holds, newest first."""
        with self._lock:
            added, remade = self._take(dict(segments))
            if remade or titles is not self._titles:
                indexed = self._indexed
                self._rows = [row for row in titles if row[0] not in indexed]
                self._titles = titles
            elif added:
                self._rows = [row for row in self._rows if row[0] not in added]
            return self._rows

    def forget(self) -> None:
        """Let go of everything (the index holds the whole catalog: no longer asked)."""
        with self._lock:
            if self._titles is not None or self._segments:
                self._titles, self._segments, self._indexed, self._rows = None, {}, set(), []

    def _take(self, current: dict[str, Sequence[str | None]]) -> tuple[set[str], bool]:
        """The indexed paths as of `current` segments: (the paths new to them, whether
        they were made again from every segment)."""
        known = self._segments
        added = set(chain.from_iterable(current[k] for k in current.keys() - known.keys()))
        added.discard(None)
        gone = chain.from_iterable(known[k] for k in known.keys() - current.keys())
        self._segments = current
        if not added.issuperset(p for p in gone if p is not None):
            self._indexed = set(chain.from_iterable(current.values()))
            self._indexed.discard(None)  # type: ignore[arg-type]
            return set(), True
        added -= self._indexed
        self._indexed |= added
        return added, False
