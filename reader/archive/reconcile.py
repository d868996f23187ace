"""What changed for one consumer: its own copy of the archive set against the cache.

The metadata cache is shared: a reader and `newsreader watch` (or two readers) on
the same data dir both scan the same changes, and whichever stores a change first
takes it out of the other's scan (the other finds the file already cached as it
is, or its record already forgotten).  So a scan's own delta (what THIS scan
stored) is not what changed for a consumer; this is: what the cache holds in the
scan's scope now, against what the consumer holds there (`known`: path -> (size,
mtime), the stamp each Article carries).  Only the records that differ are read
in full, from the scan's own records where they are the cache's: nothing is
parsed again, and the cost is the scope's (a whole-archive reconcile compares
stamps alone).
"""

from __future__ import annotations

from operator import itemgetter, methodcaller
from typing import TYPE_CHECKING, AbstractSet, Iterable, Iterator, Mapping, Protocol

from reader.archive.model import Article, Delta, Scope

if TYPE_CHECKING:
    from reader.archive.cache import MetadataCache

Stamp = tuple[int, float]  # (size, mtime) of an Article
StampRow = tuple[str, int, float]  # (path, size, mtime)


class Known(Protocol):
    """What a consumer holds: each path's stamp (`get`), and, for a whole-archive
    reconcile, its paths as a set (`keys`) and the rows whose stamp it holds otherwise
    (`differing`, a tight loop: 100,000 rows at each full rescan)."""

    def get(self, path: str, default: None = None) -> Stamp | None: ...

    def __contains__(self, path: object) -> bool: ...

    def __iter__(self) -> Iterator[str]: ...

    def keys(self) -> AbstractSet[str]: ...

    def differing(self, rows: Iterable[StampRow]) -> list[StampRow]: ...


class StampDict(dict):
    """A consumer's own stamps, path -> (size, mtime) (`newsreader watch`)."""

    def differing(self, rows: Iterable[StampRow]) -> list[StampRow]:
        get = self.get
        return [row for row in rows if get(row[0]) != row[1:]]


def stamp(article: Article) -> Stamp:
    return article.size, article.mtime


def reconcile(cache: "MetadataCache", known: Known, scope: Scope | None,
              own: Delta = Delta()) -> Delta:
    """The delta that brings `known` to what the cache holds within `scope` (None: the
    whole archive); `own`: the delta of the scan that just ran (its records are used
    rather than read again, and each of them counts even where the stamp did not move:
    a date parsed again in a new time zone)."""
    ours = {a.path: a for a in (*own.added, *own.changed)}
    differ, removed = (_whole(cache, known, ours) if scope is None
                       else _within(cache, known, scope, ours))
    records = _records(cache, differ, ours)
    return Delta(tuple(a for a in records if a.path not in known),
                 tuple(a for a in records if a.path in known), tuple(sorted(removed)))


def _within(cache: "MetadataCache", known: Known, scope: Scope, ours: Mapping[str, Article]
            ) -> tuple[dict[str, Stamp], list[str]]:
    """(the cache's stamps where they differ from `known` or the scan stored a record,
    the paths `known` holds that the cache no longer does), within `scope`."""
    cached = cache.article_stamps(scope.paths, scope.folders)
    differ = {p: now for p, now in cached.items() if p in ours or known.get(p) != now}
    return differ, [p for p in in_scope(known, scope) if p not in cached]


def _whole(cache: "MetadataCache", known: Known, ours: Mapping[str, Article]
           ) -> tuple[dict[str, Stamp], AbstractSet[str]]:
    """As `_within`, over the whole archive: stamps compared, no record read."""
    rows = cache.stamp_rows()
    differ = {path: (size, mtime) for path, size, mtime in known.differing(rows)}
    cached = set(map(itemgetter(0), rows))
    differ.update((p, known.get(p)) for p in ours if p not in differ and p in cached)
    return differ, known.keys() - cached


def in_scope(known: Known, scope: Scope) -> list[str]:
    """The paths of `known` that `scope` covers (a pass over `known` in C where the scope
    has folders)."""
    inside = [p for p in scope.paths if p in known]
    if scope.folders:
        below = filter(methodcaller("startswith", tuple(f"{f}/" for f in scope.folders)), known)
        inside = list(dict.fromkeys([*inside, *below]))
    return inside


def _records(cache: "MetadataCache", cached: Mapping[str, Stamp],
             ours: Mapping[str, Article]) -> list[Article]:
    """The cache's records of the `cached` paths: the scan's own where the cache still has
    them (same stamp), the rest read from the cache (another process stored them)."""
    mine, other = [], []
    for path, now in cached.items():
        article = ours.get(path)
        (mine if article is not None and stamp(article) == now else other).append(path)
    return [ours[p] for p in mine] + cache.articles_of(other)


def apply_stamps(known: StampDict, delta: Delta) -> None:
    """`known` (a consumer's stamps) brought up to date with `delta`."""
    for path in delta.removed:
        known.pop(path, None)
    known.update((a.path, stamp(a)) for a in (*delta.added, *delta.changed))
