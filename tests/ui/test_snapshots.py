"""Snapshot tests (pytest-textual-snapshot) of the main screen, help, a search, 80x24."""

from __future__ import annotations

from tests.ui.conftest import settle, until


def help_laid_out(screen) -> bool:
    """The help's tables have their heights, a row each and the header (a table's rows
    are measured on an idle turn: one pause was not always enough, and the snapshot's
    scroll bar was drawn for a shorter help once)."""
    from textual.widgets import DataTable

    tables = list(screen.query(DataTable))
    return bool(tables) and all(t.row_count and t.virtual_size.height == t.row_count + 1
                                for t in tables)


async def ready(pilot) -> None:
    pilot.app.screen.preview_delay = 0
    await settle(pilot)
    pilot.app.screen.status.set_part("scan", "")
    pilot.app.screen.query_one("#search").cursor_blink = False
    await pilot.pause()


def test_main_screen(snap_compare, make_app):
    async def before(pilot):
        await ready(pilot)
        await pilot.press("j", "enter")
        await ready(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=before)


def test_main_screen_80x24(snap_compare, make_app):
    async def before(pilot):
        await ready(pilot)
        await pilot.press("enter")
        await ready(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=before)


def test_help_screen(snap_compare, make_app):
    async def before(pilot):
        await ready(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: help_laid_out(pilot.app.screen))
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=before)


def test_search(snap_compare, make_app):
    async def before(pilot):
        await ready(pilot)
        await pilot.press("slash", *"gold")
        await ready(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=before)
