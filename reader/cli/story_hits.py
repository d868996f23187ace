"""Search hits by story for `newsreader search`: one hit per story (the best-ranked
copy stands for it) unless `--no-group`, and in JSON each hit's `story` (the id: its
earliest article's path; null for an article that is a story of its own) and `copies`
(the story's other articles, earliest first, with how each is linked)."""

from __future__ import annotations

from typing import Mapping

from reader.archive.model import Article

WIDER = 5  # hits asked for a grouped search of N: copies are left out, N must remain


def asked_limit(limit: int, grouped: bool) -> int:
    return limit * WIDER if grouped and limit else limit


def open_hit_stories(archive, settings, paths=None):
    """The archive's stories as the reader stored them (reader/session/stories.py): those
    of `paths` (the hits) only, when given."""
    from reader.session.story_open import stored_stories

    return stored_stories(archive, settings, paths)


def grouped(hits: list, stories, limit: int) -> list:
    """`hits` with each story's later hits left out, cut to `limit` (0: all)."""
    kept = [hit for hit, _ in _pairs(hits, stories.one_per_story(h.path for h in hits))]
    return kept[:limit] if limit else kept


def _pairs(hits: list, kept: list) -> list:
    by_path = {h.path: h for h in hits}
    return [(by_path[path], story) for path, story in kept]


def copies_by_path(archive, stories, paths) -> dict[str, Article]:
    """The cached records of the copies of `paths`' stories (only those: reading every
    record cost 1.2 s at 100,000 articles)."""
    wanted = {p for path in paths if (story := stories.story_of(path)) for p in story.members}
    return {a.path: a for a in archive.cache.articles_of(wanted)} if wanted else {}


def story_fields(path: str, stories, by_path: Mapping[str, Article]) -> dict:
    story = stories.story_of(path)
    if story is None:
        return {"story": None, "copies": []}
    return {"story": story.id, "copies": [_copy(p, story.why.get(p, ""), by_path)
                                          for p in story.copies_of(path)]}


def _copy(path: str, why: str, by_path: Mapping[str, Article]) -> dict:
    article = by_path.get(path)
    if article is None:
        return {"path": path, "why": why}
    return {"path": path, "title": article.title, "source": article.source,
            "date": article.date.isoformat(), "why": why}
