"""Contrast of two colours as WCAG 2 measures it, and a text colour that is readable.

Some built-in themes pair a cursor bar with a text colour that is hard to read on
it (gruvbox: 2.4:1); `readable` keeps the theme's colour where it reads well and
otherwise takes black or white, whichever contrasts more (at least 4.58:1 on any
background).
"""

from __future__ import annotations

from rich.color import Color
from rich.style import Style

RGB = tuple[int, int, int]

TEXT_CONTRAST = 4.5  # WCAG 2 AA for normal text
BLACK: RGB = (0, 0, 0)
WHITE: RGB = (255, 255, 255)


def luminance(rgb: RGB) -> float:
    """WCAG's relative luminance of an sRGB colour, 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """The contrast ratio of two colours, 1 (the same) to 21 (black on white)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(text: RGB, background: RGB, minimum: float = TEXT_CONTRAST) -> RGB:
    """`text` if it has `minimum` contrast on `background`, else black or white."""
    if contrast(text, background) >= minimum:
        return text
    return max((BLACK, WHITE), key=lambda c: contrast(c, background))


def readable_style(style: Style) -> Style:
    """`style` with its text colour made readable on its background.  Only for colours
    given as RGB: the terminal's own palette decides what ANSI colours look like."""
    fg, bg = style.color, style.bgcolor
    if fg is None or bg is None or fg.triplet is None or bg.triplet is None:
        return style
    text = tuple(fg.triplet)
    better = readable(text, tuple(bg.triplet))
    return style if better == text else style + Style(color=Color.from_rgb(*better))
