"""Regional word forms: a query in one region's words finds the other regions' words.

OpenCC's t2s (see `analysis.fold`) converts characters, not words: 軟體 becomes
软体, never 软件.  Here every CJK run of a query is spelled in each region's
words, and the search looks for any of the spellings (an OR of runs):

    regional_forms("英伟达芯片") -> ["英伟达芯片", "辉达芯片", "英伟达晶片", "辉达晶片"]

The words are matched one by one, so a text that mixes regions (英偉達晶片:
Hong Kong's 英伟达, Taiwan's 晶片) is found too.  Expanding the query rather
than folding the articles' words keeps every substring findable (智慧 still
finds 人工智慧, which a fold to 人工智能 would hide), costs nothing at index time,
and never rewrites words inside other words of an article.

The pairs are in `regional_words.PAIRS` (how they were chosen is said there).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from itertools import islice, product

from reader.index.regional_words import PAIRS

MAX_FORMS = 16  # spellings per query run (a run of many regional words multiplies them)


TO_MAINLAND: dict[str, str] = dict(pair.split(">") for pair in PAIRS.split())
OTHER_FORMS: dict[str, list[str]] = defaultdict(list)  # mainland word -> regional words
for _regional, _mainland in TO_MAINLAND.items():
    OTHER_FORMS[_mainland].append(_regional)


def _by_first(words) -> dict[str, tuple[str, ...]]:
    """The words by their first character, longest first (a trie of depth one)."""
    out: dict[str, list[str]] = defaultdict(list)
    for word in words:
        out[word[0]].append(word)
    return {first: tuple(sorted(group, key=len, reverse=True)) for first, group in out.items()}


_REGIONAL = _by_first(TO_MAINLAND)
_MAINLAND = _by_first(OTHER_FORMS)


def _found(text: str, words: dict[str, tuple[str, ...]]) -> list[tuple[int, int]]:
    """(start, end) of each word in the text, leftmost-longest, not overlapping.  The
    texts are a query's runs, a few characters: a scan here costs microseconds, where
    compiling the two alternations as regexes cost 35 ms of CPU in every process."""
    spans, i = [], 0
    while i < len(text):
        for word in words.get(text[i], ()):
            if text.startswith(word, i):
                spans.append((i, i + len(word)))
                i += len(word)
                break
        else:
            i += 1
    return spans


def mainland(folded: str) -> str:
    """The folded text with its Taiwan and Hong Kong words in their mainland form."""
    spans = _found(folded, _REGIONAL)
    if not spans:
        return folded
    parts, last = [], 0
    for a, b in spans:
        parts += [folded[last:a], TO_MAINLAND[folded[a:b]]]
        last = b
    parts.append(folded[last:])
    return "".join(parts)


@lru_cache(maxsize=4096)
def regional_forms(folded: str) -> tuple[str, ...]:
    """Every spelling of a folded text in the words of each region, itself first
    (at most MAX_FORMS; most texts have only themselves)."""
    canon = mainland(folded)
    spans = _found(canon, _MAINLAND)
    words = [canon[a:b] for a, b in spans]
    parts = [canon[a:b] for a, b in zip([0] + [e for _, e in spans],
                                         [s for s, _ in spans] + [len(canon)])]
    if not words:
        return tuple(dict.fromkeys((folded, canon)))
    choices = [[w, *OTHER_FORMS[w]] for w in words]
    spelled = ("".join(_interleave(parts, combo)) for combo in product(*choices))
    return tuple(dict.fromkeys([folded, *islice(spelled, MAX_FORMS)]))[:MAX_FORMS]


def _interleave(parts: list[str], words: tuple[str, ...]):
    for part, word in zip(parts, words):
        yield part
        yield word
    yield parts[-1]
