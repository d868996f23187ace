"""What the article list shows: a tree group, a search, an order (no Textual).

A group key is a pair, as the state store's GroupCounts uses them:
("all", ""), ("unread", ""), ("starred", ""), ("category", name), ("tag", name),
("lang", code), ("source", name).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import AbstractSet, Callable, Iterable, Sequence

from reader.archive.model import Article

GroupKey = tuple[str, str]
ALL: GroupKey = ("all", "")
UNREAD: GroupKey = ("unread", "")
STARRED: GroupKey = ("starred", "")
SECTIONS = (("category", "Categories"), ("tag", "Tags"), ("lang", "Languages"),
            ("source", "Sources"))


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Articles by date, newest first; the path breaks ties so the order is stable."""
    ordered = sorted(articles, key=lambda a: a.path)
    ordered.sort(key=lambda a: a.date, reverse=True)
    return ordered


def group_keys(article: Article) -> list[GroupKey]:
    """The named groups an article belongs to (not All/Unread/Starred)."""
    keys = [("category", c) for c in article.categories if c]
    keys += [("tag", t) for t in article.tags if t]
    if article.lang:
        keys.append(("lang", article.lang))
    if article.source:
        keys.append(("source", article.source))
    return keys


def group_names(articles: Iterable[Article]) -> dict[str, dict[str, int]]:
    """For each section kind, each name and how many articles it holds."""
    names: dict[str, dict[str, int]] = {kind: {} for kind, _ in SECTIONS}
    for article in articles:
        for kind, name in group_keys(article):
            bucket = names[kind]
            bucket[name] = bucket.get(name, 0) + 1
    return names


def group_filter(key: GroupKey, read: AbstractSet[str], starred: AbstractSet[str]
                 ) -> Callable[[Article], bool] | None:
    """A predicate for the group, or None for All (everything passes)."""
    kind, name = key
    if kind == "all":
        return None
    if kind == "unread":
        return lambda a: a.path not in read
    if kind == "starred":
        return lambda a: a.path in starred
    if kind == "category":
        return lambda a: name in a.categories
    if kind == "tag":
        return lambda a: name in a.tags
    if kind == "lang":
        return lambda a: a.lang == name
    if kind == "source":
        return lambda a: a.source == name
    raise ValueError(f"unknown group kind {kind!r}")


@dataclass(frozen=True)
class ListQuery:
    """The list's inputs: which group, which search hits (None: no search), which order."""

    group: GroupKey = ALL
    hits: frozenset[str] | None = None
    newest_first: bool = True


def select(ordered: Sequence[Article], query: ListQuery, read: AbstractSet[str],
           starred: AbstractSet[str], cancelled: Callable[[], bool] = lambda: False
           ) -> list[Article] | None:
    """The rows to show, from articles already newest first; None if cancelled midway."""
    keep = group_filter(query.group, read, starred)
    hits = query.hits
    rows: list[Article] = []
    step = 20_000
    for begin in range(0, len(ordered), step):
        if cancelled():
            return None
        chunk = ordered[begin:begin + step]
        if hits is not None:
            chunk = [a for a in chunk if a.path in hits]
        rows.extend(chunk if keep is None else filter(keep, chunk))
    if not query.newest_first:
        rows.reverse()
    return rows


def next_unread(rows: Sequence[Article], start: int, step: int, read: AbstractSet[str]
                ) -> int | None:
    """Index of the next (step=1) or previous (step=-1) unread row after `start`."""
    index = start + step
    while 0 <= index < len(rows):
        if rows[index].path not in read:
            return index
        index += step
    return None
