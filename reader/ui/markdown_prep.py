"""Preparing an article body for Textual's Markdown widget (no Textual here).

- `prepare_body` bounds the body (markdown_limits.bound_source) and shrinks
  inline `data:` payloads (inline_data), then `split_blocks` cuts it into
  pieces at blank lines outside code fences, so a 200 KB article can be
  rendered piece by piece; `references` collects the reference-style link
  definitions (`[1]: https://...`) of the whole body, which every piece's
  parser is given, so `[x][1]` works whichever piece holds the definition;
- `make_parser` is markdown-it ("gfm-like") with images turned into links
  that show the alt text and the address (images are not fetched), `data:`
  images and links shown as a placeholder, no control character in any text,
  and the rules of markdown_blocks (tables, flat lists, paragraphs, budget);
- `highlight_pattern` is the regular expression of the search terms.
"""

from __future__ import annotations

import re
from typing import Iterable

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import validateLink
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from reader.textsafe import readable_url
from reader.ui.inline_data import is_data_uri, placeholder, shrink_data_uris
from reader.ui.markdown_blocks import (RenderBudget, collapse_lists, collapse_tables,
                                      merge_paragraphs, note_lost_depth)
from reader.ui.markdown_limits import bound_source, fence_after, is_delimiter_row
from reader.ui.sanitize import clean_line, clean_text

HARD_PIECE = 20_000  # a piece with no blank line to end it is cut here (not in a table),
HARD_LINES = 400  # ... or at this many lines (markdown-it parses ~2,500 list items a second)
PIECE_BLOCKS = 600  # ... and a piece of many short blocks after this many blank lines


def prepare_body(body: str) -> str:
    """The body as the pane renders it: every table and line bounded, no data: payload."""
    return bound_source(shrink_data_uris(body))


def split_blocks(body: str, size: int = 6000) -> list[str]:
    """Pieces of about `size` characters (or PIECE_BLOCKS blocks), each ending at a blank
    line outside a fence.
    A piece with no such line is cut past HARD_PIECE characters or HARD_LINES lines, but not
    in a table (bounded already); a code fence open there is closed, and opened again in
    the next piece."""
    pieces: list[str] = []
    current: list[str] = []
    length = 0
    fence = opening = ""
    blanks = count = 0
    in_table = False
    for line in body.splitlines(keepends=True):
        current.append(line)
        length += len(line)
        count += 1
        was_open = fence
        fence = fence_after(line, fence)
        if fence and not was_open:
            opening = line if line.endswith("\n") else line + "\n"
        at_blank = not fence and not line.strip()
        blanks += at_blank
        in_table = not at_blank and (in_table or not fence and is_delimiter_row(line))
        if not ((length >= size or blanks >= PIECE_BLOCKS) and at_blank
                or (length >= HARD_PIECE or count >= HARD_LINES) and not in_table):
            continue
        if fence:
            current.append(f"\n{fence}\n")
        pieces.append("".join(current))
        current, length, blanks, count = ([opening] if fence else []), 0, 0, 0
    if current:
        pieces.append("".join(current))
    return pieces or [""]


def references(body: str) -> dict[str, dict[str, str]]:
    """Every reference-style link definition of the body (label -> href, title), the first
    one of a label winning, as markdown-it keeps them; {} when the body has none."""
    if "]:" not in body:
        return {}
    parser = MarkdownIt("gfm-like").disable(["inline", "linkify", "replacements",
                                             "smartquotes", "text_join"], ignoreInvalid=True)
    env: dict = {}
    for piece in split_blocks(body):
        parser.parse(piece, env)
    return env.get("references", {})


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _image_to_link(image: Token) -> list[Token]:
    src = str(image.attrs.get("src", ""))
    alt = clean_line(image.content)
    if is_data_uri(src):
        return [_text(placeholder(src, "image", alt))]
    shown = f"🖼 {alt or 'image'}"
    if not src:
        return [_text(shown)]
    link_open = Token("link_open", "a", 1, attrs={"href": src})
    return [link_open, _text(shown), Token("link_close", "a", -1),
            _text(f" <{readable_url(src)}>")]


def _without_data_links(children: list[Token]) -> list[Token]:
    """A data: link's text stays, followed by its placeholder; the link goes."""
    result: list[Token] = []
    data_href = ""
    for child in children:
        if child.type == "link_open" and is_data_uri(str(child.attrs.get("href", ""))):
            data_href = str(child.attrs["href"])
        elif child.type == "link_close" and data_href:
            result.append(_text(" " + placeholder(data_href, "link")))
            data_href = ""
        else:
            result.append(child)
    return result


def _inline_media(state: StateCore) -> None:
    """Images become links showing their alt text; data: images and links placeholders."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        if any(child.type == "image" for child in children):
            children = [new for child in children
                        for new in (_image_to_link(child) if child.type == "image" else [child])]
        if any(child.type == "link_open" for child in children):
            children = _without_data_links(children)
        token.children = children


def _clean_decoded_text(state: StateCore) -> None:
    """The body was cleaned before parsing, but entities such as `&#x202e;` are decoded
    by the parser: clean each piece of text again."""
    for token in state.tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline") and child.content:
                child.content = clean_text(child.content)
        if token.type in ("fence", "code_block") and token.content:
            token.content = clean_text(token.content)


def _valid_link(url: str) -> bool:
    """markdown-it's check, but data: links are kept (to be shown as a placeholder:
    they are never opened), so their base64 is not shown as text."""
    return is_data_uri(url) or validateLink(url)


def make_parser(known: dict[str, dict[str, str]] | None = None,
                budget: RenderBudget | None = None) -> MarkdownIt:
    """The parser the article pane uses: gfm-like, images shown as alt text and link,
    data: as placeholders, tables as one token, no control character left in any text;
    `known` reference definitions resolve `[x][label]`, `budget` bounds the blocks."""
    parser = MarkdownIt("gfm-like")
    parser.validateLink = _valid_link
    if known:
        parser.core.ruler.before("block", "known_references",
                                 lambda state: state.env.setdefault("references", dict(known)))
    parser.core.ruler.push("note_lost_depth", note_lost_depth)
    parser.core.ruler.push("inline_media", _inline_media)
    parser.core.ruler.push("clean_decoded_text", _clean_decoded_text)
    parser.core.ruler.push("collapse_tables", collapse_tables)
    parser.core.ruler.push("collapse_lists", collapse_lists)
    parser.core.ruler.push("merge_paragraphs", merge_paragraphs)
    if budget is not None:
        parser.core.ruler.push("budget", budget)
    return parser


def highlight_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern matching any of the terms (longest first), or None."""
    words = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
