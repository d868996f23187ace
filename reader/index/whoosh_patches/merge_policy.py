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
"""

from __future__ import annotations

SMALL_SEGMENT = 500  # segments with fewer live articles are merged at the next commit
MERGE_BUDGET = 500  # ... as many as fit in this many live articles, smallest first
MOSTLY_DELETED = 0.4  # and so are segments with more than this share deleted


def merge_small_only(writer, segments):
    """The segments to keep as they are; the chosen ones are added to `writer`."""
    from whoosh.reading import SegmentReader

    chosen = _chosen(segments)
    if len(chosen) < 2 and not any(s.doc_count() == 0 for s in chosen):
        return segments
    for seg in chosen:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in chosen]


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
