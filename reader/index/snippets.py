"""Snippets: the stretch of an article's body around the first match, with the
matches marked as (start, end) spans into the snippet."""

from __future__ import annotations

import re

from reader.index.analysis import CJK_CHARS, fold, glued_part_spans, stem
from reader.index.regional import regional_forms

WIDTH = 160
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|<[^>]{1,200}>|[#*_>`\[\]|]+")
_SPACE = re.compile(r"\s+")
_PIECE = re.compile(f"[{CJK_CHARS}]+|[\x00-\x7f]+|.", re.S)  # folded independently


def plain(markdown: str) -> str:
    """Markdown reduced to readable running text on one line."""
    return _SPACE.sub(" ", _MARKUP.sub(" ", markdown)).strip()


def make_snippet(text: str, needles: list[str], width: int = WIDTH
                 ) -> tuple[str, list[tuple[int, int]]]:
    """The snippet of `text` (plain, one line) around the first needle found.

    Needles are folded query words and phrases, looked for in each region's words
    too (软件 marks 軟體) and among the parts of words glued to Chinese (NVIDIA
    in 英伟达NVIDIAJetson); matching is done on the folded text, and the snippet
    shows the text as written (case and script kept), the matches mapped back.
    """
    folded, starts, ends = aligned_fold(text)
    forms = {f for n in needles if n for f in regional_forms(n)}
    found = [(starts[a], ends[b - 1]) for p in map(_pattern, forms)
             for a, b in (m.span() for m in p.finditer(folded)) if b > a]
    stems = {stem(f) for f in forms}  # and the parts of words glued to Chinese
    found = sorted(found + [(a, b) for a, b, part in glued_part_spans(text)
                            if stem(part) in stems])
    if not found:
        return _clip(text, 0, width), []
    first = found[0][0]
    start = max(0, first - width // 3)
    while start > 0 and start > first - width // 2 and not text[start - 1].isspace():
        start -= 1
    lead = 1 if start > 0 else 0  # the ellipsis
    spans = [(max(a, start) - start + lead, min(b, start + width) - start + lead)
             for a, b in found if a < start + width and b > start]
    return _clip(text, start, width), _merge(spans)


def aligned_fold(text: str) -> tuple[str, list[int], list[int]]:
    """The folded text, and for each of its characters where it came from in `text`
    (start and end: a character folded into several, `…` into `...`, maps to itself)."""
    folded = fold(text)
    if len(folded) == len(text):  # nearly always: one character for one
        return folded, list(range(len(text))), list(range(1, len(text) + 1))
    pieces, starts, ends = [], [], []
    for m in _PIECE.finditer(text):
        piece, a, b = fold(m.group()), m.start(), m.end()
        pieces.append(piece)
        if len(piece) == b - a:
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
        else:
            starts.extend([a] * len(piece))
            ends.extend([b] * len(piece))
    return "".join(pieces), starts, ends


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


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
