"""Abandoning a Whoosh writer after a failure, whatever else fails meanwhile.

On a full disk Whoosh 2.7.4's `SegmentWriter.cancel()` raises while closing
the half-written segment's files, before it removes its temporary storage or
releases the write lock: the next update then found the index locked by a
live process (its own).  Here each step is taken on its own, the private
temporary storage (`_tempstorage`) and the lock (`writelock`) included.
"""

from __future__ import annotations


def abandon(writer, searcher=None) -> None:
    """Drop what `writer` holds (and close `searcher`), ignoring every error: the
    failure that led here is the one reported."""
    steps = [searcher.close if searcher else None, writer.cancel if writer else None]
    if writer is not None:
        steps += [getattr(writer, "_tempstorage").destroy, writer.writelock.release]
    for step in steps:
        try:
            if step is not None:
                step()
        except Exception:  # already failing: the first error is the one reported
            pass
