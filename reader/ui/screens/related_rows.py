"""The main screen's part for related articles (reader/session/related.py): the five
articles most like the one shown that are not copies of it, listed under its text once
it is shown, found in a worker over the index as it is (a look at the index's term
statistics and one OR query: tens of milliseconds at 100,000 articles, never on the
event loop), each one key away (6, 7, 8, 9, 0).  Nothing is listed while the index is
empty, or for an article too short to have distinctive words."""

from __future__ import annotations

import sqlite3
from functools import partial
from typing import Sequence

from rich.text import Text
from textual.screen import Screen
from textual.worker import get_current_worker

from reader.archive.model import Article
from reader.session.related import related_articles
from reader.ui.keys import RELATED_KEYS
from reader.ui.sanitize import clean_line
from reader.ui.wording import local_date


class RelatedRows:
    """Owns what is listed: the article it is for and its related articles."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.services = screen.services
        self.path = ""  # the article the list is of
        self.found: Sequence[Article] = ()

    def article_shown(self, article: Article, body: str) -> None:
        """An article is shown: its related articles, found in a worker (a newer
        article's replaces it: exclusive)."""
        self.path, self.found = article.path, ()
        self.screen.article_pane.show_related(None)
        self.screen.run_worker(partial(self._find, article, body), thread=True,
                               exclusive=True, group="related", description="related")

    def _find(self, article: Article, body: str) -> None:
        try:
            found = related_articles(self.services, article, body, len(RELATED_KEYS))
        except (OSError, sqlite3.Error):  # the index or the stories cannot be read now:
            return  # nothing is listed (a search says why)
        if not get_current_worker().is_cancelled:
            self.screen.from_worker(self._show, article.path, found)

    def _show(self, path: str, found: list[Article]) -> None:
        pane = self.screen.article_pane
        if path != self.path or pane.shown_path != path:
            return  # another article came meanwhile
        self.found = found
        pane.show_related(self.text(found))

    def text(self, found: Sequence[Article]) -> Text | None:
        """`Related:` and a numbered line for each, the keys that open them."""
        if not found:
            return None
        tz = self.services.settings.tzinfo
        text = Text("Related:", style="bold", no_wrap=True, overflow="ellipsis")
        for key, article in zip(RELATED_KEYS, found):
            text.append(f"\n{key} ", style="bold")
            text.append(f"{local_date(article.date, tz, '%Y-%m-%d')} ", style="dim")
            text.append(f"{clean_line(article.source)}: " if article.source else "",
                        style="dim")
            text.append(clean_line(article.title) or "(untitled)")
        return text

    def open(self, n: int) -> None:
        """Key n: the n-th related article of the article shown, opened (the search and
        group cleared if they hide it)."""
        if self.path != self.screen.article_pane.shown_path or not 1 <= n <= len(self.found):
            return
        self.screen.jump_to(self.found[n - 1].path)
