"""Stories: the articles that tell one story, kept as each article comes and goes.

Two articles are one story (`match`) when their dates are within the window and
- their folded texts are equal ("exact copy"): long enough to tell, or dated the same
  second (one item saved twice: a title over an empty body says too little to join
  reports of other hours, yet two of it at one second are one report), or
- their MinHashes agree on at least `NEAR` of their bins ("near copy": the same
  report lightly edited, or in the other script), their lengths alike, their figures
  shared (`facts_agree`: not one source's template filled in at another hour), each
  title about its own lead (`about_leads`: not a roundup), their titles
  differing in wording only (`headlines_agree`: not a template filled in for another
  company or hour) or in regional Chinese words only (`regional`), or
- their folded titles are equal, distinctive (long: not "Sector Update: Tech") and
  from two sources ("same title": a wire story that two outlets cut differently).
A story is a connected set of such pairs, of two articles or more. Candidates come from
the LSH bands and from the exact digests and titles, each an indexed look-up in the
store (reader/stories/store.py), so adding an article costs about the same in a small
archive as in a large one, and nothing is built in memory first. The stories are the
connected components of the pairs, so they do not depend on the order in which articles
arrived: grouping an archive at once and growing it file by file give the same stories.

Removing an article regroups only its own story (its other members, by their own
candidates), which may split in two, or end (a story of one is no story).
"""

from __future__ import annotations

from typing import Iterable

from reader.stories.bands import band_keys
from reader.stories.signature import Signature, in_bloom, numbers, similarity, tokens
from reader.stories.store import SignatureStore, Stamp, StoredMember

NEAR = 0.5  # estimated Jaccard similarity of the shingle sets (2 x its error at 128 bins)
REGIONAL = 0.75  # ... for titles in two regions' Chinese words (`regional`)
LENGTH_SHARE = 0.4  # a near copy is at least this long beside the other (not a roundup)
MIN_SHINGLES = 30  # below this a text says too little for "exact" or "near"
TITLE_CJK = 12  # a distinctive title: this many characters with Chinese in it,
TITLE_LATIN = 30  # or this many letters and digits without
AGAINST_SHARE = 0.3  # of the title words that tell two articles apart (`headlines_agree`)
WORDING_SHARE = 0.25  # of two titles' words, differing with nothing for the pair
FACTS = 5  # numbers each text needs for `facts_agree` to judge
FACTS_SHARE = 0.5  # of the fewer numbers, in the other text too
ABOUT = 3  # telling title words a title needs for `about_leads` to judge
DAY = 86_400.0


def match(a: Signature, b: Signature, window: float) -> str:
    """Why `a` and `b` are one story ("" when they are not); `window` in seconds."""
    if abs(a.date - b.date) > window:
        return ""
    enough = min(a.shingles, b.shingles) >= MIN_SHINGLES
    if a.exact == b.exact and (enough or a.date == b.date):
        return "exact copy"
    if enough and min(a.length, b.length) >= LENGTH_SHARE * max(a.length, b.length):
        near = similarity(a, b)
        same = a.title == b.title and distinctive(a.title)  # (an update: new figures)
        if (near >= NEAR and (same or facts_agree(a, b)) and about_leads(a, b)
                and (headlines_agree(a, b) or near >= REGIONAL and regional(a, b))):
            return "near copy"
    if a.title == b.title and a.source != b.source and distinctive(a.title):
        return "same title"
    return ""


def facts_agree(a: Signature, b: Signature) -> bool:
    """Whether two texts share their numbers: a source's templated reports share most
    of their words and few of their figures ("S&P 500 losing 0.3%, the Dow Jones
    declining 90 points" before the open, "losing about 0.3%" an hour later; Tuesday's
    "were down 0.1%" and Wednesday's "were up 0.1%" with other figures after), where
    copies of one report repeat its facts.  Texts with few numbers say nothing."""
    na, nb = numbers(a), numbers(b)
    if na is None or nb is None or min(len(na), len(nb)) < FACTS:
        return True
    return len(na & nb) >= FACTS_SHARE * min(len(na), len(nb))


def about_leads(a: Signature, b: Signature) -> bool:
    """Whether each title is about its own article's lead: a roundup's part ("BP Touts
    'New Beginning,' Fundamental Change in -3-") opens with another item (an iron ore
    market talk) that a short report may copy whole, while its title names none of it."""
    return all(_about_lead(sig) for sig in (a, b))


