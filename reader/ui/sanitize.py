"""Article text is data: the UI's names for the core's terminal-safety functions.

The rules live in reader/textsafe.py (shared with the command line); this
module only adds what is particular to Textual: text for a place that Textual
reads as content markup (the command palette's help line) gets every `[`
escaped (Textual's markup has no other escape: `\\[` is a literal bracket).
"""

from __future__ import annotations

from reader.textsafe import OPENABLE_SCHEMES, clean_line, clean_text, is_openable

__all__ = ["OPENABLE_SCHEMES", "clean_line", "clean_text", "is_openable", "markup_safe"]


def markup_safe(text: str) -> str:
    """One line of article text for a place that Textual parses as markup: controls
    removed and every `[` escaped, so it shows as typed."""
    return clean_line(text).replace("[", "\\[")
