"""Helpers shared by the state tests (this module holds no tests itself)."""

from __future__ import annotations

import os
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from reader.archive.model import Article

REPO = Path(__file__).resolve().parents[1]
LANGS = ("en", "zh-CN", "zh-HK")
SOURCES = ("reuters", "bloomberg", "ft", "wsj", "caixin", "scmp")
CATEGORIES = ("finance", "markets", "economy", "tech", "politics", "")
TAGS = ("stocks", "bonds", "china", "us", "fed", "oil", "gold", "ai", "trade", "tariffs")
START = datetime(2020, 1, 1, tzinfo=timezone.utc)


def make_article(path: str, title: str = "", link: str = "", **fields) -> Article:
    fields.setdefault("date", START)
    return Article(path=path, title=title or path, link=link, **fields)


def make_articles(n: int, seed: int = 7) -> list[Article]:
    """n articles with realistic spreads: 1-2 categories, 0-4 tags, repeats and empty names."""
    rng = random.Random(seed)
    articles = []
    for i in range(n):
        lang = rng.choice(LANGS)
        source = rng.choice(SOURCES)
        categories = tuple(rng.sample(CATEGORIES, rng.randint(1, 2)))
        tags = tuple(rng.choice(TAGS) for _ in range(rng.randint(0, 4)))  # may repeat
        articles.append(Article(
            path=f"content/{lang}/news/{source}/{i}.{lang}.md",
            title=f"Title {i % 50}",  # titles repeat, as in real archives
            date=START + timedelta(hours=7 * i),
            categories=categories, tags=tags, lang=lang, source=source,
            link=f"https://example.org/{i % 40}",
        ))
    return articles


def child_env() -> dict[str, str]:
    """The environment for a child `python` that imports `reader` from this repository."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


PYTHON = sys.executable
