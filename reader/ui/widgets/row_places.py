"""Where a row of the article list is in new rows: what keeps the cursor and the scroll
on the rows the user was looking at when the rows change (reader/ui/widgets/article_list.py).
Every look-up is a C-level search of the rows' paths."""

from __future__ import annotations

from operator import attrgetter, indexOf
from typing import Sequence

from reader.archive.model import Article
from reader.session.stories import Story

_PATH = attrgetter("path")


def index_of(rows: Sequence[Article], path: str) -> int | None:
    """The index of the row of `path` (a C-level search), or None."""
    try:
        return indexOf(map(_PATH, rows), path)
    except ValueError:
        return None


def path_of(article: Article | None) -> str | None:
    return None if article is None else article.path


def story_place(rows: Sequence[Article], story: Story) -> int | None:
    """The first of the story's rows in `rows` (the row that stands for it), or None."""
    places = [i for i in (index_of(rows, p) for p in story.members) if i is not None]
    return min(places) if places else None


def new_place(old: Sequence[Article], rows: Sequence[Article], index: int,
              limit: int | None = None) -> int | None:
    """Where old row `index` is in `rows`: its article's place, or (if it went) the place
    of the next old row still there, which takes its place; None if none of the `limit`
    rows from `index` on is left."""
    end = len(old) if limit is None else min(len(old), index + limit)
    for later in range(index, end):
        place = index_of(rows, old[later].path)
        if place is not None:
            return place
    return None
