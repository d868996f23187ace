"""What the index has still to take: the deltas of scans made while it was busy.

A watched archive changes while its index is being written (a first build of
100,000 articles takes minutes; a burst of 1,000 files, seconds).  Each scan's
delta and the articles it parsed wait here; the index worker, when it is free,
takes them all as one delta: a path's last change wins, and a path added then
removed is only removed.  Or it takes "everything the ledger says is not
indexed" (`full`), after a rescan (`r`) or at start.  Owned by the event loop:
it is changed and read only there.
"""

from __future__ import annotations

from typing import Mapping

from reader.archive.model import Article, Delta, ParsedArticle


class IndexBacklog:
    def __init__(self) -> None:
        self._records: dict[str, Article] = {}  # added or changed, by path
        self._removed: set[str] = set()
        self._parsed: dict[str, ParsedArticle] = {}
        self.full = False  # a whole update (from the ledger) is wanted

    def __bool__(self) -> bool:
        return self.full or bool(self._records or self._removed)

    def add(self, delta: Delta, parsed: Mapping[str, ParsedArticle] = {}) -> None:
        for article in (*delta.added, *delta.changed):
            self._records[article.path] = article
            self._removed.discard(article.path)
            self._parsed.pop(article.path, None)
        for path in delta.removed:
            self._records.pop(path, None)
            self._parsed.pop(path, None)
            self._removed.add(path)
        self._parsed.update((path, parsed[path]) for path in self._records if path in parsed)

    def want_full(self) -> None:
        self.full = True

    def take(self) -> tuple[Delta | None, dict[str, ParsedArticle]]:
        """What to index now and empty the backlog: (None, {}) for a whole update, else
        one delta with the parsed articles it has."""
        if self.full:
            delta, parsed = None, {}
        else:
            delta = Delta(added=tuple(self._records.values()), removed=tuple(self._removed))
            parsed = self._parsed
        self.__init__()
        return delta, parsed
