"""The footer: the common keys, as many as fit whole; "…" says that more are on `?`.

Textual's Footer lays its keys out in a row and cuts the last one off where the
terminal is too narrow (`q Qui▏` at 120 columns).  This one hides the keys that
do not fit, from the right, and shows "…" in their place.

It also forgets the keys it stops showing.  Each `FooterKey` binds `compact` to
the footer's with `data_bind`, which stores a watcher naming the key on the footer
itself; Textual (8.2, Textualize/textual#6666) drops such entries only when the
watched value changes, and `compact` never does.  The footer composes its keys anew
whenever the focused widget's keys change (twice per search), so every key it ever
showed stayed in memory: about 1 MB per search in `benchmarks/bench_soak.py`.  After
each recompose the entries of removed keys are dropped.  Only a private attribute of
Textual's is read (`__watchers`); should it change, nothing is dropped and
tests/ui/test_footer_memory.py says so.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

MORE = "…"


class ReaderFooter(Footer):
    """A Footer that never cuts a key in half, and whose memory stays that of the keys
    it shows."""

    DEFAULT_CSS = """
    ReaderFooter FooterLabel.-more { margin: 0 1 0 0; color: $footer-description-foreground; }
    """

    def compose(self):
        yield from super().compose()
        if self._bindings_ready:
            yield FooterLabel(MORE, classes="-more")

    def bindings_changed(self, screen) -> None:
        """Not recomposed for a screen that another covers (Textual recomposes the keys
        when a screen is pushed over this one: 31 keys restyled for nothing, most of
        the glance screen's open); it is when this screen is shown again."""
        if screen.app.screen is screen:
            super().bindings_changed(screen)
        else:
            self._bindings_ready = True

    async def recompose(self) -> None:
        await super().recompose()
        drop_watchers_of_removed(self)
        self.fit_keys()

    def on_resize(self, event: events.Resize) -> None:
        self.fit_keys()

    def fit_keys(self) -> None:
        """Show the keys that fit whole, from the left; "…" if some do not.  (The command
        palette's key is docked at the right and always shown.)"""
        keys = list(self.query_children(FooterKey))
        shown = [k for k in keys if not k.has_class("-command-palette")]
        room = self.size.width - sum(_width(k) for k in keys if k not in shown)
        more = self.query_children(FooterLabel).filter(".-more")
        fits = sum(_width(k) for k in shown) <= room
        room -= 0 if fits else sum(_width(m) for m in more)
        used = 0
        for key in shown:
            used += _width(key)
            key.display = used <= room
        more.set(display=not fits)


def _width(widget: Widget) -> int:
    """The cells a footer item takes: its text, padding, border and margin."""
    size = widget.app.size
    return (widget.get_content_width(size, size) + widget.styles.gutter.width
            + widget.styles.margin.width)


def drop_watchers_of_removed(node) -> int:
    """Forget the watchers on `node` that belong to widgets no longer in the DOM;
    returns how many were dropped."""
    dropped = 0
    for entries in getattr(node, "__watchers", {}).values():
        kept = [(owner, callback) for owner, callback in entries if owner.is_attached]
        dropped += len(entries) - len(kept)
        entries[:] = kept
    return dropped
