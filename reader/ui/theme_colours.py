"""Colours the reader adds to every theme: the focused pane's line and its title.

Most Textual apps mark focus with the theme's accent, but in some built-in
themes the accent hardly shows on the panes' background (textual-light's
orange: 1.5:1).  `$reader-focus` is the first of accent, primary, secondary and
foreground that has 3:1 contrast on every pane's background, and
`$reader-focus-text` the theme's background colour where it reads on that
(4.5:1), else black or white.  ANSI themes take their cursor's pair of colours
(the terminal's palette decides what they look like, and the theme paired them).
"""

from __future__ import annotations

from typing import Mapping

from textual.color import Color, ColorParseError

from reader.ui.contrast import TEXT_CONTRAST, contrast, readable

CANDIDATES = ("accent", "primary", "secondary", "foreground")
PANE_BACKGROUNDS = ("background", "surface")  # the list and article; the tree
PART_CONTRAST = 3.0  # WCAG 2 for the parts of an interface (a line, a marker)


def reader_variables(theme: Mapping[str, str]) -> dict[str, str]:
    """The reader's CSS variables for a theme, from the theme's own (`$accent`, ...)."""
    try:
        backgrounds = [Color.parse(theme[name]) for name in PANE_BACKGROUNDS]
        candidates = [Color.parse(theme[name]) for name in CANDIDATES if name in theme]
    except (ColorParseError, KeyError):
        return _plain(theme)
    if any(c.ansi is not None for c in backgrounds + candidates):
        return _plain(theme)
    panes = [backgrounds[0] + c for c in backgrounds]  # a transparent surface is the background
    focus = next((c for c in (panes[0] + c for c in candidates)
                  if min(contrast(c.rgb, p.rgb) for p in panes) >= PART_CONTRAST), None)
    if focus is None:
        focus = Color(*readable(candidates[0].rgb, panes[0].rgb, PART_CONTRAST))
    text = Color(*readable(panes[0].rgb, focus.rgb, TEXT_CONTRAST))
    return {"reader-focus": focus.hex, "reader-focus-text": text.hex}


def _plain(theme: Mapping[str, str]) -> dict[str, str]:
    return {"reader-focus": theme.get("block-cursor-background", "ansi_blue"),
            "reader-focus-text": theme.get("block-cursor-foreground", "ansi_bright_white")}
