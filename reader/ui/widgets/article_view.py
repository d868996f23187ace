"""The article pane: a header (title, date, groups, link) over the markdown body.

The body is rendered piece by piece (a Markdown widget per piece of about
6,000 characters, mounted one after the other in an exclusive worker), so a
200 KB article shows its first screen at once and never freezes the UI.
Search terms are highlighted in every block.  The body is bounded first (in a
thread: tables, lines, data: payloads, see markdown_prep.prepare_body), every
piece knows the reference definitions of the whole body, and one RenderBudget
shared by the pieces stops an article that would build too many blocks, with
a notice.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import tzinfo
from functools import lru_cache

from markdown_it.token import Token

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widget import MountError
from textual.content import Content
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownBlock

from reader.archive.model import ParsedArticle
from reader.textsafe import readable_url
from reader.ui.markdown_blocks import MAX_BLOCKS, RenderBudget
from reader.ui.markdown_prep import (highlight_pattern, make_parser, prepare_body, references,
                                     split_blocks)
from reader.ui.sanitize import clean_line, clean_text
from reader.ui.widgets.flat_blocks import ArticleList, ArticleTable
from reader.ui.wording import local_date

HIGHLIGHT_STYLE = "bold reverse"
PIECE_SIZE = 6000
GONE = ("[deleted] ", "bold red")  # before the title of an article whose file is gone


def header_text(parsed: ParsedArticle, tz: tzinfo, pattern: re.Pattern[str] | None,
                gone: bool = False) -> Text:
    """The article's header as Text: every field is data, none is markup.  `gone`: its
    file was deleted since (what was read is shown)."""
    article = parsed.article
    text = Text(clean_line(article.title) or "(untitled)", style="bold")
    if gone:
        text = Text.assemble(GONE, text)
    if pattern is not None:
        text.highlight_regex(pattern, HIGHLIGHT_STYLE)
    facts = [local_date(article.date, tz, "%Y-%m-%d %H:%M %Z")]
    facts += [f for f in (clean_line(article.lang), clean_line(article.source)) if f]
    text.append("\n" + " · ".join(facts), style="dim")
    if article.categories:
        text.append("\nCategories: " + ", ".join(map(clean_line, article.categories)))
    if article.tags:
        text.append("\nTags: " + ", ".join(map(clean_line, article.tags)))
    if article.link:
        text.append("\n")
        text.append(readable_url(article.link), style="underline")
    if article.problem:
        text.append(f"\n⚠ {clean_line(article.problem)}", style="bold red")
    if parsed.truncated:
        text.append("\n⚠ This article is very large: only its beginning is shown.",
                    style="bold red")
    return text


def _no_text(parsed: ParsedArticle) -> str:
    """What the body says when there is none."""
    if parsed.article.problem.startswith("cannot open"):
        return "*The file could not be read now (see above): this is what the last scan knew.*"
    if parsed.article.link:
        return "*This article has no text of its own: see the link above.*"
    return "*This article has no text.*"


@lru_cache(maxsize=None)
def _highlighting(block_class: type[MarkdownBlock]) -> type[MarkdownBlock]:
    """A subclass of a markdown block class that highlights its document's search terms."""

    def set_content(self: MarkdownBlock, content: Content) -> None:
        document = self._markdown
        pattern = getattr(document, "highlight", None)
        if pattern is not None:
            content = content.highlight_regex(pattern, style=HIGHLIGHT_STYLE)
        block_class.set_content(self, content)

    return type(block_class.__name__, (block_class,), {"set_content": set_content})


@dataclass
class PreparedBody:
    """An article body ready to mount: its pieces and the reference definitions."""

    pieces: list[str]
    known: dict[str, dict[str, str]] = field(default_factory=dict)
    size: int = 0

    @classmethod
    def of(cls, body: str) -> PreparedBody:
        """(In a thread: linear in the body, at most about a second at 2 MB.)"""
        text = prepare_body(clean_text(body).strip())
        return cls(split_blocks(text, PIECE_SIZE) if text else [], references(text), len(body))


def _budget_notice(prepared: PreparedBody) -> Text:
    return Text(f"⚠ This article is too long to show whole: the reader builds its first "
                f"{MAX_BLOCKS:,} blocks (paragraphs, list items, tables) of "
                f"{prepared.size:,} characters; the rest is not shown.", style="bold red")


