"""Small charts made of text, for `newsreader stats` and the glance screen's bars: a
sparkline (▁▂▃▄▅▆▇█), a bar in eighths of a cell, names padded to a width in terminal
cells (a Chinese character takes two), and a trend.  Plain strings: no Textual here,
so the CLI draws them without loading it."""

from __future__ import annotations

from typing import Sequence

from rich.cells import cell_len, set_cell_size

from reader.textsafe import clean_line

SPARKS = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉"


def sparkline(values: Sequence[int], top: int | None = None) -> str:
    """One character per value, scaled to the largest (or `top`); zero is a blank and
    any other value at least ▁."""
    top = max(values, default=0) if top is None else top
    if top <= 0:
        return " " * len(values)
    return "".join(" " if v <= 0 else SPARKS[min(7, -(-v * 8 // top) - 1)] for v in values)


def bar(value: int, top: int, width: int) -> str:
    """A bar `width` cells long at `top`, in eighths of a cell, padded to `width`."""
    if top <= 0 or value <= 0:
        return " " * width
    eighths = max(1, round(value * width * 8 / top))
    full, part = divmod(min(eighths, width * 8), 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(width)


def fit(name: str, width: int) -> str:
    """`name` (made safe for one line) padded or cut to exactly `width` cells, a cut one
    ending in …."""
    name = clean_line(name)
    if cell_len(name) <= width:
        return set_cell_size(name, width)
    return set_cell_size(name, max(0, width - 1)) + "…" if width else ""


def trend(change: int) -> str:
    """+12, -3, or = (this week against the week before; plain signs, which every
    terminal draws one cell wide)."""
    return f"{change:+,}" if change else "="


def name_width(names: Sequence[str], most: int) -> int:
    """The cells the widest name takes, at most `most`."""
    return min(most, max((cell_len(clean_line(n)) for n in names), default=0))
