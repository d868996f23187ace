"""Snippets: the stretch of an article's body around the first match, with the
matches marked as (start, end) spans into the snippet."""

from __future__ import annotations

import re

from reader.index.analysis import fold

WIDTH = 160
_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|<[^>]{1,200}>|[#*_>`\[\]|]+")
_SPACE = re.compile(r"\s+")


def body_of(text: str) -> str:
    """The file's text without its front matter."""
    match = _FRONT.match(text)
    return text[match.end():] if match else text


def plain(markdown: str) -> str:
    """Markdown reduced to readable running text on one line."""
    return _SPACE.sub(" ", _MARKUP.sub(" ", markdown)).strip()


def make_snippet(text: str, needles: list[str], width: int = WIDTH
                 ) -> tuple[str, list[tuple[int, int]]]:
    """The snippet of `text` (plain, one line) around the first needle found.

    Needles are folded query words and phrases; matching is done on the
    folded text, and the snippet shows the original text when folding kept
    its length (it almost always does), else the folded text.
    """
    folded = fold(text)
    shown = text if len(folded) == len(text) else folded
    patterns = [_pattern(n) for n in needles if n]
    firsts = [m.start() for m in (p.search(folded) for p in patterns) if m]
    if not firsts:
        return _clip(shown, 0, width), []
    first = min(firsts)
    start = max(0, first - width // 3)
    while start > 0 and start > first - width // 2 and not shown[start - 1].isspace():
        start -= 1
    spans = _spans(folded[start:start + width], patterns)
    lead = 1 if start > 0 else 0  # the ellipsis
    return _clip(shown, start, width), [(a + lead, b + lead) for a, b in spans]


def _clip(text: str, start: int, width: int) -> str:
    piece = text[start:start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return prefix + piece + suffix


def _pattern(needle: str) -> re.Pattern:
    """The needle as a regex; Latin letters and digits match at word edges only."""
    left = r"(?<![a-z0-9])" if needle[0].isalnum() and needle[0].isascii() else ""
    right = r"(?![a-z0-9])" if needle[-1].isalnum() and needle[-1].isascii() else ""
    return re.compile(left + re.escape(needle) + right)


def _spans(window: str, patterns: list[re.Pattern]) -> list[tuple[int, int]]:
    spans = [m.span() for p in patterns for m in p.finditer(window)]
    return _merge(sorted(spans))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
