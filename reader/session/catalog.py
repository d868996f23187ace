"""The catalog: every article the reader knows, newest first, as an immutable snapshot.

A `Catalog` is never changed: `apply(delta)` returns a new one, so a worker that
holds a catalog (a search, the list being computed) reads one consistent state
while a newer one is made.  The reader holds one reference (`Services.catalog`)
and swaps it in one step.

Applying a delta costs in proportion to the change, plus C-speed copies of the
list and the dict: a small delta inserts by date with bisect and deletes in
place; a large one (a `git pull`) filters and re-sorts in C (timsort finds the
two sorted runs).  Nothing loops over every article in Python.  The path of
each article's place (`rank`), the paths and the folded titles in order are
derived on first use, also in C.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress
from operator import attrgetter, not_
from typing import Iterable, Mapping, Sequence

from reader.archive.model import Article, Delta
from reader.index.analysis import fold
from reader.session.listing import newest_first

_PATH = attrgetter("path")
_BULK = 1000  # changes from which a delta is applied by filter and sort, not one by one


def order_key(article: Article) -> tuple[float, str]:
    """An article's place newest first: the date, then the path (as `newest_first`)."""
    return -article.date.timestamp(), article.path


@dataclass(frozen=True, eq=False)
class Catalog:
    """The articles newest first and each by its path; `folded`: each path's title folded
    as the index folds text (for the title search and "Jump to")."""

    articles: tuple[Article, ...] = ()
    by_path: Mapping[str, Article] = field(default_factory=dict)
    folded: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, articles: Iterable[Article]) -> "Catalog":
        ordered = tuple(newest_first({a.path: a for a in articles}.values()))
        by_path = dict(zip(map(_PATH, ordered), ordered))
        folded = dict(zip(by_path, folded_titles([a.title for a in ordered])))
        return cls(ordered, by_path, folded)

    def __len__(self) -> int:
        return len(self.articles)

    @cached_property
    def paths(self) -> tuple[str, ...]:
        return tuple(map(_PATH, self.articles))

    @cached_property
    def rank(self) -> dict[str, int]:
        """Each path's place in `articles`."""
        return dict(zip(self.paths, range(len(self.articles))))

    @cached_property
    def titles(self) -> list[tuple[str, str]]:
        """(path, folded title), newest first."""
        return list(zip(self.paths, map(self.folded.__getitem__, self.paths)))

    def ready(self) -> "Catalog":
        """This catalog with its derived parts made (in the worker that made it, so the
        event loop that takes it only swaps a reference)."""
        self.rank, self.titles  # noqa: B018 (cached on first use)
        return self

    def outgoing(self, delta: Delta) -> list[Article]:
        """The records of this catalog that `delta` removes or replaces."""
        paths = [*delta.removed, *map(_PATH, delta.added), *map(_PATH, delta.changed)]
        return [a for a in map(self.by_path.get, dict.fromkeys(paths)) if a is not None]

    def apply(self, delta: Delta) -> "Catalog":
        """A new catalog with `delta` applied.  An added path already known counts as
        changed, a changed one unknown as added; removing an unknown path does nothing."""
        incoming = {a.path: a for a in (*delta.added, *delta.changed)}
        gone = self.outgoing(delta)
        if not incoming and not gone:
            return self
        by_path = dict(self.by_path)
        folded = dict(self.folded)
        for article in gone:
            del by_path[article.path], folded[article.path]
        by_path.update(incoming)
        folded.update(zip(incoming, folded_titles([a.title for a in incoming.values()])))
        return Catalog(tuple(edited(self.articles, gone, incoming.values())), by_path, folded)


@dataclass(frozen=True, eq=False)
class CatalogChange:
    """A delta applied: the new catalog, the delta, and the records it replaced or removed
    (`outgoing`, from the catalog before): what the counts, the tree and the list need."""

    catalog: Catalog
    delta: Delta
    outgoing: tuple[Article, ...] = ()

    @cached_property
    def incoming(self) -> tuple[Article, ...]:
        """The new records (added or changed), once each."""
        return tuple({a.path: a for a in (*self.delta.added, *self.delta.changed)}.values())

    @cached_property
    def gone(self) -> frozenset[str]:
        """The paths no longer in the catalog."""
        return frozenset(self.delta.removed) & {a.path for a in self.outgoing}


def edited(articles: Sequence[Article], outgoing: Sequence[Article],
           incoming: Iterable[Article]) -> list[Article]:
    """Articles newest first (the catalog, or a list's rows) less the `outgoing` records
    (as they were: their dates find them; those absent are skipped), with `incoming`
    sorted in."""
    incoming = list(incoming)
    if len(outgoing) + len(incoming) >= _BULK:
        return _merged(articles, {a.path for a in outgoing}, incoming)
    return _edited(articles, outgoing, incoming)


def _edited(articles: Sequence[Article], gone: Sequence[Article], incoming: Iterable[Article]
            ) -> list[Article]:
    """A few changes, one by one: each a bisect and a C-level move of the list."""
    out = list(articles)
    for article in gone:
        index = bisect_left(out, order_key(article), key=order_key)
        if index < len(out) and out[index].path == article.path:
            del out[index]
    for article in incoming:
        insort(out, article, key=order_key)
    return out


def _merged(articles: Sequence[Article], gone: set[str], incoming: list[Article]
            ) -> list[Article]:
    """Many changes at once: the survivors filtered and the newcomers sorted in, in C."""
    kept = list(compress(articles, map(not_, map(gone.__contains__, map(_PATH, articles)))))
    return newest_first(kept + incoming)


def folded_titles(titles: list[str], chunk: int = 250) -> list[str]:
    """fold() over many titles, a chunk per call: one OpenCC conversion of a joined chunk
    costs far less than one per title.  Titles hold no newline (the archive collapses
    white space), so the chunk splits back exactly."""
    out: list[str] = []
    for start in range(0, len(titles), chunk):
        part = titles[start:start + chunk]
        folded = fold("\n".join(part)).split("\n")
        out.extend(folded if len(folded) == len(part) else [fold(t) for t in part])
    return out
