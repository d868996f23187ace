"""Groups of articles: every node of the reader's tree is one (no Textual, no index).

A group is a set of articles with a definition, named by a key (kind, name):

    ("all", "")                          every article
    ("unread", ""), ("starred", "")      by the marks
    ("category", name), ("tag", name),   by a field of the article's record
    ("lang", code), ("source", name)
    ("section", kind)                    every article with a value of that field kind
                                         (a heading of the tree)
    (kind, name) of a held group         the paths it holds: a saved search's hits, and
                                         later a rule's matches, "New", a story

A field group stores nothing: whether an article belongs is read off its record,
so at a million articles no path set is kept per category, tag, language or
source (the counts keep one number per key).  A held group (`PathGroup`) keeps
its paths in a frozenset that is replaced, never edited, so a worker may read
it while the event loop makes the next one.  `Groups` is the registry: the
group of a key, and the keys of every group an article belongs to (what the
counts and the tree update after a mark or a change).  How a group narrows a
search is the session's business (reader/session/groups.py): the index is a
layer beside this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import AbstractSet, Callable, Hashable, Iterable, Iterator

from reader.archive.model import Article

Key = tuple[str, str]
ALL: Key = ("all", "")
UNREAD: Key = ("unread", "")
STARRED: Key = ("starred", "")
FIXED = (ALL, UNREAD, STARRED)
Member = Callable[[Article], bool] | None  # None: every article belongs


@dataclass(frozen=True)
class FieldKind:
    """A field of the article record that makes groups: one per value it holds."""

    kind: str  # the key's kind, and the index field that holds the value
    attr: str  # the Article attribute
    multi: bool  # a tuple of values (categories, tags), else one value
    title: str  # the tree's section heading

    def values(self, article: Article) -> Iterable[str]:
        """The names of this kind's groups `article` belongs to: a category or tag listed
        twice counts once, an empty one is no group; an empty language or source is."""
        value = getattr(article, self.attr)
        return (v for v in dict.fromkeys(value) if v) if self.multi else (value,)


FIELD_KINDS = (FieldKind("category", "categories", True, "Categories"),
               FieldKind("tag", "tags", True, "Tags"),
               FieldKind("lang", "lang", False, "Languages"),
               FieldKind("source", "source", False, "Sources"))
KIND = {field.kind: field for field in FIELD_KINDS}
SECTIONS = tuple((field.kind, field.title) for field in FIELD_KINDS)


class Group:
    """A set of articles named by `key`; `member` gives its test for one article."""

    key: Key

    def member(self, read: AbstractSet[str], starred: AbstractSet[str]) -> Member:
        """A test of whether an article belongs (given the marks), None for every one."""
        raise NotImplementedError


@dataclass(frozen=True)
class Everything(Group):
    key: Key = ALL

    def member(self, read: AbstractSet[str], starred: AbstractSet[str]) -> Member:
        return None


@dataclass(frozen=True)
class MarkGroup(Group):
    """The unread or the starred articles (`state`, as the query's is: names it)."""

    state: str

    @property
    def key(self) -> Key:
        return (self.state, "")

    def member(self, read: AbstractSet[str], starred: AbstractSet[str]) -> Member:
        if self.state == "unread":
            return lambda a: a.path not in read
        return lambda a: a.path in starred


@dataclass(frozen=True)
class FieldGroup(Group):
    """The articles whose field holds the value `name`."""

    field: FieldKind
    name: str

    @property
    def key(self) -> Key:
        return (self.field.kind, self.name)

    def member(self, read: AbstractSet[str], starred: AbstractSet[str]) -> Member:
        name, attr = self.name, self.field.attr
        if self.field.multi:
            return lambda a: name in getattr(a, attr)
        return lambda a: getattr(a, attr) == name


@dataclass(frozen=True)
class Section(Group):
    """Every article with a value of the field kind (the tree's heading of the kind)."""

    field: FieldKind

    @property
    def key(self) -> Key:
        return ("section", self.field.kind)

    def member(self, read: AbstractSet[str], starred: AbstractSet[str]) -> Member:
        attr = self.field.attr
        if self.field.multi:
            return lambda a: any(getattr(a, attr))
        return lambda a: bool(getattr(a, attr))


@dataclass(frozen=True)
class PathGroup(Group):
    """A group that holds its members: `paths` (of articles in the catalog), kept by
    whoever owns the `definition` (a saved search's query, a rule ...)."""

    key: Key
    paths: frozenset[str] = frozenset()
    definition: Hashable = None

    def member(self, read: AbstractSet[str], starred: AbstractSet[str]) -> Member:
        paths = self.paths
        return lambda a: a.path in paths


def field_keys(article: Article) -> Iterator[Key]:
    """The keys of the field groups `article` belongs to."""
    for field in FIELD_KINDS:
        for name in field.values(article):
            yield (field.kind, name)


class Groups:
    """The registry: the group of every key, and the held groups (changed by the event
    loop only, each change a new `PathGroup` swapped in)."""

    def __init__(self, held: Iterable[PathGroup] = ()) -> None:
        self._held: dict[Key, PathGroup] = {g.key: g for g in held}
        self._held_kinds: set[str] = {g.key[0] for g in self._held.values()}

    def hold_kind(self, kind: str) -> None:
        """Groups of `kind` are held ones (saved searches): one not held yet holds nothing."""
        self._held_kinds.add(kind)

    def group(self, key: Key) -> Group:
        """The group `key` names: one of a held kind not held yet holds nothing; KeyError
        for a kind no group has."""
        kind, name = key
        if key in self._held:
            return self._held[key]
        if key == ALL:
            return Everything()
        if key in (UNREAD, STARRED):
            return MarkGroup(kind)
        if kind == "section":
            return Section(KIND[name])
        if kind in self._held_kinds:
            return PathGroup(key)
        return FieldGroup(KIND[kind], name)

    def held(self) -> tuple[PathGroup, ...]:
        """The held groups now (a snapshot: a worker may iterate it)."""
        return tuple(self._held.values())

    def __contains__(self, key: Key) -> bool:
        """Whether `key` is a held group."""
        return key in self._held

    def hold(self, group: PathGroup) -> PathGroup | None:
        """Hold `group` (in place of the one of its key, which is returned)."""
        before = self._held.get(group.key)
        self._held[group.key] = group
        self._held_kinds.add(group.key[0])
        return before

    def drop(self, key: Key) -> PathGroup | None:
        return self._held.pop(key, None)

    def keys_of(self, article: Article) -> Iterator[Key]:
        """The keys of every group `article` belongs to, besides All and the marks'."""
        yield from field_keys(article)
        path = article.path
        for group in tuple(self._held.values()):
            if path in group.paths:
                yield group.key


# -- "New": the articles first seen since the previous visit started (visits.py) ----------

NEW: Key = ("new", "")


@dataclass(frozen=True)
class NewSince:
    """The New group's definition: its members are the paths the reader first saw after
    the boundary of reader/state/visits.py (the previous visit's start), as the state
    store records them; held, since only the store can say (a path deleted and added
    again keeps its first sighting)."""


def new_group(paths: Iterable[str]) -> PathGroup:
    """The New group holding `paths`."""
    return PathGroup(NEW, frozenset(paths), NewSince())
