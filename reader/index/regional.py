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

import re
from collections import defaultdict
from functools import lru_cache
from itertools import islice, product

from reader.index.regional_words import PAIRS

MAX_FORMS = 16  # spellings per query run (a run of many regional words multiplies them)


def _alternation(words) -> re.Pattern:
    """Leftmost-longest match of any of the words, grouped by first character (a trie
    of depth one: the regex engine then tries only the words of that character)."""
    by_first: dict[str, list[str]] = defaultdict(list)
    for word in words:
        by_first[word[0]].append(word[1:])
    branches = []
    for first, rests in by_first.items():
        rests.sort(key=len, reverse=True)
        branches.append(re.escape(first) + "(?:" + "|".join(map(re.escape, rests)) + ")")
    return re.compile("|".join(branches))


TO_MAINLAND: dict[str, str] = dict(pair.split(">") for pair in PAIRS.split())
OTHER_FORMS: dict[str, list[str]] = defaultdict(list)  # mainland word -> regional words
for _regional, _mainland in TO_MAINLAND.items():
    OTHER_FORMS[_mainland].append(_regional)
# Each alternation is compiled when a text first holds one of its words' first
# characters (35 ms of CPU for both: a process that searches once, the CLI, mostly
# needs neither).
_FIRSTS = {"regional": frozenset(w[0] for w in TO_MAINLAND),
           "mainland": frozenset(w[0] for w in OTHER_FORMS)}


@lru_cache(maxsize=None)
def _pattern(kind: str) -> re.Pattern:
    return _alternation(TO_MAINLAND if kind == "regional" else OTHER_FORMS)


def _may_hold(kind: str, text: str) -> bool:
    return not _FIRSTS[kind].isdisjoint(text)


def mainland(folded: str) -> str:
    """The folded text with its Taiwan and Hong Kong words in their mainland form."""
    if not _may_hold("regional", folded):
        return folded
    return _pattern("regional").sub(lambda m: TO_MAINLAND[m.group()], folded)


@lru_cache(maxsize=4096)
def regional_forms(folded: str) -> tuple[str, ...]:
    """Every spelling of a folded text in the words of each region, itself first
    (at most MAX_FORMS; most texts have only themselves)."""
    canon = mainland(folded)
    held = _may_hold("mainland", canon)
    parts = _pattern("mainland").split(canon) if held else [canon]  # no groups: the
    words = _pattern("mainland").findall(canon) if held else []  # words are between parts
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
