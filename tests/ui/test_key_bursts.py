"""Pilot tests: keys that arrive in one burst (a paste, a macro, key repeat, keys typed
while the reader is busy starting) act exactly as the same keys typed slowly.

A terminal hands the app everything it read in one go: `write` parses the bytes as
the terminal driver does (Textual's xterm parser) and posts every key at once,
without letting the app run between them.
"""

from __future__ import annotations

import asyncio
import threading

from textual import events
from textual._xterm_parser import XTermParser

from reader.ui.screens.main import MainScreen
from reader.ui.widgets.search_box import SearchBox
from tests.ui.conftest import run_app_test, settle, until


def post_write(app, data: str) -> None:
    """Post the events of one terminal write, all at once, as the driver does."""
    for event in XTermParser().feed(data):
        event.set_sender(app)
        app.post_message(event)


async def write(pilot, data: str) -> None:
    """One terminal write, then wait until the app has done everything it caused."""
    post_write(pilot.app, data)
    await settle(pilot)


async def press_at_once(pilot, *keys: str) -> None:
    """Named keys (`escape`, `G`) in one burst: a lone escape is not sent by `write`,
    which, like a terminal, would wait to see whether a sequence follows."""
    chars = {"escape": "\x1b", "enter": "\r", "tab": "\t"}
    for key in keys:
        event = events.Key(key, chars.get(key, key if len(key) == 1 else None))
        event.set_sender(pilot.app)
        pilot.app.post_message(event)
    await settle(pilot)


async def search_slowly(pilot, word: str) -> None:
    """/, the word and enter, one key at a time, each handled before the next."""
    for key in f"/{word}\r":
        await write(pilot, key)


def box(screen) -> SearchBox:
    return screen.query_one(SearchBox)


def titles(screen) -> list[str]:
    return [a.title for a in screen.article_list.rows]


def gold_titles(screen) -> list[str]:
    return [t for t in titles(screen) if "Gold" in t or "黄金" in t]


# -- 2. "/" and text in one write -----------------------------------------------------

def test_slash_and_a_word_in_one_write_search_the_word(make_app):
    async def scenario(pilot, screen):
        await write(pilot, "/gold")
        assert box(screen).value == "gold"
        assert pilot.app.focused is box(screen)
        assert screen.search_text == "gold" and titles(screen) == gold_titles(screen)
        assert screen.status.parts["search"].endswith("hits · newest first")

    run_app_test(make_app(), scenario)


def test_slash_and_a_chinese_character_in_one_write(make_app):
    async def scenario(pilot, screen):
        await write(pilot, "/黄")
        assert box(screen).value == "黄"
        assert titles(screen) == gold_titles(screen) and len(titles(screen)) == 3

    run_app_test(make_app(), scenario)


def test_a_character_enter_and_G_in_one_write_go_to_the_last_hit(make_app):
    async def scenario(pilot, screen):
        await write(pilot, "/")
        await write(pilot, "黄\rG")
        assert box(screen).value == "黄"
        assert pilot.app.focused is screen.article_list
        hits = screen.article_list.rows
        assert len(hits) == 3 and screen.article_list.cursor == len(hits) - 1

    run_app_test(make_app(), scenario)


def test_the_whole_burst_slash_word_enter_G_is_like_typing_it_slowly(make_app):
    async def typed_slowly(pilot, screen):
        for key in "/黄\rG":
            await write(pilot, key)
        return box(screen).value, screen.article_list.cursor, pilot.app.focused.id

    async def in_one_write(pilot, screen):
        await write(pilot, "/黄\rG")
        return box(screen).value, screen.article_list.cursor, pilot.app.focused.id

    results = []

    def run(how):
        async def scenario(pilot, screen):
            results.append(await how(pilot, screen))
        run_app_test(make_app(), scenario)

    run(typed_slowly)
    run(in_one_write)
    assert results[0] == results[1] == ("黄", 2, "list")


def test_a_paste_in_the_list_is_searched(make_app):
    async def scenario(pilot, screen):
        await write(pilot, "\x1b[200~/gold\x1b[201~")
        assert box(screen).value == "gold" and pilot.app.focused is box(screen)
        assert titles(screen) == gold_titles(screen)
        await write(pilot, "s")  # the next key goes on where the paste ended
        assert box(screen).value == "golds"

    run_app_test(make_app(), scenario)


def test_tab_and_keys_in_one_write_go_to_the_next_pane(make_app):
    async def scenario(pilot, screen):
        pane = screen.article_pane
        await write(pilot, "\t")
        assert pilot.app.focused is pane
        await write(pilot, "\x1b[Z")  # shift+tab: back to the list
        await write(pilot, "\tjjj")
        assert pilot.app.focused is pane and screen.article_list.cursor == 0

    run_app_test(make_app(), scenario)


def test_escape_then_G_in_one_write_goes_to_the_last_of_every_article(make_app):
    async def scenario(pilot, screen):
        await search_slowly(pilot, "gold")
        await press_at_once(pilot, "escape", "G")
        assert box(screen).value == "" and len(screen.article_list.rows) == 12
        assert screen.article_list.cursor == 11

    run_app_test(make_app(), scenario)


# -- 1. type-ahead while the reader starts -------------------------------------------

def test_keys_typed_while_the_reader_starts_all_reach_the_search_box(make_app):
    """The loop is busy starting (the load holds the interpreter): keys come in small
    bursts, the first before the articles are loaded."""
    app = make_app()
    loaded = app.services.load_cached
    release = threading.Event()
    app.services.load_cached = lambda cancel=None: (release.wait(30), loaded(cancel))[1]

    async def main() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            screen = app.screen
            screen.preview_delay = 0
            for keys in ("/g", "ol", "d"):
                post_write(app, keys)
                await asyncio.sleep(0)
            await until(pilot, lambda: box(screen).value == "gold")
            assert not screen.loaded.is_set()  # all typed while loading
            release.set()
            await settle(pilot)
            assert box(screen).value == "gold" and pilot.app.focused is box(screen)
            assert titles(screen) == gold_titles(screen) and len(titles(screen)) == 3
            assert screen.status.parts["search"] == "3 hits · newest first"

    asyncio.run(main())


