"""Search as you type (issue 9, items 4-8): a half-typed word finds what it starts, a new
search starts at its first hit, hits by relevance or date, the status names the group and
how much of the index was searched, and a malformed query leaves the list as it is."""

from __future__ import annotations

import asyncio
import threading

from reader.index import UpdateSummary, index_dir_of
from reader.index.store import load_manifest, save_manifest
from reader.ui.keys import help_rows
from reader.session.search import TITLES_ONLY
from reader.ui.widgets.search_box import SearchBox
from tests.ui.conftest import article, press, run_app_test, settle, until


def titles(screen) -> list[str]:
    return [a.title for a in screen.article_list.rows]


def test_a_half_typed_word_finds_what_it_starts_and_a_space_makes_it_whole(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "slash")
        counts = []
        for char in "nvidia":
            await press(pilot, char)
            counts.append(len(screen.article_list.rows))
        assert counts[2:] == [3] * 4  # from three letters a prefix: never blank
        await press(pilot, "backspace", "backspace", "space")  # "nvid ": a whole word
        assert screen.article_list.rows == []
        await press(pilot, "backspace", "enter")  # "nvid", then Enter keeps the list
        assert len(screen.article_list.rows) == 3
        assert screen.focused is screen.article_list and screen.search_text == "nvid"

    run_app_test(make_app(), scenario)


def test_a_new_search_puts_the_cursor_on_its_first_hit(make_app):
    async def scenario(pilot, screen):
        await press(pilot, *"jjjjj")
        assert screen.article_list.current.title == "Oil report 06"  # a hit of "report"
        await press(pilot, "slash", *"report")
        assert titles(screen)[:2] == ["Apple report 09", "Oil report 06"]
        assert screen.article_list.cursor == 0
        await press(pilot, "enter", "j")
        await press(pilot, "slash", "end", "space")  # "report ": other words, a new search
        assert screen.article_list.cursor == 0
        await press(pilot, "enter", "j", "escape")  # clearing keeps the article
        assert screen.article_list.current.title == "Oil report 06"

    run_app_test(make_app(), scenario)


def relevance_archive(archive_factory):
    return archive_factory({
        "new.md": article("Markets today", "2025-03-01 10:00:00",
                          "Stocks rose, bonds fell and gold was flat. " + "Other news. " * 40),
        "mid.md": article("Bonds and gold", "2025-02-01 10:00:00", "A note on gold."),
        "old.md": article("Gold, gold and more gold", "2025-01-01 10:00:00",
                          "Gold gold gold."),
    }, name="relevance")


def test_R_orders_the_hits_by_relevance_and_back_by_date(make_app, archive_factory):
    by_date = ["Markets today", "Bonds and gold", "Gold, gold and more gold"]

    async def scenario(pilot, screen):
        await press(pilot, "slash", *"gold", "enter")
        assert titles(screen) == by_date
        assert screen.status.parts["search"] == "3 hits · newest first"
        await press(pilot, "R")
        assert titles(screen) == by_date[::-1]  # the title counts three times
        assert screen.article_list.cursor == 0
        assert screen.status.parts["search"] == "3 hits · by relevance"
        await press(pilot, "R")
        assert titles(screen) == by_date

    run_app_test(make_app(relevance_archive(archive_factory)), scenario)


def test_the_relevance_key_has_an_id_can_be_rebound_and_is_on_the_help_screen(
        make_app, archive_factory):
    assert any(i == "toggle_relevance" and keys == "R" for keys, _, i in help_rows({}))
    assert any(i == "toggle_relevance" and keys == "ctrl+o"
               for keys, _, i in help_rows({"toggle_relevance": "ctrl+o"}))

    async def scenario(pilot, screen):
        await press(pilot, "slash", *"gold", "enter", "ctrl+o")
        assert titles(screen)[0] == "Gold, gold and more gold"

    run_app_test(make_app(relevance_archive(archive_factory),
                          keys={"toggle_relevance": "ctrl+o"}), scenario)


def test_the_status_names_the_group_the_hits_are_counted_in(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "slash", *"报告")
        assert screen.status.parts["search"] == "8 hits · newest first"
        screen.tree.select_key(("lang", "zh-HK"))
        await settle(pilot)
        assert screen.status.parts["search"] == "4 hits in 繁體中文 · newest first"

    run_app_test(make_app(), scenario)


