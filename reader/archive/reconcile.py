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

from operator import methodcaller
from typing import TYPE_CHECKING, Iterable, Mapping

from reader.archive.model import Article, Delta, Scope

if TYPE_CHECKING:
    from reader.archive.cache import MetadataCache

Stamp = tuple[int, float]  # (size, mtime) of an Article


def stamp(article: Article) -> Stamp:
    return article.size, article.mtime


def reconcile(cache: "MetadataCache", known: Mapping[str, Stamp], scope: Scope | None,
              own: Delta = Delta()) -> Delta:
    """The delta that brings `known` to what the cache holds within `scope` (None: the
    whole archive); `own`: the delta of the scan that just ran (its records are used
    rather than read again, and each of them counts even where the stamp did not move:
    a date parsed again in a new time zone)."""
    if scope is None:
        cached, mine = cache.article_stamps(), known.keys()
    else:
        cached, mine = cache.article_stamps(scope.paths, scope.folders), in_scope(known, scope)
    ours = {a.path: a for a in (*own.added, *own.changed)}
    differ = [p for p, now in cached.items() if p in ours or known.get(p) != now]
    records = _records(cache, differ, cached, ours)
    return Delta(tuple(a for a in records if a.path not in known),
                 tuple(a for a in records if a.path in known),
                 tuple(sorted(p for p in mine if p not in cached)))


def in_scope(known: Mapping[str, Stamp], scope: Scope) -> list[str]:
    """The paths of `known` that `scope` covers (a pass over `known` in C where the scope
    has folders)."""
    inside = [p for p in scope.paths if p in known]
    if scope.folders:
        below = filter(methodcaller("startswith", tuple(f"{f}/" for f in scope.folders)), known)
        inside = list(dict.fromkeys([*inside, *below]))
    return inside


def _records(cache: "MetadataCache", paths: Iterable[str], cached: Mapping[str, Stamp],
             ours: Mapping[str, Article]) -> list[Article]:
    """The cache's records of `paths`: the scan's own where the cache still has them (same
    stamp), the rest read from the cache (another process stored them)."""
    mine, other = [], []
    for path in paths:
        article = ours.get(path)
        (mine if article is not None and stamp(article) == cached[path] else other).append(path)
    return [ours[p] for p in mine] + cache.articles_of(other)


def apply_stamps(known: dict[str, Stamp], delta: Delta) -> None:
    """`known` (a consumer's stamps) brought up to date with `delta`."""
    for path in delta.removed:
        known.pop(path, None)
    known.update((a.path, stamp(a)) for a in (*delta.added, *delta.changed))
