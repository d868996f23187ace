"""Pilot tests: the list, moving around, opening, panes, layout, the mouse."""

from __future__ import annotations

from reader.session.listing import ALL
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleMarkdown, ArticlePane
from reader.ui.widgets.group_tree import GroupTree
from tests.ui.conftest import article, press, run_app_test, sample_files


def header_of(screen) -> str:
    return str(screen.query_one("#article-header").render())


def test_list_starts_from_cache_newest_first_with_count(make_app):
    async def scenario(pilot, screen):
        rows = screen.article_list.rows
        assert len(rows) == 12
        assert [a.date for a in rows] == sorted((a.date for a in rows), reverse=True)
        assert screen.article_list.border_title == "Articles (12)"
        assert "12 in view" in screen.status.parts["view"]

    run_app_test(make_app(), scenario)


def test_j_k_arrows_g_G_move_the_cursor(make_app):
    async def scenario(pilot, screen):
        article_list = screen.article_list
        await press(pilot, "j", "j", "down")
        assert article_list.cursor == 3
        await press(pilot, "k", "up")
        assert article_list.cursor == 1
        await press(pilot, "G")
        assert article_list.cursor == 11
        await press(pilot, "g")
        assert article_list.cursor == 0
        await press(pilot, "end", "home")
        assert article_list.cursor == 0

    run_app_test(make_app(), scenario)


def test_cursor_rest_previews_without_marking_read(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "j")
        current = screen.article_list.current
        assert screen.article_pane.shown_path == current.path
        assert current.title in header_of(screen)
        assert not screen.services.is_read(current.path)

    run_app_test(make_app(), scenario)


def test_enter_opens_renders_markdown_and_marks_read(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "j", "enter")
        current = screen.article_list.current
        assert screen.services.is_read(current.path)
        body = screen.query_one(ArticleMarkdown)
        assert body.query("MarkdownH1") and body.query("ArticleTable")
        assert "CST" in header_of(screen)  # the date in the configured zone
        tree = screen.query_one(GroupTree)
        assert "11/12" in str(tree._group_nodes[("all", "")].label)
        assert "11/11" in str(tree._group_nodes[("unread", "")].label)

    run_app_test(make_app(), scenario)


def test_opening_does_not_mark_read_when_configured_off(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "enter")
        assert not screen.services.is_read(screen.article_list.current.path)

    run_app_test(make_app(mark_read_on_open=False), scenario)


def test_tab_and_shift_tab_move_between_panes(make_app):
    async def scenario(pilot, screen):
        assert isinstance(screen.focused, ArticleList)
        await press(pilot, "tab")
        assert isinstance(screen.focused, ArticlePane)
        await press(pilot, "shift+tab", "shift+tab")
        assert screen.focused.id == "search"

    run_app_test(make_app(), scenario)


def test_space_and_page_keys_scroll_the_article(make_app, archive_factory):
    files = sample_files(2)
    long_body = "\n\n".join(f"Paragraph {i} of a long article." for i in range(300))
    files["en/news/wire/long.en.md"] = (
        "---\ntitle: \"Long one\"\ndate: \"2025-03-01 10:00:00\"\n---\n\n" + long_body)
    root = archive_factory(files, name="long")

    async def scenario(pilot, screen):
        await press(pilot, "enter")
        pane = screen.article_pane
        await press(pilot, "space")
        first = pane.scroll_y
        assert first > 0
        await press(pilot, "pagedown")
        assert pane.scroll_y > first
        await press(pilot, "pageup")
        assert pane.scroll_y == first

    run_app_test(make_app(root), scenario)


def test_tree_highlight_filters_the_list(make_app):
    async def scenario(pilot, screen):
        screen.tree.select_key(("lang", "en"))
        await press(pilot)
        rows = screen.article_list.rows
        assert len(rows) == 4 and all(a.lang == "en" for a in rows)
        screen.tree.select_key(("source", "wire"))
        await press(pilot)
        assert {a.source for a in screen.article_list.rows} == {"wire"}
        screen.tree.select_key(ALL)
        await press(pilot)
        assert len(screen.article_list.rows) == 12

    run_app_test(make_app(), scenario)


