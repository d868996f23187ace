"""Preparing an article body for Textual's Markdown widget (no Textual here).

- `split_blocks` cuts a long body into pieces at blank lines outside code
  fences, so a 200 KB article can be rendered piece by piece;
- `make_parser` is markdown-it ("gfm-like") with images turned into links
  that show the alt text and the address (images are not fetched), and text
  cleaned again after entities are decoded;
- `highlight_pattern` is the regular expression of the search terms.
"""

from __future__ import annotations

import re
from typing import Iterable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from reader.ui.sanitize import clean_line, clean_text

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def split_blocks(body: str, size: int = 6000) -> list[str]:
    """Pieces of about `size` characters, each ending at a blank line outside a fence."""
    pieces: list[str] = []
    current: list[str] = []
    length = 0
    fence = ""
    for line in body.splitlines(keepends=True):
        current.append(line)
        length += len(line)
        match = _FENCE.match(line)
        if match:
            marker = match.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
        if not fence and length >= size and not line.strip():
            pieces.append("".join(current))
            current, length = [], 0
    if current:
        pieces.append("".join(current))
    return pieces or [""]


def _image_to_link(image: Token) -> list[Token]:
    src = image.attrs.get("src", "")
    alt = clean_line(image.content) or "image"
    shown = f"🖼 {alt}"
    if not src:
        return [Token("text", "", 0, content=shown)]
    link_open = Token("link_open", "a", 1, attrs={"href": str(src)})
    text = Token("text", "", 0, content=shown)
    link_close = Token("link_close", "a", -1)
    return [link_open, text, link_close, Token("text", "", 0, content=f" <{src}>")]


def _images_as_links(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        if not any(child.type == "image" for child in token.children):
            continue
        children: list[Token] = []
        for child in token.children:
            children.extend(_image_to_link(child) if child.type == "image" else [child])
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


def make_parser() -> MarkdownIt:
    """The parser the article pane uses: gfm-like, images shown as alt text and link,
    no control character left in any text."""
    parser = MarkdownIt("gfm-like")
    parser.core.ruler.push("images_as_links", _images_as_links)
    parser.core.ruler.push("clean_decoded_text", _clean_decoded_text)
    return parser


def highlight_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern matching any of the terms (longest first), or None."""
    words = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
