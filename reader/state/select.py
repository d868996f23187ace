"""Which articles a bulk mark applies to.

`select` picks the paths of a category, a tag, a language, a source, a set of
search results, or everything older than a date; the store then marks them in
one transaction.  The query language's `is:read`, `is:unread` and `is:starred`
are answered by the index from the store's `read_set()` and `starred_set()`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Collection, Iterable

from reader.archive.model import Article

IS_FLAGS = ("read", "unread", "starred")


def select(articles: Iterable[Article], *, category: str | None = None, tag: str | None = None,
           lang: str | None = None, source: str | None = None, before: datetime | None = None,
           paths: Collection[str] | None = None) -> list[str]:
    """Paths of the articles matching every given condition (all of them when none is).

    `before` keeps articles dated strictly earlier (it must carry a time zone);
    `paths` keeps articles among those paths, e.g. a search result.
    """
    if before is not None and before.tzinfo is None:
        raise ValueError("`before` needs a time zone")
    wanted = set(paths) if paths is not None and not isinstance(paths, (set, frozenset)) else paths
    chosen = []
    for a in articles:
        if ((category is None or category in a.categories)
                and (tag is None or tag in a.tags)
                and (lang is None or a.lang == lang)
                and (source is None or a.source == source)
                and (before is None or a.date < before)
                and (wanted is None or a.path in wanted)):
            chosen.append(a.path)
    return chosen
