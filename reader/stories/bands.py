"""LSH banding: which articles may be copies of one, in time independent of the archive.

The MinHash's `BINS` values are cut into `BANDS` bands of `ROWS`; two articles that agree
on every value of some band are candidates (then confirmed: `grouping.match`).  With 32
bands of 4, a pair of Jaccard similarity 0.5 is a candidate with probability 0.87, 0.6:
0.99, 0.7: 0.9999; a pair at 0.05 one time in 30,000.

Each (band, values) becomes a 41-bit key, stored with the article's 22-bit slot in one
63-bit integer, in one sorted `array` (8 bytes an entry: 26 MB at 100,000 articles,
where a dict of 3.2 million entries would take ten times that), looked up by bisection.
New entries wait in a small dict until it holds a quarter as many as the array, then
are merged in (amortized: sorting once, as if all came at once).  A removed article's
slot is dead and skipped; its entries go at the next merge.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

from reader.stories.signature import BINS

ROWS = 4
BANDS = BINS // ROWS
SLOT_BITS = 22  # 4 million slots: articles added, changed versions included
_KEY_MASK = (1 << (63 - SLOT_BITS)) - 1
_SLOT_MASK = (1 << SLOT_BITS) - 1
_MIN_MERGE = 50_000


def band_keys(bins: array) -> list[int]:
    """The key of each band (hash of a tuple of ints: the same in every process)."""
    return [hash((band, *bins[band * ROWS:band * ROWS + ROWS])) & _KEY_MASK
            for band in range(BANDS)]


class BandIndex:
    def __init__(self) -> None:
        self._sorted = array("q")
        self._recent: dict[int, list[int]] = {}
        self._recent_count = 0
        self._dead: set[int] = set()

    def add(self, slot: int, keys: list[int]) -> None:
        for key in keys:
            self._recent.setdefault(key, []).append(slot)
        self._recent_count += len(keys)
        if self._recent_count > max(_MIN_MERGE, len(self._sorted) // 4):
            self._merge()

    def add_all(self, keyed: list[tuple[int, list[int]]]) -> None:
        """Many (slot, keys) at once (a grouping restored): one sort, not one a merge."""
        merged = self._sorted.tolist()
        merged.extend((key << SLOT_BITS) | slot for slot, keys in keyed for key in keys)
        merged.sort()
        self._sorted = array("q", merged)
        self._merge()

    def discard(self, slot: int) -> None:
        self._dead.add(slot)

    def candidates(self, keys: list[int]) -> set[int]:
        """The live slots that share a band key with `keys`."""
        found: set[int] = set()
        entries = self._sorted
        for key in keys:
            i = bisect_left(entries, key << SLOT_BITS)
            while i < len(entries) and entries[i] >> SLOT_BITS == key:
                found.add(entries[i] & _SLOT_MASK)
                i += 1
            found.update(self._recent.get(key, ()))
        return found - self._dead if self._dead else found

    def _merge(self) -> None:
        dead = self._dead
        merged = [e for e in self._sorted if e & _SLOT_MASK not in dead] if dead \
            else self._sorted.tolist()
        merged.extend((key << SLOT_BITS) | slot for key, slots in self._recent.items()
                      for slot in slots if slot not in dead)
        merged.sort()
        self._sorted = array("q", merged)
        self._recent, self._recent_count, self._dead = {}, 0, set()
