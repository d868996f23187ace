"""Building a large catalog without garbage-collector stalls on the UI thread.

A full collection walks every tracked object while holding the GIL.  With the
100,000 articles of a large archive in memory that is a ~0.1 s stall of the
UI thread each time, and building them triggers several.  `gc_paused()` turns
collection off while a worker thread builds the catalog; when the pause ends
it runs one full collection, which frees the cyclic garbage that any thread
made meanwhile, then sets every object still alive aside (`gc.freeze`) so
that later collections, while the user types, skip the catalog.

Frozen objects are still freed by reference counting (the articles hold no
cycles), but one that later becomes part of an unreachable cycle would stay
for good; so each pause first unfreezes everything, and its one collection
looks at it all again.  Memory stays bounded however many rescans there are:
one collection per load instead of several, and none of its garbage kept.
Nested and concurrent uses are counted: the collection runs, and collection
resumes, when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _collect_and_set_aside()
                if _was_enabled:
                    gc.enable()


def _collect_and_set_aside() -> None:
    """Free the garbage (also that of objects set aside before), then freeze the rest."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
