"""What the duplicate finder keeps of an article: a few numbers, computed once.

The text is the title and the body folded as the index folds them (NFKC, traditional
to simplified, case: `reader.index.analysis.fold`), with links (a line of one link, the
archive's `[source](url)`, whole), markup and every
character that is not a letter, digit or ideograph dropped, so that a copy that
differs only in its source link, its punctuation or its script is the same text.

- `exact`: a 64-bit digest of that whole text: equal for exact copies.
- `title`: the title folded the same way, its words one space apart (copies across
  sources often share it).
- `length`: how long that text is (a roundup is no copy of one of its items).
- `lead`: a Bloom filter (2,048 bits) of the words of the body's lead (English words,
  Chinese character pairs): whether a title's words are in this article's opening,
  which tells a copy under another headline ("Stock futures fall as...") from a
  template filled in for another company ("UBS Adjusts Price Target on Fox").
- `numbers`: the numbers of the body's first `TEXT_CHARS` folded characters (decimals
  and numbers of three digits or more, years left out), each a CRC-32, sorted: a
  report's facts, which one source's templated updates do not share ("S&P 500 losing
  0.3%, the Dow Jones declining 90 points" one hour, "losing about 0.3%" the next).
  None where the store does not know them (signatures taken over from version 2).
- `minhash`: a MinHash of the text's character 5-shingles (its first `TEXT_CHARS`
  characters), by one-permutation hashing: each shingle is hashed once (CRC-32, then
  a multiplicative mix), the hashes fall into `BINS` bins by their top bits, and each
  bin keeps its smallest; an empty bin borrows from the next full one ("rotation"
  densification, Shrivastava and Li 2014).  The share of equal bins of two articles
  estimates the Jaccard similarity of their shingle sets.  One hash a shingle (not
  one a bin) is what makes it cheap in pure Python: about 0.3 ms an article.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from array import array
from bisect import bisect_left
from dataclasses import dataclass

from reader.index.analysis import fold

SHINGLE = 5  # characters a shingle: rare enough in Chinese, still shared by English words
TEXT_CHARS = 1500  # normalized characters shingled: the lead, where copies agree
BINS = 128
_BIN_SHIFT = 32 - 7  # the top 7 bits of a 32-bit hash choose one of the 128 bins
_VALUE_MASK = (1 << _BIN_SHIFT) - 1
_MIX = 0x9E3779B1  # Knuth's multiplicative constant: spreads CRC-32's bits into the top ones
_LINKS = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<?https?://\S+")
_LINK_LINE = re.compile(r"^[ \t]*\[[^\]\n]*\]\([^)\n]*\)[ \t]*$", re.M)  # `[source](url)`
_NOT_WORD = re.compile(r"[\W_]+")
_WORDS = re.compile(r"\d+(?:[.,]\d+)+|[\u3400-\u9fff\uf900-\ufaff]+"
                    r"|[^\W\u3400-\u9fff\uf900-\ufaff_]+")  # 4.265 is one word
LEAD_CHARS = 400  # folded characters of the body whose words go into `lead`
LEAD_BITS = 2048
MAX_BODY = 20_000  # characters of a body in the exact digest (copies differ sooner)
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)+|\d{3,}")  # 0.3, 4,265.10, 500 (not 2 or 11)
_YEAR = re.compile(r"(?:19|20)\d\d")
MAX_NUMBERS = 64


@dataclass(frozen=True, slots=True)
class Signature:
    """One article as the story grouper sees it: `date` a POSIX timestamp, `shingles`
    the number of distinct shingles (few: the MinHash says little)."""

    path: str
    date: float
    source: str
    exact: int
    title: str
    minhash: bytes  # BINS unsigned 32-bit values (array("I"))
    shingles: int
    lead: int  # a Bloom filter of LEAD_BITS bits
    length: int  # characters of the text (its body up to MAX_BODY)
    numbers: bytes | None = None  # CRC-32s of the lead's numbers (array("I")), sorted

    def bins(self) -> array:
        values = array("I")
        values.frombytes(self.minhash)
        return values


def signature_of(path: str, date: float, source: str, title: str, body: str) -> Signature:
    title_words = " ".join(words(fold(title)))
    folded = fold(_LINKS.sub(r"\1", _LINK_LINE.sub("", body[:MAX_BODY])))
    text = title_words.replace(" ", "") + _NOT_WORD.sub("", folded)
    exact = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
    hashes = shingle_hashes(text[:TEXT_CHARS])
    lead = bloom(tokens(" ".join(words(folded[:LEAD_CHARS]))))
    return Signature(path, date, source, exact >> 1, title_words,  # (a signed SQLite int)
                     one_permutation(hashes).tobytes(), len(hashes), lead, len(text),
                     numbers_of(folded[:TEXT_CHARS]))


def numbers_of(folded: str) -> bytes:
    """The CRC-32s of the telling numbers of a folded text (`numbers`), at most
    `MAX_NUMBERS`, as the bytes of a sorted array("I")."""
    found = {zlib.crc32(n.encode()) for n in _NUMBERS.findall(folded)
             if not _YEAR.fullmatch(n)}
    return array("I", sorted(found)[:MAX_NUMBERS]).tobytes()


def numbers(sig: Signature) -> set[int] | None:
    if sig.numbers is None:
        return None
    values = array("I")
    values.frombytes(sig.numbers)
    return set(values)


def words(folded: str) -> list[str]:
    """The runs of ideographs and the words of a folded text."""
    return _WORDS.findall(folded)


def tokens(spaced: str) -> set[str]:
    """The words of a text of `words` one space apart, each run of ideographs as its
    character pairs (a lone character as itself): what a title is checked by."""
    found = set()
    for word in spaced.split():
        if word.isascii():
            found.add(word)
        elif len(word) == 1:
            found.add(word)
        else:
            found.update(word[i:i + 2] for i in range(len(word) - 1))
    return found


def bloom(items: set[str]) -> int:
    bits = 0
    for item in items:
        for position in _positions(item):
            bits |= 1 << position
    return bits


def in_bloom(bits: int, item: str) -> bool:
    return all(bits >> p & 1 for p in _positions(item))


def _positions(item: str) -> tuple[int, int, int]:
    data = item.encode()
    h1, h2 = zlib.crc32(data), zlib.adler32(data) | 1
    return h1 % LEAD_BITS, (h1 + h2) % LEAD_BITS, (h1 + 2 * h2) % LEAD_BITS


def shingle_hashes(text: str) -> list[int]:
    """The sorted, distinct, mixed 32-bit hashes of `text`'s shingles (the whole text
    when it is shorter than a shingle; none when it is empty)."""
    if not text:
        return []
    data = text.encode("utf-32-le")
    width = 4 * SHINGLE
    pieces = [data[i:i + width] for i in range(0, max(4, len(data) - width + 4), 4)]
    return sorted({(h * _MIX) & 0xFFFFFFFF for h in map(zlib.crc32, pieces)})


def one_permutation(hashes: list[int]) -> array:
    """The smallest hash of each bin (its low bits), empty bins filled from the next
    full one to the right, plus how far it was, so filled bins rarely agree by chance."""
    values = array("I", bytes(4 * BINS))
    if not hashes:
        return values
    full = []
    for b in range(BINS):
        i = bisect_left(hashes, b << _BIN_SHIFT)
        if i < len(hashes) and hashes[i] >> _BIN_SHIFT == b:
            values[b] = hashes[i] & _VALUE_MASK
            full.append(b)
    if len(full) < BINS:
        _densify(values, full)
    return values


def _densify(values: array, full: list[int]) -> None:
    is_full = set(full)
    source = full[0]  # (right of the last full bin, the first one: the bins are a ring)
    for b in range(BINS - 1, -1, -1):  # right to left: each empty bin's next full one
        if b in is_full:
            source = b
        else:
            distance = (source - b) % BINS
            values[b] = values[source] + (distance << _BIN_SHIFT)


def similarity(a: Signature, b: Signature) -> float:
    """The estimated Jaccard similarity of two articles' shingle sets."""
    if not a.shingles or not b.shingles:
        return 0.0
    x, y = a.bins(), b.bins()
    return sum(map(int.__eq__, x, y)) / BINS
