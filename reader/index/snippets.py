"""Snippets: the stretch of an article's body around the first match, with the
matches marked as (start, end) spans into the snippet."""

from __future__ import annotations

import re
from functools import lru_cache

from reader.index.analysis import CJK_CHARS, fold, glued_part_spans, stem
from reader.index.regional import regional_forms

WIDTH = 160
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|<[^>]{1,200}>|[#*_>`\[\]|]+")
_SPACE = re.compile(r"\s+")
_CJK = re.compile(f"[{CJK_CHARS}]")


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
    forms = {f for n in needles if n for f in regional_forms(n)}
    patterns = [_pattern(f) for f in forms]
    folded = fold(text)
    mapped = None  # every match in text coordinates, where folding changed lengths
    if len(folded) == len(text):  # one character for one (nearly always)
        firsts = [m.start() for m in (p.search(folded) for p in patterns) if m]
    else:
        mapped = _mapped_matches(text, patterns)
        firsts = [a for a, _ in mapped]
    glued = _glued_matches(text, forms)
    firsts += [a for a, _ in glued]
    if not firsts:
        return _clip(text, 0, width), []
    start = _window_start(text, min(firsts), width)
    end = start + width
    if mapped is None:
        mapped = [m.span() for p in patterns for m in p.finditer(folded, start, end)]
    lead = 1 if start > 0 else 0  # the ellipsis
    spans = [(max(a, start) - start + lead, min(b, end) - start + lead)
             for a, b in sorted(mapped + glued) if a < end and b > start and b > a]
    return _clip(text, start, width), _merge(spans)


def _window_start(text: str, first: int, width: int) -> int:
    """Where the snippet starts: a third of its width before the first match, moved back
    to a space when one is near."""
    start = max(0, first - width // 3)
    while start > 0 and start > first - width // 2 and not text[start - 1].isspace():
        start -= 1
    return start


def _mapped_matches(text: str, patterns) -> list[tuple[int, int]]:
    """Every match, found in the folded text, as (start, end) in `text`."""
    folded, starts, ends = aligned_fold(text)
    return [(starts[m.start()], ends[m.end() - 1]) for p in patterns
            for m in p.finditer(folded) if m.end() > m.start()]


def _glued_matches(text: str, forms) -> list[tuple[int, int]]:
    """The parts of words glued to Chinese that are query words (Jetson in NVIDIAJetson)."""
    stems = {stem(f) for f in forms if f.isascii() and f.isalnum()}
    if not stems:
        return []
    return [(a, b) for a, b, part in glued_part_spans(text) if stem(part) in stems]


def aligned_fold(text: str) -> tuple[str, list[int], list[int]]:
    """The folded text, and for each of its characters where it came from in `text`
    (start and end: a character folded into several, `…` into `...`, maps to itself)."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    odd = "".join(ch for ch in set(text) if not ch.isascii() and _resizes(ch))
    offset = 0
    for piece in re.split(f"([{re.escape(odd)}])", text) if odd else [text]:
        if piece:
            _align(piece, offset, pieces, starts, ends)
            offset += len(piece)
    return "".join(pieces), starts, ends


@lru_cache(maxsize=4096)
def _resizes(ch: str) -> bool:
    return len(fold(ch)) != 1


def _align(text: str, offset: int, pieces: list, starts: list, ends: list) -> None:
    """Fold `text` whole where that keeps its length, else each half (folding changed
    the length of a sequence, not of one character: e and a combining accent)."""
    folded = fold(text)
    n = len(text)
    if len(folded) == n or n == 1:
        pieces.append(folded)
        if len(folded) == n:
            starts.extend(range(offset, offset + n))
            ends.extend(range(offset + 1, offset + n + 1))
        else:
            starts.extend([offset] * len(folded))
            ends.extend([offset + n] * len(folded))
        return
    mid = _split_point(text)
    _align(text[:mid], offset, pieces, starts, ends)
    _align(text[mid:], offset + mid, pieces, starts, ends)


def _split_point(text: str) -> int:
    """Near the middle, not inside a run of CJK characters (OpenCC converts a run by its
    words) where one is near."""
    mid = len(text) // 2
    for step in range(min(mid, 32)):
        for i in (mid - step, mid + step):
            if 0 < i < len(text) and not (_CJK.match(text, i - 1) and _CJK.match(text, i)):
                return i
    return mid


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
