"""How text becomes index terms, the same way for articles and for queries.

Folding: NFKC (full-width letters and digits become ASCII), zero-width
characters removed, traditional Chinese converted to simplified with OpenCC
(`t2s`), then case folding.  An article and a query folded alike match across
scripts and case.  Regional words (軟體 for 软件) are not folded: a query is
spelled in every region's words instead (see `reader.index.regional`).

Terms, all in one field because the two alphabets cannot collide:
- every run of CJK characters gives its characters and its overlapping
  character pairs (unigrams and bigrams).  A query of one or two characters
  is one exact term; a longer run is the AND of its pairs, and the matches
  are then checked against the article text (see `reader.index.matching`).
  Trigrams would make three-character queries exact without a check, but
  more than doubled the time to index (measured: 113 vs 202 articles/s)
  since most trigrams occur in one or two articles.
- every run of other letters/digits is a word, reduced by a light plural
  stemmer ("stocks" -> "stock", "companies" -> "company").  A run glued to
  Chinese characters (no space: `英伟达NVIDIAJetson平台`) also gives its parts,
  split where a reader splits it: after an acronym that a capitalised word
  follows (NVIDIA|Jetson, AI|Agent; not TOP|Con), between letters and digits (RTX|5090), and
  before a version letter (DeepSeek|R1).  Camel case alone is one name
  (DeepSeek, OpenAI, iPhone: `seek` does not find DeepSeek), and a plural
  acronym stays whole (REITs, ETFs).

Counting is done with `collections.Counter` over string slices, at C speed,
instead of making one Token object per occurrence.
"""

from __future__ import annotations

from functools import lru_cache

import re
import unicodedata
from collections import Counter
from operator import add

import opencc

