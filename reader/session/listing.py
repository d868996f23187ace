"""What the article list shows: a tree group, a search, an order (no Textual).

The group is named by its key (reader/state/groups.py); its `member` test picks
the rows, from the catalog (no search) or from a search's hits (the index
narrowed them by the group already, but it folds case and script, so the
group is checked here exactly).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import AbstractSet, Callable, Iterable, Mapping, NamedTuple, Sequence

from reader.archive.model import Article
from reader.state.groups import ALL, Key as GroupKey, Member

__all__ = ["ALL", "GroupKey", "ListQuery", "ListRows", "hit_rows", "newest_first",
           "next_unread", "select", "unhidden"]


class ListRows(NamedTuple):
    """The list's rows (one per story) and, for a search's, the size of the view they
    show: how many stories or articles, as the tree counts them (copies folded under their
    story's row count as articles; copies shown under it, once, as its story), and the
    hits so counted (`counted`, to count them again after a change).  A group's size is
    the tree's count of it; here, its rows.  `counts`: what the size counts, as
    `Services.counted` says it ("stories", "articles", "")."""

    rows: list[Article]
    size: int
    counted: AbstractSet[str] = frozenset()
    counts: str = ""


def unhidden(keep: Member, hidden: AbstractSet[str]) -> Member:
    """`keep` that also leaves out the hidden articles (what the hide rules match: listed
    in the Hidden node only, reader/session/rules.py)."""
    if not hidden:
        return keep
    if keep is None:
        return lambda a: a.path not in hidden
    return lambda a: a.path not in hidden and keep(a)


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Articles by date, newest first; the path breaks ties so the order is stable.

    Two stable sorts, by path and then by time, rather than one by (time, path) tuples:
    each is one C call that holds the GIL, and comparing 100,000 tuples holds it for
    ~0.1 s (the UI thread stalls meanwhile), floats for a fifth of that, and a list
    already in path order (the cache gives one) costs the first sort a single pass."""
    ordered = sorted(articles, key=_path)
    ordered.sort(key=_age)
    return ordered


def _path(article: Article) -> str:
    return article.path


def _age(article: Article) -> float:
    return -article.date.timestamp()  # not the datetime: comparing aware ones is slow


@dataclass(frozen=True)
class ListQuery:
    """The list's inputs: which group and which order (the search text is apart).
    `by_relevance`: search hits best first (BM25F, as the CLI ranks them), not by date."""

    group: GroupKey = ALL
    newest_first: bool = True
    by_relevance: bool = False


def select(ordered: Sequence[Article], query: ListQuery, keep: Member,
           cancelled: Callable[[], bool] = lambda: False) -> list[Article] | None:
    """The group's rows (`keep`: its member test), from articles already newest first;
    None if cancelled midway."""
    rows: list[Article] = []
    step = 20_000
    for begin in range(0, len(ordered), step):
        if cancelled():
            return None
        chunk = ordered[begin:begin + step]
        rows.extend(chunk if keep is None else filter(keep, chunk))
    if not query.newest_first:
        rows.reverse()
    return rows


def hit_rows(paths: Iterable[str], by_path: Mapping[str, Article], rank: Mapping[str, int],
             query: ListQuery, keep: Member) -> list[Article]:
    """The articles of search hits that are in the group (`keep`: its member test), in
    the list's own order (`rank`: each path's place newest first), or as the hits come
    when `by_relevance`."""
    rows = [a for a in map(by_path.get, paths) if a is not None]
    if keep is not None:
        rows = [a for a in rows if keep(a)]
    if not query.by_relevance:
        last = len(rank)  # an article loaded since `rank` was made goes last
        rows.sort(key=lambda a: rank.get(a.path, last), reverse=not query.newest_first)
    return rows


def next_unread(count: int, start: int, step: int, row_read: Callable[[int], bool]
                ) -> int | None:
    """Index of the next (step=1) or previous (step=-1) unread row after `start`, of
    `count` rows (`row_read(index)`: whether a row is read, as it looks: a folded
    story's row as its story)."""
    index = start + step
    while 0 <= index < count:
        if not row_read(index):
            return index
        index += step
    return None
