"""Unread, starred and total counts for every group of the reader's tree.

The groups and their keys are those of reader/state/groups.py; each has
`total`, `unread` and `starred`: the counts of that group's articles.  Built in
a few C-speed passes (about 0.1 s for 100,000 articles) for the field groups,
and by set operations against the marks for a held group (its paths, less the
read, and with the starred), then kept current: `apply_read` / `apply_star`
after a mark changes, `add` / `remove` after the archive changes (a changed
article is its old record removed and its new one added), each touching only
the groups of the articles named (`Groups.keys_of`); `hold` / `drop` a held
group, whose members a newer `PathGroup` changes (`hold` again: only the
paths that joined or left are counted).  Nothing is recounted over the archive
for a change.  A field group whose last article goes leaves `keys()`; a new one
joins it; a held group stays while it is held, empty or not.  `shape` grows at
every change but a mark's, and `on_mark` is told of each path marked (what a view of
the counts, reader/session/story_counts.py, follows them by).

Hidden articles (the members of the held group HIDDEN: what the hide rules match,
reader/session/rules.py) are counted in HIDDEN only: a hidden article counts as
removed from every other group, All, Unread and Starred included, and `hold`
of HIDDEN moves only the articles that joined or left it (`_rehide`), so
removing a hide rule brings its articles' counts back by a delta.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import AbstractSet, Callable, Iterable, Iterator, Mapping, Sequence

from reader.archive.model import Article
from reader.state.groups import ALL, FIELD_KINDS, FIXED, STARRED, UNREAD, Groups, Key, PathGroup
from reader.state.rule_marks import HIDDEN

_CHUNK = 5000  # articles counted per C-level pass
_LOGGED = 64  # changes of shape whose paths `touched_since` can tell


@dataclass(frozen=True, slots=True)
class Count:
    total: int = 0
    unread: int = 0
    starred: int = 0


class GroupCounts:
    """Counts per group, from the archive's articles, the read and starred sets and the
    registry of groups (`groups`: its held groups are counted too, and kept)."""

    def __init__(self, articles: Sequence[Article], read: set[str], starred: set[str],
                 groups: Groups | None = None, hidden: AbstractSet[str] | None = None) -> None:
        self.groups = groups if groups is not None else Groups()
        known = {a.path for a in articles}
        self._read = set(read) & known
        self._starred = set(starred) & known
        self._total = _count_groups(articles)
        self._sizes = Counter(key[0] for key in self._total)  # field groups per kind
        self._unread = _count_unread(articles, self._read, self._total)
        self._star = _count_groups([a for a in articles if a.path in self._starred])
        self._total[ALL] = len(articles)
        self._unread[ALL] = len(articles) - len(self._read)
        self._star[ALL] = len(self._starred)
        self._star_unread = len(self._starred - self._read)
        self._hidden: frozenset[str] = frozenset()
        self.shape = 0  # one more at every change of the counts but a mark's
        self._log: deque[tuple[int, AbstractSet[str]]] = deque(maxlen=_LOGGED)
        self.on_mark: Callable[[str], None] | None = None  # told of each path marked
        if hidden is None:  # (the registry is read, not changed: this runs in a worker)
            hidden = self.groups.group(HIDDEN).paths if HIDDEN in self.groups else frozenset()
        for group in self.groups.held():
            if group.key != HIDDEN:
                self._count_paths(group.key, group.paths, 1)
        if hidden:
            self._rehide(frozenset(hidden), {a.path: a for a in articles})

    @property
    def hidden(self) -> frozenset[str]:
        """The paths counted in HIDDEN only (a snapshot)."""
        return self._hidden

    def __getitem__(self, key: Key) -> Count:
        if key == UNREAD:
            unread = self._unread[ALL]
            return Count(unread, unread, self._star_unread)
        if key == STARRED:
            starred = self._star[ALL]
            return Count(starred, self._star_unread, starred)
        return Count(self._total[key], self._unread[key], self._star[key])

    def __contains__(self, key: Key) -> bool:
        return key in FIXED or key in self.groups or self._total[key] > 0

    def keys(self, kind: str | None = None) -> Iterator[Key]:
        """Every group key (of one kind, when given), the three fixed ones first, then
        the field groups, then the held ones."""
        if kind is None:
            yield from FIXED
        for key, total in self._total.items():
            if total and key != ALL and key not in self.groups and kind in (None, key[0]):
                yield key
        yield from (g.key for g in self.groups.held() if kind in (None, g.key[0]))

    def size(self, kind: str) -> int:
        """How many field groups of `kind` have an article (a section's size in the
        tree), kept as groups come and go: not a walk of every key."""
        return self._sizes[kind]

    def add(self, articles: Iterable[Article], read: AbstractSet[str],
            starred: AbstractSet[str]) -> None:
        """Count these articles too (not counted yet), read and starred as the sets say."""
        self._count(articles, 1, read, starred)

    def remove(self, articles: Iterable[Article]) -> None:
        """Stop counting these articles (each counted now, as it was added)."""
        self._count(articles, -1, self._read, self._starred)

    def _count(self, articles: Iterable[Article], step: int, read: AbstractSet[str],
               starred: AbstractSet[str]) -> None:
        paths: set[str] = set()
        self._changed(paths)
        for article in articles:
            paths.add(article.path)
            is_read, is_starred = article.path in read, article.path in starred
            keys = self.keys_of(article)
            self._bump_total(keys, step)
            if not is_read:
                _bump(self._unread, keys, step)
            if is_starred:
                _bump(self._star, keys, step)
                self._star_unread += step * (not is_read) * (keys[0] != HIDDEN)
            _mark(self._read, article.path, is_read and step > 0)
            _mark(self._starred, article.path, is_starred and step > 0)

    def _bump_total(self, keys: tuple[Key, ...], step: int) -> None:
        """`_bump` of the totals, with the groups per kind that come or go."""
        total, sizes = self._total, self._sizes
        for key in keys:
            count = total[key] + step
            if count or key == ALL:
                total[key] = count
                if count == step == 1 and key != ALL and key not in self.groups:
                    sizes[key[0]] += 1  # (a group that had no article)
            else:
                del total[key]
                if key not in self.groups:
                    sizes[key[0]] -= 1

    def apply_read(self, article: Article, read: bool) -> bool:
        """Count `article` as read (or unread) from now on; True when that changed anything."""
        if (article.path in self._read) == read:
            return False
        delta = -1 if read else 1
        self._marked(article.path)
        (self._read.add if read else self._read.discard)(article.path)
        for key in self.keys_of(article):
            self._unread[key] += delta
        if article.path in self._starred and article.path not in self._hidden:
            self._star_unread += delta
        return True

    def apply_star(self, article: Article, starred: bool) -> bool:
        """Count `article` as starred (or not) from now on; True when that changed anything."""
        if (article.path in self._starred) == starred:
            return False
        delta = 1 if starred else -1
        self._marked(article.path)
        (self._starred.add if starred else self._starred.discard)(article.path)
        for key in self.keys_of(article):
            self._star[key] += delta
        if article.path not in self._read and article.path not in self._hidden:
            self._star_unread += delta
        return True

    def _changed(self, paths: AbstractSet[str]) -> None:
        """The shape changes, for the articles of `paths` alone (their groups, or their
        counting in them)."""
        self.shape += 1
        self._log.append((self.shape, paths))

    def touched_since(self, shape: int) -> set[str] | None:
        """The paths whose counting changed since `shape` (None: more changes than are
        kept, or a shape never had); a view of the counts redoes those alone."""
        if shape == self.shape:
            return set()
        if not self._log or self._log[0][0] > shape + 1 or shape > self.shape:
            return None
        return set().union(*(paths for at, paths in self._log if at > shape))

    def _marked(self, path: str) -> None:
        if self.on_mark is not None:
            self.on_mark(path)

    def is_read(self, path: str) -> bool:
        return path in self._read

    def is_starred(self, path: str) -> bool:
        return path in self._starred

    def keys_of(self, article: Article) -> tuple[Key, ...]:
        """The keys an article is counted in: HIDDEN alone for a hidden one."""
        if article.path in self._hidden:
            return (HIDDEN,)
        return (*(k for k in self.groups.keys_of(article) if k != HIDDEN), ALL)

    # -- held groups ----------------------------------------------------------------

    def hold(self, group: PathGroup, by_path: Mapping[str, Article] | None = None) -> None:
        """Hold `group` and count it: a new one by set operations against the marks, a
        newer version of one held by the paths that joined or left only.  Its paths are
        of articles counted here; HIDDEN's by `by_path` (the catalog's articles)."""
        if group.key == HIDDEN:
            self._rehide(group.paths, by_path or {})
            self.groups.hold(PathGroup(HIDDEN, self._hidden, group.definition))
            return
        before = self.groups.hold(group)
        old = before.paths if before is not None else frozenset()
        self._count_paths(group.key, group.paths - old - self._hidden, 1)
        self._count_paths(group.key, old - group.paths - self._hidden, -1)

    def _rehide(self, paths: frozenset[str], by_path: Mapping[str, Article]) -> None:
        """Hide these paths and only them: those that joined are uncounted from their
        groups and counted in HIDDEN, those that left the other way round."""
        joined = [by_path[p] for p in paths - self._hidden if p in by_path]
        left = [by_path[p] for p in self._hidden - paths if p in by_path]
        marks = (set(self._read), set(self._starred))
        self.remove(joined + left)
        self._hidden = frozenset(a.path for a in joined) | (self._hidden & paths)
        self._count(joined + left, 1, *marks)

    def grow(self, group: PathGroup, joined: AbstractSet[str]) -> None:
        """Hold `group`: the held one of its key with `joined` added (paths of articles
        counted here), counted by those alone (`hold` compares the two path sets)."""
        self.groups.hold(group)
        self._count_paths(group.key, joined, 1)

    def drop(self, key: Key) -> None:
        """Stop holding and counting the group of `key`."""
        dropped = self.groups.drop(key)
        self._changed(dropped.paths if dropped is not None else frozenset())
        if dropped is not None:
            for counter in (self._total, self._unread, self._star):
                counter.pop(key, None)

    def forget(self, paths: AbstractSet[str]) -> None:
        """The articles of `paths` are gone (`remove` uncounted them): the held groups
        let them go."""
        for group in self.groups.held():
            if not group.paths.isdisjoint(paths):
                self.groups.hold(PathGroup(group.key, group.paths - paths, group.definition))
        self._hidden -= paths
        self._changed(paths)

    def _count_paths(self, key: Key, paths: AbstractSet[str], step: int) -> None:
        """Count (or uncount) these paths in one group, by set operations on the marks."""
        paths = paths - self._hidden if self._hidden else paths
        self._changed(paths)
        total = len(paths)
        self._total[key] += step * total
        self._unread[key] += step * (total - len(self._read.intersection(paths)))
        self._star[key] += step * len(self._starred.intersection(paths))


def _bump(counter: Counter, keys: Iterable[Key], step: int) -> None:
    """Add `step` to each key's count; a count that drops to 0 leaves the counter (and a
    group with no article leaves `keys()`)."""
    for key in keys:
        count = counter[key] + step
        if count or key == ALL:
            counter[key] = count
        else:
            del counter[key]


def _mark(marks: set[str], path: str, present: bool) -> None:
    (marks.add if present else marks.discard)(path)


def _count_unread(articles: Sequence[Article], read: set[str], total: Counter) -> Counter:
    """Unread articles per group, counting whichever side (read or unread) is smaller."""
    read_ones = [a for a in articles if a.path in read]
    if len(read_ones) <= len(articles) // 2:
        return total - _count_groups(read_ones)
    return _count_groups([a for a in articles if a.path not in read])


def _count_groups(articles: Sequence[Article]) -> Counter:
    """Articles per group key, for one set of articles.  Counted a chunk at a time: one
    C-level pass over 100,000 articles holds the GIL for ~0.1 s, which a UI thread feels."""
    per_kind = [(field, Counter()) for field in FIELD_KINDS]
    for start in range(0, len(articles), _CHUNK):
        chunk = articles[start:start + _CHUNK]
        for field, counter in per_kind:
            values = map(attrgetter(field.attr), chunk)
            counter.update(chain.from_iterable(map(set, values)) if field.multi else values)
    counts: Counter = Counter()
    for field, counter in per_kind:
        if field.multi:
            counter.pop("", None)
        counts.update({(field.kind, name): n for name, n in counter.items()})
    return counts
