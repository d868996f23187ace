"""Line breaking that lets Chinese, Japanese and Korean text wrap at any character.

Rich and Textual wrap at whitespace only, so a run of Chinese after a few
English words is one "word": it moves whole to the next line and leaves a
ragged gap.  Here every CJK character is a unit of its own (closing
punctuation stays with the character before it, opening punctuation with the
one after), and other text still breaks at spaces.

`install()` makes Textual's Content use this for wrapping; it is called once
when the app is built, never at import time.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, get_character_cell_size

_CJK = (
    "\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f"
    "\uff01-\uffef\U00020000-\U0003134f"
)
_OPENING = "\u3008\u300a\u300c\u300e\u3010\u3014\u3016\u3018\u301d\uff08\uff3b\uff5b\u2018\u201c"
_CLOSING = (
    "\u3001\u3002\u3009\u300b\u300d\u300f\u3011\u3015\u3017\u3019\u301e\u301f"
    "\uff09\uff3d\uff5d\uff0c\uff0e\uff1a\uff1b\uff01\uff1f\u2019\u201d\u2026\u00b7"
)
_UNIT = re.compile(
    rf"\s*[{_OPENING}]*(?:[{_CJK}]|[^\s{_CJK}{_OPENING}]+)[{_CLOSING}]*\s*|\s+"
)


def units(text: str) -> list[tuple[int, str]]:
    """Break opportunities: (start offset, unit text), covering the whole text."""
    found = [(m.start(), m.group()) for m in _UNIT.finditer(text)]
    return found or [(0, text)]


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """Offsets (in code points) where `text` should be split to fit `width` cells."""
    breaks: list[int] = []
    used = 0
    for start, unit in units(text):
        visible = cell_len(unit.rstrip())
        if used + visible <= width:
            used += cell_len(unit)
            continue
        if used and start:
            breaks.append(start)
        used = 0
        if visible > width and fold:
            used = _fold(unit, start, width, breaks)
        else:
            used = cell_len(unit)
    return breaks


def _fold(unit: str, start: int, width: int, breaks: list[int]) -> int:
    """Chop a unit wider than the line across lines; return the width used on the last."""
    used = 0
    for offset, char in enumerate(unit):
        size = get_character_cell_size(char)
        if used + size > width and used and not char.isspace():
            breaks.append(start + offset)
            used = 0
        used += size
    return used


def install() -> None:
    """Make Textual's Content wrap with `divide_line` (idempotent)."""
    import textual.content

    textual.content.divide_line = divide_line
