"""The footer keeps no key it has stopped showing (Textual's data_bind watchers kept every
one: about 1 MB per search, see reader/ui/widgets/footer.py)."""

from __future__ import annotations

import gc
import weakref

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tests.ui.conftest import press, run_app_test


def test_keys_the_footer_stopped_showing_are_freed(make_app):
    async def scenario(pilot, screen):
        footer = screen.query_one(Footer)
        seen: list[weakref.ref] = []
        for _ in range(20):  # each focus change composes the footer's keys anew
            await press(pilot, "slash")
            seen += [weakref.ref(k) for k in footer.query(FooterKey)]
            await press(pilot, "escape")
            seen += [weakref.ref(k) for k in footer.query(FooterKey)]
        gc.collect()
        showing = set(footer.query(FooterKey))
        kept = [ref() for ref in seen if ref() is not None and ref() not in showing]
        assert len(seen) > 200 and kept == []
        watchers = getattr(footer, "__watchers", {}).get("compact", [])
        assert 0 < len(watchers) <= len(showing)  # the private attribute is still where it was

    run_app_test(make_app(), scenario)
