"""The colour of a highlight rule's rows, legible on the list in every theme.

A theme's `$text-success` is meant for text, but some light themes draw it at
about 3:1 on their background; `legible` moves it towards black or white (which
ever contrasts more) a step at a time until it reads at 4.5:1, so the row keeps
its hue and stands out from the others.  ANSI colours are the terminal's: kept.
"""

from __future__ import annotations

from rich.color import Color, blend_rgb
from rich.color_triplet import ColorTriplet
from rich.style import Style

from reader.ui.contrast import BLACK, TEXT_CONTRAST, WHITE, contrast


def legible(style: Style) -> Style:
    """`style` with its text colour made to read at TEXT_CONTRAST on its background."""
    fg, bg = style.color, style.bgcolor
    if fg is None or bg is None or fg.triplet is None or bg.triplet is None:
        return style
    back = tuple(bg.triplet)
    target = max((BLACK, WHITE), key=lambda c: contrast(c, back))
    colour = fg.triplet
    for step in range(1, 11):
        if contrast(tuple(colour), back) >= TEXT_CONTRAST:
            break
        colour = blend_rgb(fg.triplet, ColorTriplet(*target), step / 10)
    return style + Style(color=Color.from_triplet(colour))
