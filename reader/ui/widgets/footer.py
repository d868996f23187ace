"""Textual's Footer, without the keys it has stopped showing.

Each `FooterKey` the footer composes binds `compact` to the footer's with `data_bind`,
which stores a watcher naming the key on the footer itself; Textual (8.2, issue
Textualize/textual#6666) drops such entries only when the watched value changes, and
`compact` never does.  The footer composes its keys anew whenever the focused widget's
keys change (`/` into the search box, Enter or Esc out of it: twice per search), so
every key it ever showed stayed in memory with its styles and rendered lines: about
1 MB per search in `benchmarks/bench_soak.py`.  After each recompose the entries of
keys that have been removed are dropped.  Only a private attribute of Textual's is
read (`__watchers`, set by `textual.reactive._watch`); should it change, nothing is
dropped and tests/ui/test_footer_memory.py says so.
"""

from __future__ import annotations

from textual.widgets import Footer


class ReaderFooter(Footer):
    """The footer; its memory stays that of the keys it shows."""

    async def recompose(self) -> None:
        await super().recompose()
        drop_watchers_of_removed(self)


def drop_watchers_of_removed(node) -> int:
    """Forget the watchers on `node` that belong to widgets no longer in the DOM;
    returns how many were dropped."""
    dropped = 0
    for entries in getattr(node, "__watchers", {}).values():
        kept = [(owner, callback) for owner, callback in entries if owner.is_attached]
        dropped += len(entries) - len(kept)
        entries[:] = kept
    return dropped
