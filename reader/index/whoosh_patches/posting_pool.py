"""Whoosh's posting pool without its per-posting checks, and the way to install it.

Whoosh 2.7.4's PostingPool.add asserts each posting's types and adds its field
name to a set, one Python call per posting; and SegmentWriter ignores its
`poolclass` argument, so the pool is swapped on the fresh writer instead.
"""

from __future__ import annotations

from whoosh import writing


class ArticlePostingPool(writing.PostingPool):
    """Whoosh's posting pool without per-posting type checks and field-name set.

    SegmentWriter ignores its `poolclass` argument: install with `use_lean_pool`."""

    def add(self, item):
        self.currentsize += 150 + 2 * len(item[1])
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)


def use_lean_pool(writer, limitmb: int) -> None:
    """Give a fresh SegmentWriter the lean pool (before anything is added)."""
    writer.pool = ArticlePostingPool(writer._tempstorage, writer.newsegment, limitmb=limitmb)
