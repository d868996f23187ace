"""Pilot tests: help, quit, keymap, palette, links, copy, rescan, themes, hostile text."""

from __future__ import annotations

import asyncio

from reader.ui.screens.help import HelpScreen
from tests.ui.conftest import article, press, run_app_test, sample_files


def test_question_mark_shows_every_key_and_escape_closes(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "question_mark")
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        table = help_screen.query_one("#help-keys")
        ids = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {"next_unread", "mark_all_read", "undo", "open_link", "quit"} <= ids
        id_column = table.ordered_columns[1]
        assert id_column.get_render_width(table) >= len("previous_unread")
        query = help_screen.query_one("#help-query")
        forms = " ".join(str(query.get_row_at(i)[0]) for i in range(query.row_count))
        for syntax in ('"quoted phrase"', "OR", "prefix*", "title:", "tag:", "cat:", "lang:",
                       "source:", "after:", "before:", "date:", "is:unread", "is:starred"):
            assert syntax in forms
        await press(pilot, "escape")
        assert pilot.app.screen is screen

    run_app_test(make_app(), scenario)


def test_the_help_scrolls_with_j_k_g_G_down_to_the_query_syntax(make_app):
    from textual.containers import VerticalScroll

    async def scenario(pilot, screen):
        await press(pilot, "question_mark")
        scroll = pilot.app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0 and scroll.scroll_y == 0  # more than a screen
        await press(pilot, "j", "j")
        assert scroll.scroll_y == 2
        await press(pilot, "G")
        assert scroll.scroll_y == scroll.max_scroll_y  # the query syntax is in view
        await press(pilot, "k", "g")
        assert scroll.scroll_y == 0 and isinstance(pilot.app.screen, HelpScreen)

    run_app_test(make_app(), scenario, size=(100, 30))


def test_q_quits(make_app):
    app = make_app()

    async def scenario(pilot, screen):
        await pilot.press("q")

    run_app_test(app, scenario)
    assert app.return_code == 0


def test_an_article_read_as_the_reader_quits_is_dropped(make_app):
    """The article worker's result came after the widgets were gone (the reader quitting):
    a NoMatches failed the worker (seen once in a CI run of test_robust_text)."""
    async def scenario(pilot, screen):
        path = screen.article_list.current.path
        parsed = screen.services.read_article(path)
        await screen.article_list.remove()  # as the screen is taken down
        # the article worker's way back: nothing to show it in, nothing happens
        await asyncio.to_thread(screen.from_worker, screen._show_article, path, parsed)

    run_app_test(make_app(), scenario)


def test_a_workers_result_after_the_reader_quit_is_dropped(make_app):
    """Every worker hands its result to the event loop through from_worker: once the
    widgets are gone (the reader quitting), the result is dropped, not a NoMatches
    that fails the worker (seen for the list's rows and the stories)."""
    async def scenario(pilot, screen):
        calls = []

        def callback(value):
            calls.append(value)
            return screen.article_list.current.path

        path = await asyncio.to_thread(screen.from_worker, callback, 1)
        assert path == screen.article_list.current.path and calls == [1]
        await screen.article_list.remove()  # as the screen is taken down
        assert await asyncio.to_thread(screen.from_worker, callback, 2) is None
        assert calls == [1]

    run_app_test(make_app(), scenario)


def test_keymap_from_config_rebinds(make_app):
    async def scenario(pilot, screen):
        path = screen.article_list.current.path
        await press(pilot, "m")  # no longer bound
        assert not screen.services.is_read(path)
        await press(pilot, "z")
        assert screen.services.is_read(path)

    run_app_test(make_app(keys={"toggle_read": "z"}), scenario)


def test_o_opens_http_links_and_refuses_others(make_app, archive_factory):
    files = sample_files(1)
    files["en/news/wire/bad.en.md"] = article("Bad link", "2025-03-01 10:00:00", "x",
                                              link="javascript:alert(1)")
    root = archive_factory(files, name="links")

    async def scenario(pilot, screen):
        await press(pilot, "o")
        assert screen.services.open_link_with == []  # javascript: refused
        await press(pilot, "j", "o")
        assert screen.services.open_link_with == ["https://example.com/0"]

    run_app_test(make_app(root), scenario)


def test_y_copies_the_link(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "y")
        assert pilot.app.clipboard == screen.article_list.current.link

    run_app_test(make_app(), scenario)


def test_r_rescans_and_finds_new_articles(make_app, ui_archive):
    async def scenario(pilot, screen):
        new = ui_archive / "en/news/wire/new.en.md"
        new.write_text(article("Brand new", "2025-04-01 10:00:00", "Fresh."), encoding="utf-8")
        screen.background.scan_notice_seconds = 3600  # the notice outlasts a slow machine's index update
        await press(pilot, "r")
        assert screen.article_list.rows[0].title == "Brand new"
        assert "Scanned: +1" in screen.status.parts.get("scan", "")

    run_app_test(make_app(), scenario)


