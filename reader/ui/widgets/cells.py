"""Text fitted to a number of terminal cells: whatever is cut ends in "…".

Widths are counted in cells, as the terminal draws them: a Chinese character
takes two, so `fit("銀行淨息差", 5)` is `"銀行…"` and never half a character.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded with spaces, or cut and ending in "…"."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(set_cell_size(text, width - 1).rstrip() + ELLIPSIS, width)


def cut(text: str, width: int) -> str:
    """`text` in at most `width` cells (cut and ending in "…" where it is longer); unpadded."""
    return text if cell_len(text) <= width else fit(text, width).rstrip()


def name_and_count(name: str, count: str, width: int, beside: bool = False
                   ) -> tuple[str, str]:
    """A name and its count in `width` cells: the count whole at the right edge (or right
    after the name: `beside`), the name cut with "…" where both do not fit (at least one
    cell of it is shown)."""
    room = max(1, width - cell_len(count) - 1)
    return (cut(name, room) if beside else fit(name, room)), " " + count
