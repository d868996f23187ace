"""A Whoosh merge policy that rewrites only small and mostly-deleted segments.

Whoosh 2.7.4's default policy (MERGE_SMALL) now and then merges everything
written so far, and merging runs in pure Python at about the cost of
indexing: at 38,000 articles one commit of the 100k build did not end in
minutes.  Big batch segments are left as written (a search visits each;
dozens cost little) and updates leave small segments that are folded
together here.  A merge policy is Whoosh's documented hook, but it is handed
the writer and builds SegmentReaders itself, as Whoosh's own policies do.
"""

from __future__ import annotations

SMALL_SEGMENT = 500  # segments with fewer live articles are merged at the next commit
MOSTLY_DELETED = 0.4  # and so are segments with more than this share deleted


def merge_small_only(writer, segments):
    """The segments to keep as they are; the chosen ones are added to `writer`."""
    from whoosh.reading import SegmentReader

    def rewrite(seg) -> bool:
        live, total = seg.doc_count(), seg.doc_count_all()
        return live < SMALL_SEGMENT or (total and 1 - live / total > MOSTLY_DELETED)

    chosen = [s for s in segments if rewrite(s)]
    if len(chosen) < 2 and not any(s.doc_count() == 0 for s in chosen):
        return segments
    for seg in chosen:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in chosen]
