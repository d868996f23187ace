"""The catalog: every article the reader knows, newest first, as an immutable snapshot.

A `Catalog` is never changed: `apply(delta)` returns a new one, so a worker that
holds a catalog (a search, the list being computed) reads one consistent state
while a newer one is made.  The reader holds one reference (`Services.catalog`)
and swaps it in one step.

Applying a delta costs in proportion to the change, plus C-speed copies: each
change finds its place by bisection (`Splice`), and the new tuple is put together
from slices of the old one, so no article is compared with another and no record
or pair is made anew but the changed ones.  The paths and the (path, folded title)
pairs in order are carried over by the same splice; only each path's place
(`rank`) is made again, a chunk at a time, so that no single step holds the GIL
for long (the event loop, waiting for it, would be late).
"""

from __future__ import annotations

import gc
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, Sequence, Sized, TypeVar

from reader.archive.model import Article, Delta
from reader.index.analysis import fold
from reader.session.listing import newest_first

if TYPE_CHECKING:
    from reader.session.stories import Staged

_PATH = attrgetter("path")
_CHUNK = 10_000  # places made per step of `rank` (~1 ms with the GIL held)
_AGED_FROM = 10_000  # containers from which a young collection costs a late frame: `aged`
T = TypeVar("T")
C = TypeVar("C", bound=Sized)


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
        """Each path's place in `articles`, made a chunk at a time (one C call over 100,000
        paths holds the GIL for tens of milliseconds)."""
        rank: dict[str, int] = {}
        paths = self.paths
        for start in range(0, len(paths), _CHUNK):
            rank.update(zip(paths[start:start + _CHUNK], range(start, start + _CHUNK)))
        return rank

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
        by_path, folded = aged(dict(self.by_path)), dict(self.folded)  # (folded: untracked)
        for article in gone:
            del by_path[article.path], folded[article.path]
        by_path.update(incoming)
        folded.update(zip(incoming, folded_titles([a.title for a in incoming.values()])))
        new = sorted(incoming.values(), key=order_key)
        splice = Splice(self.articles, gone, new)
        catalog = Catalog(aged(tuple(splice.applied(self.articles, new))), by_path, folded)
        self._carry(catalog, splice, new)
        return catalog

    def _carry(self, catalog: "Catalog", splice: "Splice", new: list[Article]) -> None:
        """The derived parts this snapshot has made, cut by the splice that made `catalog`
        (`new`: the records it put in), rather than made anew from every article."""
        made = vars(self)
        if "paths" in made:
            vars(catalog)["paths"] = aged(tuple(splice.applied(self.paths,
                                                               list(map(_PATH, new)))))
        if "titles" in made:
            vars(catalog)["titles"] = aged(list(splice.applied(
                self.titles, [(a.path, catalog.folded[a.path]) for a in new])))


@dataclass(frozen=True, eq=False)
class CatalogChange:
    """A delta applied: the new catalog, the delta, and the records it replaced or removed
    (`outgoing`, from the catalog before): what the counts, the tree and the list need;
    the stories as the delta made them, grouped in the worker that made it (`stories`,
    shown in the same step; None where they were not), and the bodies its scan parsed,
    by path (`bodies`: what the stories are grouped from, not read again)."""

    catalog: Catalog
    delta: Delta
    outgoing: tuple[Article, ...] = ()
    stories: Staged | None = None
    bodies: Mapping[str, str] = field(default_factory=dict, repr=False)

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
    new = sorted(incoming, key=order_key)
    return list(Splice(articles, outgoing, new).applied(articles, new))


class Splice:
    """Where a delta cuts a sequence of articles newest first: the places of the records
    that go (found by their dates) and the places where each new one (`incoming`, newest
    first) goes in, each found by bisection.  `applied` cuts that sequence, or any other
    in step with it (its paths, its titles), the same way."""

    def __init__(self, articles: Sequence[Article], outgoing: Iterable[Article],
                 incoming: Sequence[Article]) -> None:
        cuts = []  # (place in `articles`, 1: drop it / 0: insert incoming[j] before it, j)
        for article in outgoing:
            place = bisect_left(articles, order_key(article), key=order_key)
            if place < len(articles) and articles[place].path == article.path:
                cuts.append((place, 1, 0))
        place = 0
        for j, article in enumerate(incoming):  # newest first: each after the one before
            place = bisect_left(articles, order_key(article), place, key=order_key)
            cuts.append((place, 0, j))
        cuts.sort()
        self.cuts = cuts

    def applied(self, old: Sequence[T], new: Sequence[T]) -> Iterator[T]:
        """`old` (in step with the articles) cut: the dropped places left out, `new[j]`
        put in at its place."""
        pieces: list[Sequence[T]] = []
        start = 0
        for place, drop, j in self.cuts:
            pieces.append(old[start:place])
            if drop:
                start = place + 1
            else:
                pieces.append((new[j],))
                start = place
        pieces.append(old[start:])
        return chain.from_iterable(pieces)


def aged(container: C) -> C:
    """`container` (a new one, of up to 100,000 references) out of the garbage collector's
    young generations at once.  A young collection runs every few hundred allocations, in
    whichever thread allocates (the event loop, often), and each one that finds such a
    container young walks everything it refers to with the GIL held: 10-100 ms at 100k,
    several times over as it ages.  Collected now, in the worker that made it, it is
    walked once; the old generation is walked only by the rare full collections.  (A
    dict of strings to strings or ints is not tracked at all: `folded`, `rank`.)"""
    if len(container) >= _AGED_FROM:
        gc.collect(1)
    return container


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