def _about_lead(sig: Signature) -> bool:
    telling = _telling(tokens(sig.title))
    return len(telling) < ABOUT or any(in_bloom(sig.lead, w) for w in telling)


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
    """The stories of the signatures in `store`, changed one article at a time in the
    caller's transaction (`store.batch()`).  Stories are numbered; nothing is kept in
    memory: every look-up is the store's."""

    def __init__(self, store: SignatureStore, window_days: float = 14.0) -> None:
        self.store = store
        self.window = window_days * DAY

    def add(self, stamp: Stamp, sig: Signature) -> set[int]:
        """Group `sig` (replacing an earlier signature of its path, whose place in the
        order the signatures came it keeps); the numbers of the stories that changed
        (made, grown, merged away, or left by its old version)."""
        touched, id_ = self._forget(sig.path)
        keys = _keys(sig)
        self.store.put(stamp, sig, keys, id_)
        return touched | self.regroup(sig, keys)

    def regroup(self, sig: Signature, keys: list[int] | None = None) -> set[int]:
        """Link a stored signature to its copies (when every one is grouped anew)."""
        links = self._links(sig, self._candidates(sig, keys))
        return self._join(sig, links) if links else set()

    def remove(self, path: str) -> set[int]:
        """Forget `path`; the numbers of the stories that changed."""
        return self._forget(path)[0]

    def _forget(self, path: str) -> tuple[set[int], int | None]:
        """Forget `path`: the numbers of the stories that changed, and the id its
        signature had (None: it had none)."""
        store = self.store
        sig = store.signature(path)
        if sig is None:
            return set(), None
        id_ = store.delete(path, _keys(sig))
        number = store.story_of(path)
        if number is None:
            return set(), id_
        rest = [m for m in store.members(number) if m[0] != path]
        store.leave([path, *(m[0] for m in rest)])
        return {number} | self._regroup(rest, number), id_

    def _candidates(self, sig: Signature, keys: list[int] | None = None) -> list[Signature]:
        return self.store.candidates(sig, _keys(sig) if keys is None else keys,
                                     distinctive(sig.title), self.window)

    def _links(self, sig: Signature, candidates: Iterable[Signature]) -> dict[str, tuple]:
        """path -> (signature, why) of each candidate that is one story with `sig`."""
        links = {}
        for other in candidates:
            why = match(sig, other, self.window)
            if why:
                links[other.path] = (other, why)
        return links

    def _join(self, sig: Signature, links: dict[str, tuple]) -> set[int]:
        """`sig` with the articles it is linked to, their stories merged into the
        largest of them (or a new one)."""
        store = self.store
        numbers = {n for p in (sig.path, *links) if (n := store.story_of(p)) is not None}
        members = {n: store.members(n) for n in numbers}
        number = max(numbers, key=lambda n: (len(members[n]), -n)) if numbers \
            else store.new_number()
        joined = {m[0] for n in numbers for m in members[n]}
        for other in numbers - {number}:
            store.put_members(number, members[other])
        best = _best(why for _, why in links.values())
        store.put_members(number, [(sig.path, sig.date, best)] + [
            (path, other.date, why) for path, (other, why) in links.items()
            if path not in joined])
        return numbers | {number}

    def _regroup(self, rest: list[StoredMember], number: int) -> set[int]:
        """The connected parts of `rest` (a story less one member), the largest keeping
        `number`; parts of one are no story.  The numbers made."""
        parts = sorted(self._parts(rest), key=len, reverse=True)
        made = set()
        for i, part in enumerate(p for p in parts if len(p) > 1):
            n = number if i == 0 else self.store.new_number()
            made.add(n)
            self.store.put_members(n, part)
        return made - {number}

    def _parts(self, rest: list[StoredMember]) -> list[list[StoredMember]]:
        left, parts = {m[0]: m for m in rest}, []
        while left:
            first = left.popitem()[1]
            part, todo = [first], [first[0]]
            while todo:
                sig = self.store.signature(todo.pop())
                near = self._links(sig, (c for c in self._candidates(sig) if c.path in left))
                part.extend(left.pop(p) for p in near)
                todo.extend(near)
            parts.append(part)
        return parts


def _keys(sig: Signature) -> list[int]:
    """The band keys of `sig` (none when its text is too short for shingles)."""
    return band_keys(sig.minhash) if sig.shingles else []


def _best(reasons) -> str:
    order = ("exact copy", "near copy", "same title")
    return min(reasons, key=order.index)