class ArticleMarkdown(Markdown):
    """One piece of an article body, with images as links and search terms highlighted."""

    def __init__(self, highlight: re.Pattern[str] | None,
                 known: dict[str, dict[str, str]] | None = None,
                 budget: RenderBudget | None = None) -> None:
        super().__init__(parser_factory=lambda: make_parser(known, budget), open_links=False)
        self.highlight = highlight

    def get_block_class(self, block_name: str) -> type[MarkdownBlock]:
        return _highlighting(super().get_block_class(block_name))

    def unhandled_token(self, token: Token) -> MarkdownBlock | None:
        flat = {"article_table": ArticleTable, "article_list": ArticleList}.get(token.type)
        return flat(self, token, self.highlight, HIGHLIGHT_STYLE) if flat else None


class ArticlePane(VerticalScroll, can_focus=True):
    """Scrolls the article; the screen calls `show` once the cursor settles."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="article.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="article.up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="article.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="article.bottom"),
    ]

    def __init__(self, tz: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tz = tz
        self.shown_path: str | None = None
        self.gone = False  # the shown article's file was deleted (it stays, marked)
        self.shown_terms: tuple[str, ...] = ()
        self._shown: ParsedArticle | None = None
        self.rendering = False
        self._generation = 0
        self._render_lock = asyncio.Lock()

    DEFAULT_CSS = """
    ArticlePane > #article-copies {
        dock: bottom; height: auto; max-height: 7; display: none;
        border-top: solid $foreground 20%; background: $surface;
    }
    ArticlePane > #article-related {
        height: auto; display: none; margin-top: 1; padding: 0 1;
        border-top: solid $foreground 20%;
    }
    """

    def compose(self):
        yield Static(Text("Nothing selected.", style="dim"), id="article-header")
        yield Vertical(id="article-body")
        yield Static(id="article-related")
        yield Static(id="article-copies")

    def show_copies(self, text: Text | None) -> None:
        """Under the article, what the screen lists there (the other copies of its
        story, each one key away); None: nothing."""
        copies = self.query_one("#article-copies", Static)
        copies.update(text or "")
        copies.display = text is not None

    def show_related(self, text: Text | None) -> None:
        """After the article's text, its related articles (each one key away); None:
        nothing."""
        related = self.query_one("#article-related", Static)
        related.update(text or "")
        related.display = text is not None

    def show(self, parsed: ParsedArticle, terms: tuple[str, ...] = ()) -> None:
        """Show an article (the header now, the body in steps)."""
        pattern = highlight_pattern(terms)
        self.shown_path = parsed.article.path
        self.shown_terms = terms
        self._shown = parsed
        self.gone = False
        self.query_one("#article-header", Static).update(header_text(parsed, self.tz, pattern))
        self.scroll_home(animate=False, immediate=True)
        self.rendering = True
        self._generation += 1
        self._render_body(parsed.body or "", pattern, self._generation, _no_text(parsed))

    def mark_gone(self) -> None:
        """The shown article's file was deleted: it stays readable, marked as gone."""
        if self._shown is not None:
            self.gone = True  # kept on screen until another article or message replaces it
            header = header_text(self._shown, self.tz, highlight_pattern(self.shown_terms),
                                 gone=True)
            self.query_one("#article-header", Static).update(header)

    def show_message(self, message: str) -> None:
        self.shown_path = None
        self._shown = None
        self.gone = False
        self.query_one("#article-header", Static).update(Text(message, style="dim"))
        self.show_copies(None)
        self.show_related(None)
        self._generation += 1
        self._render_body("", None, self._generation, "")

    async def _mount_pieces(self, prepared: "PreparedBody", pattern: re.Pattern[str] | None,
                            generation: int) -> bool:
        """Mount the prepared pieces; False when a newer `show` came first."""
        container = self.query_one("#article-body")
        await container.remove_children()
        budget = RenderBudget()
        for piece in prepared.pieces:
            if generation != self._generation:
                return False
            document = ArticleMarkdown(pattern, prepared.known, budget)
            await container.mount(document)
            await document.update(piece)
            if budget.exhausted:
                await container.mount(Static(_budget_notice(prepared), classes="notice"))
                break
        return True

    @work(group="article-render")
    async def _render_body(self, body: str, pattern: re.Pattern[str] | None,
                           generation: int, no_text: str) -> None:
        """Mount the body piece by piece; a newer `show` makes this one stop between
        pieces (never in the middle of a mount, which cancelling would do)."""
        async with self._render_lock:
            if generation != self._generation:
                return
            prepared = await asyncio.to_thread(PreparedBody.of, body)
            if not prepared.pieces and no_text:
                prepared.pieces = [no_text]
            try:
                if not await self._mount_pieces(prepared, pattern, generation):
                    return
            except (NoMatches, MountError):
                if self.is_attached:
                    raise
                return  # the pane went away (the app is closing) while the text was prepared
            self.rendering = False
