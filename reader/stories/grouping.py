"""Stories: the articles that tell one story, kept as each article comes and goes.

Two articles are one story (`match`) when their dates are within the window and
- their folded texts are equal ("exact copy"), or
- their MinHashes agree on at least `NEAR` of their bins ("near copy": the same
  report lightly edited, or in the other script), their lengths alike, their titles
  differing in wording only (`headlines_agree`: not a template filled in for another
  company or hour) or in regional Chinese words only (`regional`), or
- their folded titles are equal, distinctive (long: not "Sector Update: Tech") and
  from two sources ("same title": a wire story that two outlets cut differently).
A story is a connected set of such pairs, of two articles or more.  Candidates come
from the LSH bands and from the exact and title tables, so adding an article costs the
same in a small archive as in a large one.  The stories are the connected components of
the pairs, so they do not depend on the order in which articles arrived: grouping an
archive at once and growing it file by file give the same stories.

Removing an article regroups only its own story (its other members, by their own
candidates), which may split in two, or end (a story of one is no story).
"""

from __future__ import annotations

from itertools import count
from typing import Iterable, Mapping

from reader.stories.bands import BandIndex, band_keys
from reader.stories.signature import Signature, in_bloom, similarity, tokens

NEAR = 0.5  # estimated Jaccard similarity of the shingle sets (2 x its error at 128 bins)
REGIONAL = 0.75  # ... for titles in two regions' Chinese words (`regional`)
LENGTH_SHARE = 0.4  # a near copy is at least this long beside the other (not a roundup)
MIN_SHINGLES = 30  # below this a text says too little for "exact" or "near"
TITLE_CJK = 12  # a distinctive title: this many characters with Chinese in it,
TITLE_LATIN = 30  # or this many letters and digits without
AGAINST_SHARE = 0.3  # of the title words that tell two articles apart (`headlines_agree`)
WORDING_SHARE = 0.25  # of two titles' words, differing with nothing for the pair
DAY = 86_400.0


def match(a: Signature, b: Signature, window: float) -> str:
    """Why `a` and `b` are one story ("" when they are not); `window` in seconds."""
    if abs(a.date - b.date) > window:
        return ""
    enough = min(a.shingles, b.shingles) >= MIN_SHINGLES
    if enough and a.exact == b.exact:
        return "exact copy"
    if enough and min(a.length, b.length) >= LENGTH_SHARE * max(a.length, b.length):
        near = similarity(a, b)
        if near >= NEAR and (headlines_agree(a, b) or near >= REGIONAL and regional(a, b)):
            return "near copy"
    if a.title == b.title and a.source != b.source and distinctive(a.title):
        return "same title"
    return ""


def distinctive(title: str) -> bool:
    length = len(title.replace(" ", ""))
    return length >= (TITLE_LATIN if title.isascii() else TITLE_CJK)


def headlines_agree(a: Signature, b: Signature) -> bool:
    """Whether two titles differ only in wording, not in what they name.  A word of one
    title that the other lacks speaks against the pair when its own article's lead has
    it and the other's lacks it (a template filled in for another company: "UBS Adjusts
    Price Target on Fox" / "... on Equifax"), for it when the other's lead has it too (a
    copy under a new headline); a word in neither lead is wording (承压 / 受压), unless
    such words are much of the titles with nothing for the pair, or an English word
    stands in for another one ("Decoding Baidu's Options" / "Decoding IonQ's ...")."""
    ta, tb = tokens(a.title), tokens(b.title)
    if not _numbers_agree(ta, tb):
        return False
    only_a, only_b = _telling(ta - tb), _telling(tb - ta)
    against = support = 0
    for words, own, other in ((only_a, a.lead, b.lead), (only_b, b.lead, a.lead)):
        for word in words:
            if in_bloom(other, word):
                support += 1
            elif in_bloom(own, word):
                against += 1
    if not support and (len(only_a) + len(only_b) > WORDING_SHARE * len(ta | tb)
                        or _swapped(only_a, only_b)):
        return False
    return against <= AGAINST_SHARE * (support + against)


def _telling(words: set[str]) -> set[str]:
    """Words that can tell two stories apart: not short English ones ("to", "the")."""
    return {w for w in words if not w.isascii() or len(w) >= 4 or w[0].isdigit()}


def _swapped(only_a: set[str], only_b: set[str]) -> bool:
    return any(w.isascii() for w in only_a) and any(w.isascii() for w in only_b)


def regional(a: Signature, b: Signature) -> bool:
    """Titles that differ in Chinese words only, the same numbers in them: one report in
    two regions' words (降息 / 減息), when the texts agree closely besides."""
    ta, tb = tokens(a.title), tokens(b.title)
    return _numbers_agree(ta, tb) and not any(w.isascii() for w in ta ^ tb)


def _numbers_agree(ta: set[str], tb: set[str]) -> bool:
    """A title's numbers are its facts: two titles whose numbers differ each way ("恒指
    高开1.1%" / "恒指高开0.98%", yesterday's and today's) are two stories."""
    na = {t for t in ta if t[0].isdigit()}
    nb = {t for t in tb if t[0].isdigit()}
    return not na or not nb or na <= nb or nb <= na


