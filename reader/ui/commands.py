"""The command palette (ctrl+p): every key's command, "jump to article", and the saved
searches' commands (save, rename, edit, move, delete)."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.session.saved_searches import search_key
from reader.ui.sanitize import clean_line, markup_safe
from reader.ui.wording import local_date

JUMP_LIMIT = 30


def main_screen(provider: Provider):
    """The reader's main screen the palette was opened on, or None."""
    from reader.ui.screens.main import MainScreen

    screen = provider.screen
    return screen if isinstance(screen, MainScreen) else None


class JumpToArticle(Provider):
    """Type part of a title: the matching articles, newest first; choosing one shows it."""

    @property
    def _main(self):
        return main_screen(self)

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


class ListedCommands(Provider):
    """A provider of a list of commands: (text, action, help) from `_commands`."""

    def _commands(self) -> list[tuple[str, object, str]]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for text, action, help in self._commands():
            yield DiscoveryHit(text, action, help=help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, action, help in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), action, text=text, help=help)


class SavedSearchCommands(ListedCommands):
    """"Save this search", and for each saved search: rename, edit the query, move up or
    down, delete (each written to the config file)."""

    def _commands(self) -> list[tuple[str, object, str]]:
        main = main_screen(self)
        if main is None:
            return []
        nodes, out = main.search_nodes, []
        if main.search_text.strip():
            out.append(("Save this search", nodes.save_current,
                        markup_safe(f"as a tree node (b): {clean_line(main.search_text)}")))
        for search in nodes.saved.searches:
            key, name = search_key(search.name), clean_line(search.name)
            for verb, action in (("rename", partial(nodes.rename, key)),
                                 ("edit the query", partial(nodes.edit, key)),
                                 ("move up", partial(nodes.move, key, -1)),
                                 ("move down", partial(nodes.move, key, 1)),
                                 ("delete", partial(nodes.delete, key))):
                out.append((f"Saved search {name}: {verb}", action,
                            markup_safe(clean_line(search.query))))
        return out