def test_a_burst_at_the_first_frame_reaches_the_search_box(make_app):
    app = make_app()

    async def main() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            screen = app.screen
            screen.preview_delay = 0
            post_write(app, "/gold")
            await settle(pilot)
            assert box(screen).value == "gold"
            assert titles(screen) == gold_titles(screen) and len(titles(screen)) == 3

    asyncio.run(main())


def test_keys_typed_before_the_screen_is_composed_wait_for_it(make_app, monkeypatch):
    """A loaded machine: the terminal sends keys before the main screen has its widgets
    (the reader crashed: NoMatches for the search box, asked whether keys must wait)."""
    real_compose = MainScreen.compose

    def compose(screen):
        post_write(screen.app, "/gold")  # in the app's queue before any widget exists
        yield from real_compose(screen)

    monkeypatch.setattr(MainScreen, "compose", compose)
    app = make_app()
    assert MainScreen(app.services).keys_must_wait()  # not composed: keys wait

    async def main() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            screen = app.screen
            screen.preview_delay = 0
            await settle(pilot)
            assert box(screen).value == "gold"
            assert titles(screen) == gold_titles(screen) and len(titles(screen)) == 3

    asyncio.run(main())


# -- 3. key repeat of the layout keys ------------------------------------------------

def test_every_press_of_a_repeated_layout_key_counts(make_app):
    async def scenario(pilot, screen):
        article_list, tree = screen.article_list, screen.tree
        height, width = article_list.outer_size.height, tree.outer_size.width
        await write(pilot, "}" * 3)
        assert article_list.outer_size.height == height + 3 * 2
        await write(pilot, "{" * 5)
        assert article_list.outer_size.height == height - 2 * 2
        await write(pilot, "]" * 3)
        assert tree.outer_size.width == width + 3 * 4
        await write(pilot, "[" * 4)
        assert tree.outer_size.width == width - 4

    run_app_test(make_app(), scenario, size=(120, 50))


def test_seventeen_presses_in_a_burst_stop_at_the_limit(make_app):
    async def scenario(pilot, screen):
        await write(pilot, "}" * 17)
        assert screen.article_list.outer_size.height == 50 - 8
        await write(pilot, "{" * 40)
        assert screen.article_list.outer_size.height == 3

    run_app_test(make_app(), scenario, size=(120, 50))


# -- 9. escape clears the search from anywhere ---------------------------------------

def test_escape_clears_the_search_from_the_list_the_tree_and_the_article(make_app):
    async def scenario(pilot, screen):
        for pane in (screen.article_list, screen.tree, screen.article_pane):
            await search_slowly(pilot, "gold")
            assert len(screen.article_list.rows) == 3
            screen.set_focus(pane)
            await press_at_once(pilot, "escape")
            assert box(screen).value == "" and screen.search_text == ""
            assert len(screen.article_list.rows) == 12
            assert screen.status.parts.get("search", "") == ""
            assert pilot.app.focused is pane  # the focus stays where it was

    run_app_test(make_app(), scenario)


def test_escape_keeps_the_article_the_search_found(make_app):
    async def scenario(pilot, screen):
        await search_slowly(pilot, "gold")
        await write(pilot, "j")
        found = screen.article_list.current.path
        await press_at_once(pilot, "escape")
        assert len(screen.article_list.rows) == 12 and screen.article_list.current.path == found

    run_app_test(make_app(), scenario)


def test_escape_in_an_empty_box_goes_back_to_the_list(make_app):
    async def scenario(pilot, screen):
        await write(pilot, "/")
        await press_at_once(pilot, "escape")
        assert pilot.app.focused is screen.article_list
        await press_at_once(pilot, "escape")  # nothing to clear: nothing happens
        assert pilot.app.focused is screen.article_list and len(screen.article_list.rows) == 12

    run_app_test(make_app(), scenario)


# -- what keys wait for, and for how long --------------------------------------------

def test_a_key_after_one_that_recomputes_the_list_acts_on_the_new_rows(make_app):
    async def scenario(pilot, screen):
        newest = screen.article_list.rows[0].path
        await write(pilot, "dG")  # oldest first, then the last row: the newest article
        assert not screen.newest_first and screen.article_list.current.path == newest

    run_app_test(make_app(), scenario)


def test_keys_wait_for_the_screen_at_most_the_limit(make_app, monkeypatch):
    from reader.ui.screens.main import MainScreen

    app = make_app()
    app.key_queue.wait_limit = 0.1
    monkeypatch.setattr(MainScreen, "keys_must_wait", lambda self: True)  # never ready

    async def scenario(pilot, screen):
        post_write(pilot.app, "/gold")
        await until(pilot, lambda: box(screen).value == "gold")

    run_app_test(app, scenario)


def test_keys_after_question_mark_in_one_write_go_to_the_help(make_app):
    from textual.containers import VerticalScroll

    from reader.ui.screens.help import HelpScreen

    async def scenario(pilot, screen):
        await write(pilot, "?jj")
        assert isinstance(pilot.app.screen, HelpScreen)
        assert pilot.app.screen.query_one(VerticalScroll).scroll_y == 2
        assert screen.article_list.cursor == 0
        await write(pilot, "qj")  # closes the help; j moves in the list again
        assert pilot.app.screen is screen and screen.article_list.cursor == 1

    run_app_test(make_app(), scenario, size=(100, 30))
