"""The command palette (ctrl+p): every key's command, and "jump to article"."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import Hit, Hits, Provider

from reader.ui.sanitize import clean_line, markup_safe
from reader.ui.wording import local_date

JUMP_LIMIT = 30


class JumpToArticle(Provider):
    """Type part of a title: the matching articles, newest first; choosing one shows it."""

    @property
    def _main(self):
        from reader.ui.screens.main import MainScreen

        screen = self.screen
        return screen if isinstance(screen, MainScreen) else None

    async def search(self, query: str) -> Hits:
        main = self._main
        if main is None or len(query.strip()) < 2:
            return
        services = main.services
        for rank, path in enumerate(services.searcher.title_matches(query, JUMP_LIMIT)):
            article = services.by_path.get(path)
            if article is None:
                continue
            title = clean_line(article.title) or "(untitled)"
            date = local_date(article.date, services.settings.tzinfo, "%Y-%m-%d")
            display = Text(f"Jump to: {title}")
            # The palette parses `help` as markup: the source folder's name is escaped.
            yield Hit(1.0 - rank / 100, display, partial(main.jump_to, path),
                      text=f"Jump to: {title}", help=markup_safe(f"{date} · {article.source}"))
