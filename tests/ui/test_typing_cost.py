"""What a keystroke of a search costs the screen (issue 9, item 4): the box, the list and
the status repaint, but nothing reflows the whole screen's layout, and the list's rows are
drawn from styles worked out once, not once a row."""

from __future__ import annotations

from textual.screen import Screen

from reader.ui.widgets.article_list import ArticleList
from tests.ui.conftest import press, run_app_test, sample_files


def counting(monkeypatch, cls, name: str) -> list[int]:
    calls = [0]
    original = getattr(cls, name)

    def counted(self, *args, **kwargs):
        calls[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, counted)
    return calls


def test_typing_a_search_never_reflows_the_screen(make_app, monkeypatch):
    reflows = counting(monkeypatch, Screen, "_refresh_layout")

    async def scenario(pilot, screen):
        screen.preview_delay = 3600.0  # while one types, the article waits (as in use)
        await press(pilot, "slash")
        reflows[0] = 0
        for char in "报告":  # every key finds something: the article pane stays
            await press(pilot, char)
        assert len(screen.article_list.rows) == 8
        await press(pilot, "backspace")
        assert len(screen.article_list.rows) == 8
        assert reflows[0] == 0

    run_app_test(make_app(), scenario)


def test_the_scrollbar_follows_the_rows_without_a_reflow(archive_factory, make_app):
    root = archive_factory(sample_files(60))

    async def scenario(pilot, screen):
        listing = screen.article_list
        assert listing.show_vertical_scrollbar  # 60 rows in a list a few rows high
        assert listing.vertical_scrollbar.window_virtual_size == 60
        await press(pilot, "slash", *"nvidia")
        assert len(listing.rows) == 15 and listing.max_scroll_y == 15 - listing.size.height
        assert listing.vertical_scrollbar.window_virtual_size == 15
        await press(pilot, *" lang:en")  # a few hits: no scrollbar at all
        assert len(listing.rows) == 5
        assert not listing.show_vertical_scrollbar
        await press(pilot, "escape")
        assert listing.show_vertical_scrollbar and listing.max_scroll_y > 0

    run_app_test(make_app(root), scenario, size=(100, 30))


def test_rows_reuse_their_styles(make_app, monkeypatch):
    worked_out = counting(monkeypatch, ArticleList, "_work_out_styles")

    async def scenario(pilot, screen):
        await press(pilot, "slash", *"report", "enter")
        worked_out[0] = 0
        await press(pilot, *"jjjj")
        assert worked_out[0] == 0  # read, unread, cursor: styles already known

    run_app_test(make_app(), scenario)
