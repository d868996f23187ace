"""The glance's stories: the most-covered stories of the day (issue 15), in the scope the
screen looks at (a tree group, a search's hits).

    covered = most_covered(catalog, window, member, stories)  # [Covered(...)], largest first

The day is the last of the window of what arrived (today, or the scope's newest day),
sliced out of the catalog (newest first) by bisection, so the cost is that day's
articles, not the archive's; a story's coverage is how many of its copies the scope
holds that day.  Worked out when the screen is drawn, from the catalog and stories of
that moment: live as files arrive, stories grow and the group or search changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from reader.session.catalog import Catalog
from reader.session.glance import Member
from reader.session.glance_window import Window

MOST_COVERED = 5


@dataclass(frozen=True)
class Covered:
    """A story of the day: the title of its earliest copy in scope, how many copies the
    scope holds that day and their sources (each once, earliest first)."""

    title: str
    copies: int
    sources: tuple[str, ...]


def most_covered(catalog: Catalog, window: Window, member: Member, stories,
                 limit: int = MOST_COVERED) -> list[Covered]:
    """The stories with the most copies in scope on the window's last day (two copies
    at least), most first, then by title."""
    if not stories.enabled or not stories.view:
        return []
    day = window.days_of(catalog.articles)[-1]
    story_of = stories.story_of
    copies: dict[str, list] = {}
    for article in day if member is None else filter(member, day):
        story = story_of(article.path)
        if story is not None:
            copies.setdefault(story.id, []).append(article)
    sizes = Counter({sid: len(found) for sid, found in copies.items() if len(found) > 1})
    ranked = sorted(sizes, key=lambda sid: (-sizes[sid], _earliest(copies[sid]).title))
    return [_covered(copies[sid]) for sid in ranked[:limit]]


def _earliest(found: list):
    return min(found, key=lambda a: (a.date, a.path))


def _covered(found: list) -> Covered:
    ordered = sorted(found, key=lambda a: (a.date, a.path))
    sources = tuple(dict.fromkeys(a.source for a in ordered if a.source))
    return Covered(ordered[0].title, len(found), sources)
