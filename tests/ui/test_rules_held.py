"""Counts never include what a hide rule hides (issue 12, attack defect D8, second half):
while a hide rule with words waits for the index, every count is held ("…"), and the
rows it stops hiding come back to the list in the same step as the counts."""

from __future__ import annotations

import asyncio
import threading

from reader.session.rules import Rules
from reader.state.groups import ALL
from reader.state.rule_marks import HIDDEN
from reader.ui.screens import list_updates
from reader.ui.screens.list_updates import HELD
from tests.ui.conftest import press, run_app_test, settle, until
from tests.ui.test_rules import app_with, label_count

HIDE_GOLD = '[[rules]]\nquery = "gold"\naction = "hide"\n'  # words: found in the index


def test_counts_are_held_until_a_hide_rule_with_words_is_applied(
        make_app, ui_settings, monkeypatch):
    release = threading.Event()
    find = Rules.find

    def waiting_find(self, rules=None):
        assert release.wait(60)
        return find(self, rules)

    monkeypatch.setattr(Rules, "find", waiting_find)
    app = app_with(make_app, ui_settings, HIDE_GOLD)

    async def main():
        async with app.run_test(size=(120, 36)) as pilot:
            screen = app.screen
            await until(pilot, lambda: screen.loaded.is_set()
                        and len(screen.article_list.rows) == 12)
            assert label_count(screen, ALL) == "…"  # not 12/12: gold's 3 may be hidden
            assert label_count(screen, ("unread", "")) == "…"
            assert label_count(screen, HIDDEN) == "applying…"
            assert screen.status.parts["view"] == HELD.capitalize()
            assert screen.article_list.border_title == "Articles (…)"
            release.set()
            await until(pilot, lambda: label_count(screen, ALL) == "9/9")
            assert len(screen.article_list.rows) == 9  # in the same step
            assert label_count(screen, HIDDEN) == "3/3"
            assert screen.status.parts["view"].startswith("9 in view · 9 unread of 9")
            assert screen.article_list.border_title == "Articles (9)"
            await settle(pilot)

    asyncio.run(main())


def test_a_hide_rule_removed_brings_its_rows_and_counts_back_in_one_step(
        make_app, ui_settings):
    app = app_with(make_app, ui_settings, HIDE_GOLD)

    async def scenario(pilot, screen):
        assert label_count(screen, ALL) == "9/9" and len(screen.article_list.rows) == 9
        await press(pilot, "slash", *"gold", "enter")  # a search: its hidden hits
        assert screen.article_list.rows == []
        screen.rule_nodes.delete("gold")  # no turn of the loop, no worker yet:
        assert [a.title for a in screen.article_list.rows] == [
            "黄金报告 11", "黄金报告 07", "Gold report 03"]
        assert label_count(screen, ALL) == "12/12" and HIDDEN not in screen.tree._group_nodes
        await settle(pilot)
        assert len(screen.article_list.rows) == 3
        await press(pilot, "escape")
        assert len(screen.article_list.rows) == 12

    run_app_test(app, scenario)


def test_without_a_search_the_rows_come_back_in_place(make_app, ui_settings):
    app = app_with(make_app, ui_settings, HIDE_GOLD)

    async def scenario(pilot, screen):
        before = list(screen.article_list.rows)
        screen.rule_nodes.delete("gold")
        rows = screen.article_list.rows
        assert len(rows) == 12 and [a for a in rows if a in before] == before
        assert [a.date for a in rows] == sorted((a.date for a in rows), reverse=True)
        await settle(pilot)

    run_app_test(app, scenario)


def test_a_first_page_never_counts_the_hidden_hits(make_app, ui_settings, monkeypatch):
    """Attack D8-2: the first page's total was the index's, hidden hits and all (10,808
    hits for 9,197 at 100k); with rules that hide, it is a lower bound of what it shows."""
    monkeypatch.setattr(list_updates, "FIRST_HITS", 2)
    monkeypatch.setattr(list_updates.Listing, "full_list_delay", 20)  # a first page stays
    app = app_with(make_app, ui_settings, HIDE_GOLD)

    async def scenario(pilot, screen):
        await pilot.press("slash", *"report")
        await until(pilot, lambda: screen.status.parts.get("search", "").endswith(
            "newest first") and not screen.listing.complete)
        shown = screen.status.parts["search"].split(" hit")[0]
        assert shown == f"{len(screen.article_list.rows)}+", shown  # not the index's 4
        await pilot.press("enter")  # the complete list (a newer request ends the wait)
        screen.listing.full_list_delay = 0
        screen.listing.refresh()
        await settle(pilot)
        assert screen.status.parts["search"].startswith("3 hits")  # the index: 4

    run_app_test(app, scenario)
