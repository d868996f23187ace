"""Counts never include what a hide rule hides (issue 12, attack defect D8, second half):
while a hide rule with words waits for the index, every count is held ("…"), and the
rows it stops hiding come back to the list in the same step as the counts."""

from __future__ import annotations

import asyncio
import threading

from reader.session.rules import Rules
from reader.state.groups import ALL
from reader.state.rule_marks import HIDDEN
from reader.ui.screens import glance_draw, list_updates
from reader.ui.screens.glance import GlanceScreen
from reader.ui.screens.held_counts import BY_RULES as HELD
from tests.ui.conftest import press, run_app_test, settle, until
from tests.ui.test_rules import app_with, label_count

HIDE_GOLD = '[[rules]]\nquery = "gold"\naction = "hide"\n'  # words: found in the index


def rules_held(monkeypatch) -> threading.Event:
    """The rules' members are found once the event returned is set."""
    release = threading.Event()
    find = Rules.find

    def waiting_find(self, rules=None):
        assert release.wait(60)
        return find(self, rules)

    monkeypatch.setattr(Rules, "find", waiting_find)
    return release


def held_app_test(make_app, ui_settings, monkeypatch, scenario) -> None:
    """Run `scenario(pilot, screen, release)` in an app whose hide rule (gold) is applied
    once `release` is set, from when its 12 rows are listed."""
    release = rules_held(monkeypatch)
    app = app_with(make_app, ui_settings, HIDE_GOLD)

    async def main():
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            await until(pilot, lambda: screen.loaded.is_set()
                        and len(screen.article_list.rows) == 12)
            await scenario(pilot, screen, release)

    asyncio.run(main())


def test_counts_are_held_until_a_hide_rule_with_words_is_applied(
        make_app, ui_settings, monkeypatch):
    async def scenario(pilot, screen, release):
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

    held_app_test(make_app, ui_settings, monkeypatch, scenario)


def test_a_hide_rule_removed_brings_its_rows_and_counts_back_in_one_step(
        make_app, ui_settings):
    app = app_with(make_app, ui_settings, HIDE_GOLD)

    async def scenario(pilot, screen):  # (the counts held until the stories load)
        await until(pilot, lambda: label_count(screen, ALL) == "9/9")
        assert len(screen.article_list.rows) == 9
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


def test_the_glance_holds_its_figures_until_the_hide_rules_are_applied(
        make_app, ui_settings, monkeypatch):
    """Attack D8-1: the glance counted what the rules were about to hide (12 articles
    here, 9 once applied), and a search's hidden hits even after."""

    async def scenario(pilot, screen, release):
        await pilot.press("i")
        await until(pilot, lambda: isinstance(pilot.app.screen, GlanceScreen))
        glance = pilot.app.screen
        await pilot.pause()
        assert glance.shown is None
        assert str(glance.query_one("#glance-head").render()) == str(glance_draw.HELD)
        release.set()  # applied while the glance is open: drawn then
        await until(pilot, lambda: glance.shown is not None)
        assert glance.shown.total == 9
        await pilot.press("escape")
        await pilot.press("slash", *"report", "enter")
        await settle(pilot)
        await pilot.press("i")
        await until(pilot, lambda: glance.is_current and glance.shown is not None
                    and glance.shown.scope != "" and glance.search == "report")
        await settle(pilot)
        assert glance.shown.total == 3  # not gold 03, hidden
        await settle(pilot)

    held_app_test(make_app, ui_settings, monkeypatch, scenario)


def test_a_rule_that_cannot_be_read_is_warned_of_and_skipped(make_app, ui_settings):
    """Attack D8-4: a malformed query was said nowhere in the reader, and counted among
    the rules applying ("5 rules applying…", then 3)."""
    app = app_with(make_app, ui_settings, HIDE_GOLD + '[[rules]]\nquery = "title:\\"gold"\n'
                   'action = "hide"\n')
    rules = app.services.rules
    assert [r.name for r in rules.pending()] == ["gold"]  # before the first frame

    async def scenario(pilot, screen):
        messages = [n.message for n in pilot.app._notifications]
        assert [m for m in messages if "skipped" in m] == [
            "config.toml: rule 'title:\"gold' skipped: title: needs a value"]
        assert label_count(screen, ALL) == "9/9"  # gold's rule is applied

    run_app_test(app, scenario)