def test_a_malformed_query_says_what_is_wrong_and_leaves_the_list(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "slash", *"gold")
        hits = titles(screen)
        assert len(hits) == 3
        screen.query_one(SearchBox).value = "gold after:2025-13-01"  # pasted
        await settle(pilot)
        status = screen.status.parts["search"]
        assert "after:2025-13-01: not a date" in status and "titles" not in status
        assert titles(screen) == hits

    run_app_test(make_app(), scenario)


def half_built(committed, finish, entered=None, typed=None):
    """A stand-in for the first index update: once `typed` is set, the newest six of
    the twelve articles (11 to 06) committed, and the build held there (`committed`)
    until `finish`; the updates after it (an arrivals' delta) as they are."""
    from reader.index import update_index as real_update

    def first_build(archive, progress, cancel, articles=None, **delta):
        if articles is None:
            return real_update(archive, progress, cancel, **delta)
        if entered is not None:
            entered.set()
            assert typed.wait(60)
        real_update(archive, articles=articles[:6])
        index_dir = index_dir_of(archive)
        manifest = load_manifest(index_dir)
        manifest.complete = False  # as the manifest is between two commits of a build
        save_manifest(index_dir, manifest)
        progress("index", 6, 12)
        committed.set()
        assert finish.wait(60)
        return UpdateSummary()

    return first_build


def test_while_the_first_index_is_built_what_is_committed_is_searched(
        make_app, monkeypatch):
    """The first half of the articles is committed while the search is on screen: the
    list is searched again, over the index and the titles of the rest (a title hit among
    the articles not indexed yet is not lost: D9), and the status says how much was
    searched which way."""
    entered, typed, committed, finish = (threading.Event() for _ in range(4))
    monkeypatch.setattr("reader.session.search.update_index",
                        half_built(committed, finish, entered, typed))
    app = make_app()

    async def main():
        async with app.run_test(size=(120, 36)) as pilot:
            screen = app.screen
            await asyncio.to_thread(entered.wait, 60)
            await pilot.press("slash", *"石油")
            await until(pilot, lambda: TITLES_ONLY in screen.status.parts.get("search", ""))
            assert titles(screen) == ["石油报告 10", "石油报告 02"]
            typed.set()
            await asyncio.to_thread(committed.wait, 60)
            await until(pilot, lambda: "so far" in screen.status.parts.get("search", ""))
            assert titles(screen) == ["石油报告 10", "Oil report 06", "石油报告 02"]
            assert screen.status.parts["search"] == (
                "3 hits · newest first · searched the 6 of 12 articles indexed so far, "
                "titles only for the other 6")
            finish.set()
            await settle(pilot)

    asyncio.run(main())


def test_arrivals_during_the_first_index_are_searched_by_their_titles_at_once(
        make_app, ui_archive, monkeypatch):
    """Attack defect D9-2: a file copied in while the first index was built was missing
    from the search on screen until the next commit, and the status's total stayed
    stale: the search is run again as soon as the arrivals are listed."""
    committed, finish = threading.Event(), threading.Event()
    monkeypatch.setattr("reader.session.search.update_index", half_built(committed, finish))
    app = make_app()

    async def main():
        async with app.run_test(size=(120, 36)) as pilot:
            screen = app.screen
            await asyncio.to_thread(committed.wait, 60)
            await pilot.press("slash", *"石油", "enter")
            await until(pilot, lambda: "so far" in screen.status.parts.get("search", ""))
            assert titles(screen) == ["石油报告 10", "Oil report 06", "石油报告 02"]
            (ui_archive / "zh-CN/news/wire/900.zh-CN.md").write_text(article(
                "石油快讯 13", "2025-03-01 10:00:00", "Arrived."), encoding="utf-8")
            await pilot.press("r")
            await until(pilot, lambda: "13 articles" in screen.status.parts.get("search", ""))
            assert titles(screen) == ["石油快讯 13", "石油报告 10", "Oil report 06",
                                      "石油报告 02"]
            assert screen.status.parts["search"] == (
                "4 hits · newest first · searched the 6 of 13 articles indexed so far, "
                "titles only for the other 7")
            finish.set()
            await settle(pilot)

    asyncio.run(main())