def test_a_section_heading_shows_every_article_of_its_kind_not_the_last_group(
        make_app, archive_factory):
    files = sample_files(6)
    files["en/news/wire/untagged.en.md"] = article("No tags", "2025-03-01 10:00:00", "x")
    root = archive_factory(files, name="sections")

    async def scenario(pilot, screen):
        screen.tree.select_key(("tag", "gold"))
        await press(pilot)
        assert len(screen.article_list.rows) == 1
        await press(pilot, "tab", "tab")  # the tree has focus: k goes up to the heading
        assert screen.focused is screen.tree
        for _ in range(20):  # up from the gold tag, past the other tags
            if screen.tree.cursor_node.data[0] == "section":
                break
            await press(pilot, "k")
        assert screen.tree.cursor_node.data == ("section", "tag")
        titles = {a.title for a in screen.article_list.rows}
        assert len(titles) == 6 and "No tags" not in titles

    run_app_test(make_app(root), scenario)


def test_d_toggles_the_order(make_app):
    async def scenario(pilot, screen):
        newest = screen.article_list.rows[0]
        await press(pilot, "d")
        assert screen.article_list.rows[-1] == newest

    run_app_test(make_app(), scenario)


def test_f_zoom_t_tree_and_resizing(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "f")
        assert screen.has_class("zoomed") and not screen.article_list.display
        assert screen.article_list.region.height == 0
        await press(pilot, "f", "t")
        assert screen.tree.region.width == 0
        await press(pilot, "t")
        width = screen.tree.outer_size.width
        await press(pilot, "right_square_bracket")
        assert screen.tree.outer_size.width == width + 4
        height = screen.article_list.outer_size.height
        await press(pilot, "left_curly_bracket")
        assert screen.article_list.outer_size.height == height - 2

    run_app_test(make_app(), scenario)


def test_a_shorter_list_keeps_the_cursor_s_row_in_view(make_app):
    """`{` with the cursor on the list's last visible row pushed that row out of view."""
    async def scenario(pilot, screen):
        rows = screen.article_list
        height = rows.scrollable_content_region.height
        assert len(rows.rows) > height - 4  # (rows enough to fill what is left)
        rows.move_to(height - 1)
        await press(pilot, "left_curly_bracket", "left_curly_bracket")
        top, shown = int(rows.scroll_offset.y), rows.scrollable_content_region.height
        assert shown <= height - 4 and top <= rows.cursor < top + shown

    run_app_test(make_app(), scenario)


def test_mouse_click_and_double_click(make_app):
    async def scenario(pilot, screen):
        article_list = screen.article_list
        await pilot.click(ArticleList, offset=(10, 3))
        await press(pilot)
        assert article_list.cursor == 2  # the top border takes one line
        await pilot.click(ArticleList, offset=(10, 3), times=2)
        await press(pilot)
        assert screen.services.is_read(article_list.current.path)

    run_app_test(make_app(), scenario)


def test_usable_at_80x24(make_app):
    async def scenario(pilot, screen):
        assert screen.article_list.region.height >= 5
        await press(pilot, "j", "enter", "/", *"nvidia")
        assert screen.search_text == "nvidia"
        assert "Nvidia report 00" in [a.title for a in screen.article_list.rows]
        assert screen.article_pane.region.height >= 5

    run_app_test(make_app(), scenario, size=(80, 24))


def test_dates_at_the_ends_of_time_from_an_older_cache_are_shown_not_fatal():
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from reader.ui.wording import local_date
    shanghai = ZoneInfo("Asia/Shanghai")  # +08:05:43 in year 1: below datetime.min
    assert local_date(datetime(1, 1, 1, tzinfo=timezone.utc), shanghai, "%Y-%m-%d") == \
        "0001-01-01"
    late = datetime(9999, 12, 31, 23, 59, tzinfo=ZoneInfo("Etc/GMT+12"))
    assert local_date(late, shanghai, "%Y-%m-%d %H:%M") == "9999-12-31 23:59"
    assert local_date(datetime(999, 5, 1, tzinfo=timezone.utc), timezone.utc, "%Y") == "0999"


def test_an_article_deleted_after_the_scan_opens_with_what_the_scan_knew(make_app, ui_archive):
    async def scenario(pilot, screen):
        article = screen.article_list.rows[1]  # not shown yet: the first one is
        (ui_archive / article.path).unlink()
        await press(pilot, "j", "enter")
        pane = screen.article_pane
        header = str(pane.query_one("#article-header").render())
        assert article.title in header and "cannot open: file not found" in header
        assert screen.services.is_read(article.path)

    run_app_test(make_app(), scenario)


def test_the_list_redraws_its_rows_in_a_new_theme(make_app):
    async def scenario(pilot, screen):
        article_list = screen.article_list
        before = article_list.render_line(0)
        pilot.app.theme = "textual-light" if pilot.app.theme != "textual-light" else "nord"
        await press(pilot)
        after = article_list.render_line(0)
        assert before.text == after.text and list(before) != list(after)  # new colours

    run_app_test(make_app(), scenario)
