"""Search for the reader: the full-text index when it is ready, titles until then.

`Searcher.search` is called from a worker thread on every keystroke; it
returns the set of matching paths (the list then applies the tree group and
the order) and the words to highlight.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Callable, Sequence

from reader.archive import Archive, Article
from reader.index import SearchIndex, index_dir_of, update_index

Progress = Callable[[int, int], None]
TITLES_ONLY = "index not ready: titles only"
_WORD = re.compile(r'"([^"]+)"|(\S+)')
_OPERATORS = {"and", "or", "not"}


@dataclass(frozen=True)
class SearchOutcome:
    """What one search found: hits is None when the query is empty (no filter)."""

    query: str
    hits: frozenset[str] | None
    terms: tuple[str, ...] = ()
    message: str = ""  # shown beside the count: titles only, or why the query is malformed
    error: bool = False

    @property
    def total(self) -> int:
        return 0 if self.hits is None else len(self.hits)


def query_words(query: str) -> list[str]:
    """The plain words of a query: quoted phrases kept whole, operators and field names dropped."""
    words = []
    for match in _WORD.finditer(query):
        word = match.group(1) or match.group(2)
        if not match.group(1):
            word = word.split(":", 1)[-1] if ":" in word else word
            word = word.strip("()*?+-")
            if word.lower() in _OPERATORS:
                continue
        if word:
            words.append(word)
    return words


class Searcher:
    """Title search over the articles in memory (the fallback and the jump-to-article search)."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.state = None  # the StateStore, for is: filters
        self.index = SearchIndex.open(index_dir_of(archive), root=archive.root,
                                      timezone=archive.settings.timezone)
        self._ready = False
        self._titles: list[tuple[str, str]] = []
        self._title_of: dict[str, str] = {}

    def set_articles(self, articles: Sequence[Article]) -> None:
        self._titles = [(a.path, a.title.casefold()) for a in articles]
        self._title_of = dict(self._titles)

    @property
    def ready(self) -> bool:
        """True once an index exists (an update may still be catching up)."""
        if not self._ready:
            status = self.index.status()
            self._ready = status.exists and status.indexed > 0
        return self._ready

    def search(self, query: str, cancelled: Callable[[], bool]) -> SearchOutcome:
        if not query.strip():
            return SearchOutcome(query, None)
        if not self.ready:
            return self.search_titles(query, cancelled, TITLES_ONLY)
        results = self.index.search(query, limit=0, sort="date", state=self.state)
        if results.error:
            return self.search_titles(query, cancelled, f"{results.error} (titles only)")
        return SearchOutcome(query, frozenset(results.paths), tuple(results.terms))

    def search_titles(self, query: str, cancelled: Callable[[], bool], message: str = ""
                      ) -> SearchOutcome:
        words = [w.casefold() for w in query_words(query)]
        if not words:
            return SearchOutcome(query, None, message=message)
        rows = self._titles
        first, rest = words[0], words[1:]
        paths = [p for p, t in rows if first in t]
        for word in rest:
            if cancelled():
                break
            paths = [p for p in paths if word in self._title_of[p]]
        return SearchOutcome(query, frozenset(paths), tuple(query_words(query)), message)

    def title_matches(self, text: str, limit: int = 30) -> list[str]:
        """Paths of the first `limit` articles (newest first) whose title contains `text`."""
        needle = text.casefold().strip()
        if not needle:
            return []
        found = []
        for path, title in self._titles:
            if needle in title:
                found.append(path)
                if len(found) >= limit:
                    break
        return found

    def update(self, articles: Sequence[Article], progress: Progress,
               cancel: threading.Event) -> str:
        """Bring the index up to date; returns a line for the status bar."""
        summary = update_index(self.archive, lambda phase, done, total: progress(done, total),
                               cancel, articles=list(articles))
        self.index.refresh()
        self._ready = False
        if summary.error:
            return f"Index: {summary.error}"
        return summary.notice or ("Index up to date" if not summary.cancelled else "")

    def close(self) -> None:
        self.index.close()
