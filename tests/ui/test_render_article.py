"""Pilot tests of the article pane: data: images (issue 9.12), reference links in long
articles (9.13), decoded links and the `o` message (9.19), a hostile table opened after a
normal article (10.1)."""

from __future__ import annotations

import base64
import resource

from textual.widgets import Static

from reader.ui.widgets.flat_blocks import ArticleTable
from tests.ui.conftest import article, press, run_app_test, settle, until

PNG = "data:image/png;base64," + base64.b64encode(b"\0" * 145_400).decode()


def pane_text(screen) -> str:
    """Everything the pane's widgets show, as plain text."""
    parts = []
    for widget in screen.article_pane.query(Static):
        visual = widget.visual
        parts.append(getattr(visual, "plain", str(visual)))
    return "\n".join(parts)


def two_articles(archive_factory, body: str, link: str = "https://example.com/n"):
    """A normal article (the newest, shown first) and one holding `body`."""
    return archive_factory({
        "en/news/wire/normal.en.md": article("Normal", "2025-03-02 10:00:00", "Plain text.",
                                             link="https://example.com/normal"),
        "en/news/wire/other.en.md": article("Other", "2025-03-01 10:00:00", body, link=link),
    }, name="render")


def test_a_data_image_shows_a_placeholder_not_base64(make_app, archive_factory):
    root = two_articles(archive_factory, f"Chart below.\n\n![Nifty chart]({PNG})\n")

    async def scenario(pilot, screen):
        await press(pilot, "j")
        text = pane_text(screen)
        assert "[image: Nifty chart, PNG 142 KB, inline]" in text
        assert "base64" not in text and len(text) < 2000

    run_app_test(make_app(root), scenario)


def test_reference_links_work_in_an_article_of_many_pieces(make_app, archive_factory):
    body = ("Read [the report][1] first.\n\n" + "Filler paragraph of the article.\n\n" * 600
            + "[1]: https://example.com/report\n")
    root = two_articles(archive_factory, body)

    async def scenario(pilot, screen):
        await press(pilot, "j")
        assert len(screen.article_pane.query("ArticleMarkdown")) > 1
        text = pane_text(screen)
        assert "Read the report first." in text and "[the report][1]" not in text
        first = screen.article_pane.query("MarkdownParagraph").first()
        actions = [span.style.meta.get("@click") for span in first.visual.spans
                   if hasattr(span.style, "meta")]
        assert "link('https://example.com/report')" in actions

    run_app_test(make_app(root), scenario)


def test_a_cjk_link_is_shown_decoded_and_opened_as_it_is(make_app, archive_factory):
    url = "https://www.dw.com/zh/%E7%BE%8E%E5%9B%BD%E5%88%B6%E8%A3%81/a-1"
    root = two_articles(archive_factory, "正文。", link=url)

    async def scenario(pilot, screen):
        await press(pilot, "j")
        header = str(screen.query_one("#article-header").visual)
        assert "https://www.dw.com/zh/美国制裁/a-1" in header and "%E7" not in header
        await press(pilot, "o")
        assert screen.services.open_link_with == [url]

    run_app_test(make_app(root), scenario)


def test_o_without_a_browser_shows_the_link_to_copy(make_app, archive_factory):
    root = two_articles(archive_factory, "Text.", link="https://example.com/[bold]x")

    async def scenario(pilot, screen):
        screen.services.open_link_with = lambda url: False
        await press(pilot, "j", "o")
        await until(pilot, lambda: pilot.app._notifications)
        messages = [n.message for n in pilot.app._notifications]
        assert any("No browser could open the link" in m and "https://example.com/[bold]x" in m
                   for m in messages)

    run_app_test(make_app(root), scenario)


def test_a_hostile_table_after_a_normal_article_is_cut_and_keys_still_work(
        make_app, archive_factory):
    columns = 300_000
    table = "|" + "c|" * columns + "\n|" + "-|" * columns + "\n|" + "x|" * columns + "\n"
    root = two_articles(archive_factory, table)

    async def scenario(pilot, screen):
        assert screen.article_pane.shown_path.endswith("normal.en.md")
        peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
        await press(pilot, "j")
        assert screen.article_pane.shown_path.endswith("other.en.md")
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
        assert grown < 100 * 1024, f"the process peak grew by {grown // 1024} MB"
        tables = screen.article_pane.query(ArticleTable)
        assert len(tables) == 1 and len(tables.first().table.columns) == 50
        assert "table of 300,000 columns: first 50 shown" in pane_text(screen)
        await pilot.press("k")
        await settle(pilot)
        assert screen.article_pane.shown_path.endswith("normal.en.md")

    run_app_test(make_app(root), scenario)


def test_a_link_in_a_list_drawn_whole_still_opens(make_app, archive_factory):
    from reader.ui.widgets.flat_blocks import ArticleList

    root = two_articles(archive_factory, "- [source](https://example.com/s) **bold**\n- two\n")

    async def scenario(pilot, screen):
        await press(pilot, "j")
        items = screen.article_pane.query(ArticleList)
        assert len(items) == 1
        await pilot.click(items.first(), offset=(4, 0))
        await settle(pilot)
        assert screen.services.open_link_with == ["https://example.com/s"]

    run_app_test(make_app(root), scenario)