from reader.lazy_re import lazy

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
WORD = lazy(rf"[^\W{CJK_CHARS}_]+")
TOKEN = re.compile(rf"[{CJK_CHARS}]+|[^\W{CJK_CHARS}_]+")
_IDEOGRAPHS = lazy("([\u4e00-\u9fff]+)")
_ZERO_WIDTH = lazy("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# a letter/digit run just after or just before a CJK character (possessive: each run is
# tried once, not from every letter; 25% faster on Chinese text)
GLUED = lazy(rf"(?<=[{CJK_CHARS}])[A-Za-z0-9]++"
             rf"|(?<![A-Za-z0-9])[A-Za-z0-9]++(?=[{CJK_CHARS}])")
_GLUE_POINT = lazy(r"(?<=[A-Z])(?=[A-Z][a-z]{3})|(?<=[a-z])(?=[A-Z][0-9])"
                   r"|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")

_IDLE: dict[str, list[opencc.OpenCC]] = {}  # per config: converters no thread is using


def _convert(config: str, text: str) -> str:
    """`text` converted by OpenCC's `config`.  Each converter is used by one thread at a
    time, and handed on to the next thread after: the reader's searches run in a pool's
    threads, and making a converter costs 5-20 ms for t2s, 40-70 ms for s2t, s2tw or
    s2hk (made again in each new thread, the first CJK query's highlights cost a
    keystroke 0.13-0.2 s of CPU)."""
    idle = _IDLE.setdefault(config, [])
    try:
        conv = idle.pop()
    except IndexError:
        conv = opencc.OpenCC(config)
    try:
        return conv.convert(text)
    finally:
        idle.append(conv)


def _t2s(text: str) -> str:
    return _convert("t2s", text)


def script_variants(term: str) -> set[str]:
    """A Chinese term in its traditional spellings and in each region's words (軟體 for
    软件): what to highlight in an article written in the other script or region."""
    if not CJK_RUN.search(term):
        return {term}
    from reader.index.regional import regional_forms

    variants = {term}
    for form in regional_forms(fold(term)):
        variants.add(form)
        for config in ("s2t", "s2tw", "s2hk"):
            variants.add(_convert(config, form))
    return variants


def fold(text: str) -> str:
    """The form in which both articles and queries are indexed and matched."""
    return _fold_prepared(_prepared(text))


def _prepared(text: str) -> str:
    """NFKC and no zero-width characters: folded but for script and case."""
    text = nfkc(text)
    return _ZERO_WIDTH.sub("", text) if _ZERO_WIDTH.search(text) else text


def _fold_prepared(text: str) -> str:
    if CJK_RUN.search(text):
        text = _t2s(text)
    return text.casefold()


def index_terms(text: str) -> Counter:
    """Every index term of a text (folded here), with its frequency."""
    prepared = _prepared(text)
    counts = count_terms(_fold_prepared(prepared))
    for word in glued_parts(prepared):
        counts[stem(word)] += 1
    return counts


def glued_parts(text: str) -> list[str]:
    """The folded parts of the letter/digit runs glued to CJK characters, where a run
    has more than one (`NVIDIAJetson` -> nvidia, jetson); the whole run is a word anyway."""
    return [part for _, _, part in glued_part_spans(text)]


def glued_part_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded part) of each part of `glued_parts`, in `text`."""
    if not CJK_RUN.search(text):
        return []
    spans = []
    for run in GLUED.finditer(text):
        word = run.group()
        if word.isdigit() or word.isalpha() and (word.islower() or word.isupper()):
            continue  # no place to split: the common case (2025年, 的DeepSeek is not)
        cuts = [0, *(m.start() for m in _GLUE_POINT.finditer(word)), len(word)]
        if len(cuts) > 2:
            spans.extend((run.start() + a, run.start() + b, word[a:b].casefold())
                         for a, b in zip(cuts, cuts[1:]))
    return spans


def nfkc(text: str) -> str:
    """NFKC, the same result 3-4x faster on Chinese text.  The compatibility characters
    common in news text (full-width punctuation, no-break spaces, ellipses, circled
    numbers) are first replaced by their NFKD, each with one `str.replace` (NFKC
    decomposes them so anyway: the result is the same); what is left is most often
    normalized already (a C quick check), else normalized skipping runs of CJK
    ideographs (NFKC leaves them as they are, and they compose with nothing)."""
    if text.isascii():
        return text
    found = _COMPATIBLE.findall(text)
    for char in set(found) if found else ():
        text = text.replace(char, _DECOMPOSED[char])
    if unicodedata.is_normalized("NFKC", text):
        return text
    parts = _IDEOGRAPHS.split(text)
    for i in range(0, len(parts), 2):
        if parts[i] and not parts[i].isascii():
            parts[i] = unicodedata.normalize("NFKC", parts[i])
    return "".join(parts)


def _compatibility_forms(*spans: tuple[int, int]) -> dict[str, str]:
    """Each character of the spans that NFKD changes, with its NFKD."""
    chars = (chr(c) for first, last in spans for c in range(first, last + 1))
    return {c: d for c in chars if (d := unicodedata.normalize("NFKD", c)) != c}


# no-break and typographic spaces, leaders and ellipsis, Roman and circled numbers, the
# ideographic space, vertical and small forms, full-width and half-width forms
_DECOMPOSED = _compatibility_forms((0xA0, 0xA0), (0x2000, 0x200A), (0x2024, 0x2026),
                                   (0x2160, 0x217F), (0x2460, 0x24FF), (0x3000, 0x3000),
                                   (0xFE10, 0xFE6B), (0xFF01, 0xFFEE))
_COMPATIBLE = lazy("[%s]" % re.escape("".join(_DECOMPOSED)))


def is_cjk(term: str) -> bool:
    return bool(term) and CJK_RUN.fullmatch(term) is not None


@lru_cache(maxsize=65536)  # bounded: the reader runs for days over a growing vocabulary
def stem(word: str) -> str:
    """A light plural stemmer for English (and harmless for other words)."""
    return _strip_plural(word)


def _strip_plural(word: str) -> str:
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ss", "us", "is", "'s")):
        return word
    if word.endswith("es") and word[-3] in "sxz" and not word.endswith("ses"):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def count_terms(folded: str) -> Counter:
    """Every index term of an already folded text, with its frequency."""
    counts: Counter = Counter()
    runs = CJK_RUN.findall(folded)
    if runs:
        joined = "\x00".join(runs)
        counts.update(joined)
        counts.update(map(add, joined, joined[1:]))
        for key in [k for k in counts if "\x00" in k]:
            del counts[key]
    words = Counter(WORD.findall(folded))
    for word, n in words.items():
        counts[stem(word)] += n
    return counts


def cjk_terms(run: str) -> list[str]:
    """The terms whose AND finds a folded CJK run: itself up to 2 characters,
    else its distinct overlapping pairs (a superset: check the text)."""
    if len(run) <= 2:
        return [run]
    return list(dict.fromkeys(map(add, run, run[1:])))


def normalized(folded: str) -> str:
    """Folded text as its tokens joined by single spaces: what phrases are checked in."""
    return " ".join(TOKEN.findall(folded))


def query_tokens(folded: str) -> list[str]:
    """The pieces of a folded query word: CJK runs and stemmed words, in order."""
    return [tok if is_cjk(tok) else stem(tok) for tok in TOKEN.findall(folded)]
