"""Which of some articles are copies of one, or of each other, whatever their dates:
what related articles leave out (reader/session/related.py).  A copy is one as grouping
says (reader/stories/grouping.py: `match`), with no window, or a text whose shingles are
mostly the same whatever its title (a story's text under a headline of its own)."""

from __future__ import annotations

import math
from typing import Mapping, Sequence

from reader.stories.grouping import MIN_SHINGLES, match
from reader.stories.signature import Signature, similarity

SAME_TEXT = 0.8  # shingle similarity from which a text is a copy for related articles


def copies_among(signatures: Mapping[str, Signature], path: str, paths: Sequence[str]
                 ) -> set[str]:
    """Those of `paths` (with their `signatures`, by path) that are copies of `path` or
    of one of `paths` before them; a path with no signature is none."""
    kept = [signatures[path]] if path in signatures else []
    copies = set()
    for other in paths:
        sig = signatures.get(other)
        if sig is None:
            continue
        if any(_copy(sig, earlier) for earlier in kept):
            copies.add(other)
        else:
            kept.append(sig)
    return copies


def _copy(a: Signature, b: Signature) -> bool:
    if match(a, b, math.inf):
        return True
    return min(a.shingles, b.shingles) >= MIN_SHINGLES and similarity(a, b) >= SAME_TEXT
