"""Screenshots (SVG) whose Chinese a browser draws in the right cells.

Rich's SVG export gives each `<text>` a `textLength` of one cell per character
(`char_width * len(text)`), so a run of double-width CJK characters is squeezed
into half its width and the glyphs overlap.  `fix_text_lengths` sets each
length from the run's width in terminal cells, as the terminal draws it.
"""

from __future__ import annotations

import html
import re

from rich.cells import cell_len

_TEXT = re.compile(r'(<text\b[^>]*?\btextLength=")([0-9.]+)("[^>]*>)(.*?)(</text>)', re.S)


def fix_text_lengths(svg: str) -> str:
    """The SVG with every `textLength` measured in cells instead of characters."""
    return _TEXT.sub(_fixed, svg)


def _fixed(match: re.Match) -> str:
    head, length, tail, body, end = match.groups()
    text = html.unescape(body)
    if not text.strip() or cell_len(text) == len(text):
        return match.group(0)
    char_width = float(length) / len(text)
    return f"{head}{_number(char_width * cell_len(text))}{tail}{body}{end}"


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")
