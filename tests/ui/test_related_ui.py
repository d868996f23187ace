"""Related articles under the article (issue 13): the articles most like the one shown
that are not copies of it, listed after its text once it is shown, each one key away
(6-0); nothing listed while there is nothing to go on."""

from __future__ import annotations

import pytest

from reader.ui.screens.main import PREVIEW_DELAY
from tests.ui.conftest import article, press, run_app_test, sample_files, settle
from tests.ui.test_stories_ui import COPIES, to_story

BONDS = "en/news/wsj/bonds.en.md"
BONDS_TITLE = "Bond yields fall as the central bank holds rates and signals cuts"
RELATED = {BONDS: article(BONDS_TITLE, "2025-02-20 13:00:00", (
    "Treasury yields fell after the central bank held interest rates steady and signalled "
    "two cuts this year; inflation cooled again and the labour market is slowing, bond "
    "traders said, and longer maturities led the rally.\n"))}


@pytest.fixture
def ui_archive(archive_factory):
    return archive_factory(sample_files() | COPIES | RELATED)


def related_text(screen) -> str:
    widget = screen.article_pane.query_one("#article-related")
    return str(widget.content) if widget.display else ""


def test_the_related_articles_are_listed_after_the_article_and_6_opens_one(make_app):
    async def scenario(pilot, screen):
        await to_story(pilot, screen)
        await press(pilot, "enter")
        await settle(pilot)
        shown = screen.article_pane.shown_path
        assert shown in COPIES
        text = related_text(screen)
        assert text.startswith("Related:") and f"6 2025-02-20 wsj: {BONDS_TITLE}" in text
        found = [a.path for a in screen.related.found]
        assert found[0] == BONDS and not set(found) & set(COPIES)  # copies are not related
        await press(pilot, "6")
        await settle(pilot)
        assert screen.article_list.current.path == BONDS
        assert screen.article_pane.shown_path == BONDS and BONDS in screen.services.read
        assert screen.related.path == BONDS  # its own: the story once, by one copy
        assert len([a for a in screen.related.found if a.path in COPIES]) == 1

    run_app_test(make_app(group_stories=True), scenario)


def test_a_key_past_the_related_articles_does_nothing(make_app):
    async def scenario(pilot, screen):
        await to_story(pilot, screen)
        await press(pilot, "enter")
        await settle(pilot)
        before = screen.article_list.current.path
        count = len(screen.related.found)
        assert count < 5
        await press(pilot, "67890"[count])
        assert screen.article_list.current.path == before

    run_app_test(make_app(group_stories=True), scenario)


def test_a_burst_j6_opens_the_related_article_of_the_article_j_reached(make_app):
    """Typed slowly, `j` then `6` opens the first related article of the article `j`
    moved to; in a burst, `6` came before that article's related articles were found
    and opened the previous article's (second attack of issue 13).  The key waits for
    them now, and so do the keys after it."""
    async def scenario(pilot, screen):
        rows = [a.path for a in screen.article_list.rows]
        assert rows[0] == BONDS and rows[1] in COPIES  # the newest, then the story
        screen.article_list.move_to(0)
        await settle(pilot)
        screen.preview_delay = PREVIEW_DELAY  # (as the reader: shown once the cursor rests)
        await pilot.press("j", "6")  # (one burst: no settling in between)
        await settle(pilot)
        assert screen.article_list.current.path == BONDS
        assert screen.article_pane.shown_path == BONDS and BONDS in screen.services.read

    run_app_test(make_app(group_stories=True), scenario)


def test_a_related_article_whose_file_goes_is_no_longer_listed(make_app, ui_archive):
    async def scenario(pilot, screen):
        await to_story(pilot, screen)
        await press(pilot, "enter")
        await settle(pilot)
        assert BONDS_TITLE in related_text(screen)
        (ui_archive / BONDS).unlink()
        await press(pilot, "r")
        await settle(pilot)
        assert BONDS_TITLE not in related_text(screen)
        assert BONDS not in (a.path for a in screen.related.found)

    run_app_test(make_app(group_stories=True), scenario)


def test_a_key_waiting_is_not_dropped_by_another_articles_find():
    """`k7k8` in a burst: 8 waited for its article's related articles, and the find of
    the article shown before (the one 7 opened) came first and cleared the wait, so 8
    did nothing (second re-attack of issue 13)."""
    from datetime import datetime, timezone
    from types import SimpleNamespace

    from reader.archive.model import Article
    from reader.ui.screens.related_rows import RelatedRows

    def made(path):
        return Article(path=path, title=path, date=datetime(2025, 2, 1, tzinfo=timezone.utc))

    class Screen:
        services = SimpleNamespace(settings=SimpleNamespace(tzinfo=timezone.utc))
        article_pane = SimpleNamespace(shown_path="shown.md", show_related=lambda text: None)
        opened: list = []

        def keys_may_go(self):
            pass

        def jump_to(self, path):
            self.opened.append(path)

    screen = Screen()
    rows = RelatedRows(screen)
    rows.path, rows._wanted = "shown.md", ("cursor.md", 1)
    rows._show("shown.md", [made("x.md")])  # the article shown's, found first
    assert rows.pending and not screen.opened
    rows._show("cursor.md", [made("y.md")])  # the key's
    assert screen.opened == ["y.md"] and not rows.pending