class StoryGrouper:
    """Every signature, its candidates and the stories, changed one article at a time.
    Stories are numbered; `story_of` maps a member's path to its number."""

    def __init__(self, window_days: float = 14.0) -> None:
        self.window = window_days * DAY
        self._slots: list[Signature | None] = []
        self._slot_of: dict[str, int] = {}
        self._bands = BandIndex()
        self._by_exact: dict[int, set[int]] = {}
        self._by_title: dict[str, set[int]] = {}
        self._story: dict[int, int] = {}  # slot -> story number (members only)
        self._members: dict[int, set[int]] = {}  # story number -> slots
        self._numbers = count(1)
        self.why: dict[str, str] = {}  # a member's path -> how it is linked to its story

    def __len__(self) -> int:
        return len(self._slot_of)

    def signature(self, path: str) -> Signature | None:
        slot = self._slot_of.get(path)
        return None if slot is None else self._slots[slot]

    def story_of(self, path: str) -> int | None:
        slot = self._slot_of.get(path)
        return None if slot is None else self._story.get(slot)

    def members(self, number: int) -> list[str]:
        return [self._slots[s].path for s in self._members.get(number, ())]

    def stories(self) -> dict[int, list[str]]:
        return {n: self.members(n) for n in self._members}

    def add(self, sig: Signature) -> set[int]:
        """Group `sig` (replacing an earlier signature of its path); the numbers of the
        stories that changed (made, grown, merged away, or left by its old version)."""
        touched = self.remove(sig.path) if sig.path in self._slot_of else set()
        slot = self._register(sig)
        links = self._links(slot, self._candidates(slot))
        if links:
            touched |= self._join(slot, links)
        return touched

    def remove(self, path: str) -> set[int]:
        """Forget `path`; the numbers of the stories that changed."""
        slot = self._slot_of.pop(path, None)
        if slot is None:
            return set()
        self._unregister(slot)
        self.why.pop(path, None)
        number = self._story.pop(slot, None)
        if number is None:
            return set()
        rest = self._members.pop(number) - {slot}
        for s in rest:
            del self._story[s]
        return {number} | self._regroup(rest, number)

    def restore(self, signatures: Iterable[Signature],
                stories: Mapping[int, Iterable[tuple[str, str]]]) -> None:
        """Take `signatures` and their stories as a grouping stored them (number ->
        (path, why) of each member): no pair is matched again.  Members without a
        signature are left out."""
        keyed = [(self._register(sig, banded=False), _keys(sig)) for sig in signatures]
        self._bands.add_all(keyed)
        for number, members in stories.items():
            slots = {self._slot_of[p] for p, _ in members if p in self._slot_of}
            if len(slots) < 2:
                continue
            self._members[number] = slots
            for s in slots:
                self._story[s] = number
            self.why.update((p, why) for p, why in members if p in self._slot_of)
        self._numbers = count(max(stories, default=0) + 1)

    def _register(self, sig: Signature, banded: bool = True) -> int:
        slot = len(self._slots)
        self._slots.append(sig)
        self._slot_of[sig.path] = slot
        if banded:  # (else the caller adds the keys of many at once)
            self._bands.add(slot, _keys(sig))
        self._by_exact.setdefault(sig.exact, set()).add(slot)
        if distinctive(sig.title):
            self._by_title.setdefault(sig.title, set()).add(slot)
        return slot

    def _unregister(self, slot: int) -> None:
        sig = self._slots[slot]
        self._slots[slot] = None
        self._bands.discard(slot)
        _discard(self._by_exact, sig.exact, slot)
        _discard(self._by_title, sig.title, slot)

    def _candidates(self, slot: int) -> set[int]:
        sig = self._slots[slot]
        found = self._bands.candidates(_keys(sig))
        found |= self._by_exact.get(sig.exact, set())
        found |= self._by_title.get(sig.title, set())
        found.discard(slot)
        return found

    def _links(self, slot: int, candidates: set[int]) -> dict[int, str]:
        sig = self._slots[slot]
        links = {}
        for other in candidates:
            why = match(sig, self._slots[other], self.window)
            if why:
                links[other] = why
        return links

    def _join(self, slot: int, links: dict[int, str]) -> set[int]:
        """`slot` with the articles it is linked to, their stories merged into the
        largest of them (or a new one)."""
        numbers = {self._story[s] for s in links if s in self._story}
        number = max(numbers, key=lambda n: len(self._members[n])) if numbers \
            else next(self._numbers)
        members = self._members.setdefault(number, set())
        for other in numbers - {number}:
            members |= self._members.pop(other)
        members.add(slot)
        members.update(links)
        for s in members:
            self._story[s] = number
        self.why[self._slots[slot].path] = _best(links.values())
        for other, why in links.items():
            self.why.setdefault(self._slots[other].path, why)
        return numbers | {number}

    def _regroup(self, slots: set[int], number: int) -> set[int]:
        """The connected parts of `slots` (a story less one member), the largest keeping
        `number`; parts of one are no story.  The numbers made."""
        parts = sorted(self._parts(slots), key=len, reverse=True)
        made = set()
        for i, part in enumerate(p for p in parts if len(p) > 1):
            n = number if i == 0 else next(self._numbers)
            made.add(n)
            self._members[n] = part
            for s in part:
                self._story[s] = n
        for part in parts:
            if len(part) == 1:
                self.why.pop(self._slots[next(iter(part))].path, None)
        return made - {number}

    def _parts(self, slots: set[int]) -> list[set[int]]:
        left, parts = set(slots), []
        while left:
            part, todo = set(), [left.pop()]
            while todo:
                s = todo.pop()
                part.add(s)
                near = self._links(s, self._candidates(s) & left)
                left -= near.keys()
                todo.extend(near)
            parts.append(part)
        return parts


def _keys(sig: Signature) -> list[int]:
    """The band keys of `sig`, worked out when asked (a few microseconds) rather than
    kept: 32 keys an article were 130 MB at 100,000."""
    return band_keys(sig.bins()) if sig.shingles else []


def _best(reasons) -> str:
    order = ("exact copy", "near copy", "same title")
    return min(reasons, key=order.index)


def _discard(table: dict, key, slot: int) -> None:
    slots = table.get(key)
    if slots is not None:
        slots.discard(slot)
        if not slots:
            del table[key]
