"""A Whoosh merge policy that rewrites only small and mostly-deleted segments.

Whoosh 2.7.4's default policy (MERGE_SMALL) now and then merges everything
written so far, and merging runs in pure Python at about the cost of
indexing: at 38,000 articles one commit of the 100k build did not end in
minutes.  Big batch segments are left as written (a search visits each;
dozens cost little) and updates leave small segments that are folded
together here, at most MERGE_BUDGET live articles per commit, smallest first: a
merge costs about what indexing its articles did, and it runs inside the commit of
the next change (two halves of a 400-article delta merged there doubled a burst's
time to searchable).  A mostly-deleted segment is rewritten whatever its size.
A merge policy is Whoosh's documented hook, but it is handed
the writer and builds SegmentReaders itself, as Whoosh's own policies do.

Left alone, the big segments add up: a search pays each its own lookups (a CLI
search at 1M, 375 segments, took 1.2-1.4 s of CPU).  `merge_one_tier` is the
policy of the merges run apart from any change (`newsreader index --merge`, see
reader/index/writer.py): segments are in tiers by size (tier k: TIER_BASE * TIER_FACTOR**k
live articles and up), and a tier holding TIER_FACTOR of them is merged into one of
the next, TIER_FACTOR at a time.  Once no tier is due, an index of N articles has at
most (TIER_FACTOR - 1) segments a tier, about log(N / TIER_BASE, TIER_FACTOR) tiers
(`segment_bound`): 14 at 100k, 21 at 1M.  Each article is merged once a tier, at
1.8-3.2 ms of CPU an article (Whoosh merges in pure Python), so these merges are
background work, never in the commit of a change.
"""

from __future__ import annotations

SMALL_SEGMENT = 500  # segments with fewer live articles are merged at the next commit
MERGE_BUDGET = 500  # ... as many as fit in this many live articles, smallest first
MOSTLY_DELETED = 0.4  # and so are segments with more than this share deleted
TIER_BASE = 2000  # live articles: below TIER_BASE * TIER_FACTOR a segment is of tier 0
TIER_FACTOR = 8  # segments of a tier merged together


def merge_small_only(writer, segments):
    """The segments to keep as they are; the chosen ones are added to `writer`."""
    chosen = _chosen(segments)
    if len(chosen) < 2 and not any(s.doc_count() == 0 for s in chosen):
        return segments
    _add_readers(writer, chosen)
    return [s for s in segments if s not in chosen]


def merge_one_tier(writer, segments):
    """The policy of one merge step: the segments of the lowest due tier (`due_tier`)
    merged into one, the rest kept as they are."""
    chosen = due_tier(segments)
    if not chosen:
        return segments
    _add_readers(writer, chosen)
    return [s for s in segments if s not in chosen]


def due_tier(segments) -> list:
    """TIER_FACTOR segments of the lowest tier that holds that many (the smallest of it
    first), or [] when no tier is due."""
    tiers: dict[int, list] = {}
    for seg in sorted(segments, key=lambda s: s.doc_count()):
        tiers.setdefault(tier_of(seg.doc_count()), []).append(seg)
    for _tier, members in sorted(tiers.items()):
        if len(members) >= TIER_FACTOR:
            return members[:TIER_FACTOR]
    return []


def planned_steps(segments) -> int:
    """How many merge steps (`merge_one_tier`) bring `segments` to no due tier: a merged
    segment holds its members' live articles."""
    sizes, steps = [_Size(s.doc_count()) for s in segments], 0
    while (due := due_tier(sizes)):
        sizes = [s for s in sizes if s not in due] + [_Size(sum(s.live for s in due))]
        steps += 1
    return steps


class _Size:
    """A segment as the plan sees it: its live articles (compared by identity)."""
    __slots__ = ("live",)

    def __init__(self, live: int) -> None:
        self.live = live

    def doc_count(self) -> int:
        return self.live


def tier_of(live: int) -> int:
    tier, top = 0, TIER_BASE * TIER_FACTOR
    while live >= top:
        tier, top = tier + 1, top * TIER_FACTOR
    return tier


def segment_bound(articles: int) -> int:
    """The most segments an index of `articles` has when no tier is due."""
    return (TIER_FACTOR - 1) * (tier_of(articles) + 1)


def _add_readers(writer, segments) -> None:
    from whoosh.reading import SegmentReader

    for seg in segments:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()


def _chosen(segments) -> list:
    """The mostly-deleted segments, and the smallest small ones within MERGE_BUDGET."""
    def mostly_deleted(seg) -> bool:
        live, total = seg.doc_count(), seg.doc_count_all()
        return bool(total) and 1 - live / total > MOSTLY_DELETED

    chosen = [s for s in segments if mostly_deleted(s)]
    budget = MERGE_BUDGET
    for seg in sorted((s for s in segments if s not in chosen), key=lambda s: s.doc_count()):
        if seg.doc_count() >= SMALL_SEGMENT or seg.doc_count() > budget:
            break
        chosen.append(seg)
        budget -= seg.doc_count()
    return chosen