def test_command_palette_jumps_to_an_article(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "ctrl+p")
        await press(pilot, *"Gold report")
        await pilot.app.workers.wait_for_complete()
        await press(pilot, "enter")
        assert pilot.app.screen is screen
        assert screen.article_list.current.title == "Gold report 03"
        assert screen.services.is_read(screen.article_list.current.path)

    run_app_test(make_app(), scenario)


def test_theme_from_settings_and_unknown_theme_notified(make_app):
    async def chosen(pilot, screen):
        assert pilot.app.theme == "nord"

    async def unknown(pilot, screen):
        assert pilot.app.theme == "textual-dark"
        assert any("Unknown theme" in n.message for n in pilot.app._notifications)

    run_app_test(make_app(theme="nord"), chosen)
    run_app_test(make_app(theme="no-such-theme"), unknown)


def test_escape_sequences_in_titles_never_reach_the_screen(make_app, archive_factory):
    hostile = article("Evil \\e]0;pwned\\atitle \\e[31mred", "2025-03-01 10:00:00",
                      "Body \x1b[2J cleared?")
    root = archive_factory({"en/news/wire/evil.en.md": hostile}, name="evil")

    async def scenario(pilot, screen):
        await press(pilot, "enter")
        line = screen.article_list.render_line(0).text
        assert "\x1b" not in line and "Evil" in line and "title red" in line
        header = str(screen.query_one("#article-header").render())
        assert "\x1b" not in header

    run_app_test(make_app(root), scenario)


def test_corrupt_state_file_is_reported_not_fatal(make_app, ui_settings, ui_archive):
    from reader.archive import Archive
    from reader.state import STATE_FILE_NAME

    data_dir = Archive.open(ui_archive, ui_settings).data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / STATE_FILE_NAME).write_bytes(b"this is not a database" * 100)

    async def scenario(pilot, screen):
        assert len(screen.article_list.rows) == 12
        assert any("state" in n.message.lower() for n in pilot.app._notifications)

    run_app_test(make_app(), scenario)


def test_a_200kb_article_opens_in_pieces(make_app, archive_factory):
    body = "\n\n".join(f"段落 {i}：" + "中文内容" * 60 for i in range(400))
    assert len(body.encode()) > 200_000
    root = archive_factory({"zh-CN/news/x/big.zh-CN.md":
                            article("Big", "2025-03-01 10:00:00", body)}, name="big")

    async def scenario(pilot, screen):
        await press(pilot, "enter")
        documents = screen.query("ArticleMarkdown")
        assert len(documents) > 10
        assert not screen.article_pane.rendering

    run_app_test(make_app(root), scenario)


def test_y_copies_a_link_without_the_control_characters_it_holds(make_app, archive_factory):
    files = {"en/news/wire/osc.en.md": article(
        "Hostile link", "2025-03-01 10:00:00", "x",
        link="https://ok.example/\x1b]52;c;eHg=\x07path")}
    root = archive_factory(files, name="osc")

    async def scenario(pilot, screen):
        await press(pilot, "y")
        assert "\x1b" in screen.article_list.current.link  # the archive holds it
        assert pilot.app.clipboard == "https://ok.example/path"  # the sequence is gone

    run_app_test(make_app(root), scenario)


def test_keymap_mistakes_are_named_and_defaults_raise_none():
    from reader.ui.keys import keymap_problems
    assert keymap_problems({}) == []
    assert keymap_problems({"list.down": "down,j,ctrl+n", "quit": "q,ctrl+q"}) == []
    assert keymap_problems({"nosuch": "x", "toggle_read": "s"}) == [
        "[keys] 'nosuch' is no key id (the ? screen lists them)",
        "[keys] 's' is bound to toggle_read and toggle_star"]
    assert "[keys] 'j' is bound to list.down and toggle_read" in \
        keymap_problems({"toggle_read": "j"})  # the list's j wins while it has focus


def test_the_reader_warns_about_keymap_mistakes_at_start(make_app):
    async def scenario(pilot, screen):
        messages = [n.message for n in pilot.app._notifications]
        assert "[keys] 'nosuch' is no key id (the ? screen lists them)" in messages

    run_app_test(make_app(keys={"nosuch": "x"}), scenario)


def test_the_help_screen_names_every_rebindable_id(make_app):
    from textual.widgets import DataTable

    from reader.ui.keys import binding_scopes

    async def scenario(pilot, screen):
        await press(pilot, "question_mark")
        table = pilot.app.screen.query_one("#help-keys", DataTable)
        shown = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        every = {b.id for bindings in binding_scopes().values() for b in bindings}
        assert every <= shown and {"list.down", "search.submit", "quit_ctrl_c"} <= shown

    run_app_test(make_app(), scenario)
