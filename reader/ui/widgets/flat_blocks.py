"""Tables and flat lists drawn by one widget each (Textual's own mount one widget per
table cell and five per list item, about 60 KB each and 0.5 ms at every layout).

The parser collapses each table to one `article_table` token and each list
whose items hold only paragraphs to one `article_list` token (see
reader/ui/markdown_blocks.py); these blocks draw them as Rich tables of plain
text, the search terms highlighted.  A table of 7,000 cells, or a list of 300
items, costs one widget; bold, italic, code and links are kept.
"""

from __future__ import annotations

import re

from markdown_it.token import Token
from rich import box
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widgets.markdown import MarkdownBlock

_OPENING = {"strong_open": "bold", "em_open": "italic", "s_open": "strike"}


def inline_text(inline: Token) -> Text:
    """A cell's or item's inline token as Rich text: bold, italic, struck, code and links
    kept (a link clickable as in the rest of the article: it posts Markdown.LinkClicked)."""
    text = Text()
    styles: list[Style] = []
    for child in inline.children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            style = Style.combine(styles) if styles else Style()
            text.append(re.sub(r"\s+", " ", child.content) if kind == "text" else child.content,
                        style + Style(bold=True) if kind == "code_inline" else style)
        elif kind in ("softbreak", "hardbreak"):
            text.append(" ")
        elif kind in _OPENING:
            styles.append(Style.parse(_OPENING[kind]))
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            styles.append(Style(underline=True, meta={"@click": f"link({href!r})"}))
        elif kind.endswith("_close") and styles:
            styles.pop()
    return text


def table_of(token: Token, pattern: re.Pattern[str] | None, style: str) -> Table:
    """The Rich table of an `article_table` token (the first row is the header)."""
    rows: list[list[Token]] = token.meta["rows"]
    aligns: list[str] = token.meta["aligns"]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False,
                  header_style="bold")
    for index, cell in enumerate(rows[0] if rows else []):
        justify = aligns[index] if index < len(aligns) else "left"
        table.add_column(_text(cell, pattern, style), overflow="fold",
                         justify=justify if justify in ("left", "center", "right") else "left")
    for row in rows[1:]:
        table.add_row(*(_text(cell, pattern, style) for cell in row[:len(table.columns)]))
    return table


def list_of(token: Token, pattern: re.Pattern[str] | None, style: str) -> Table:
    """The Rich grid of an `article_list` token: marker, then the item's paragraphs."""
    items: list[tuple[str, list[Token]]] = token.meta["items"]
    ordered = items and items[0][0] != "•"
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right" if ordered else "left", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for marker, paragraphs in items:
        grid.add_row(marker, _text(Text("\n").join(map(inline_text, paragraphs)), pattern, style))
    return grid


def _text(cell: Token | Text, pattern: re.Pattern[str] | None, style: str) -> Text:
    text = cell if isinstance(cell, Text) else inline_text(cell)
    if pattern is not None:
        text.highlight_regex(pattern, style)
    return text


class ArticleTable(MarkdownBlock):
    """One table of an article, drawn whole by this one widget."""

    DEFAULT_CSS = """
    ArticleTable {
        width: 1fr;
        height: auto;
        margin-bottom: 1;
    }
    """

    def __init__(self, markdown, token: Token, pattern: re.Pattern[str] | None,
                 style: str) -> None:
        super().__init__(markdown, token)
        self.table = table_of(token, pattern, style)
        self.update(self.table)


class ArticleList(MarkdownBlock):
    """One list of an article whose items hold only paragraphs, drawn whole."""

    DEFAULT_CSS = """
    ArticleList {
        width: 1fr;
        height: auto;
        margin-bottom: 1;
        &.continued { margin-bottom: 0; }
    }
    """

    def __init__(self, markdown, token: Token, pattern: re.Pattern[str] | None,
                 style: str) -> None:
        super().__init__(markdown, token)
        self.set_class(not token.meta["last"], "continued")
        self.update(list_of(token, pattern, style))
