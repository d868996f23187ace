"""An expanded story's `↳` copy deleted under the cursor in a search or a tree group
(issue 13, seen in a terminal): the cursor goes to the copy that took its row, as in
All.  The copies are listed under the row that stands for the story, out of the date
order when other rows fall between their times: the edit in place, which finds the
rows that go by their dates, missed the copy, which stayed listed off its story, and
the cursor, kept on it, went one row past the story when the rows were made again.
The pilot tests of the same shape passed: there, no row came between the copies'
times."""

from __future__ import annotations

import pytest

from tests.ui.conftest import article, press, run_app_test, sample_files, settle
from tests.ui.test_stories_ui import BODY, COPIES, TITLE

NEWEST = "en/news/investing/rates.en.md"  # 11:00, the copy that stands for the story
GOING = "en/news/tradingview/rates.en.md"  # 10:00, the first copy under it
LAST = "en/news/reuters/rates.en.md"  # 09:00

OTHERS = {  # hits of the search between (and after) the copies' times, no copies
    f"en/news/{source}/{name}.en.md": article(title, f"2025-02-20 {time}", text)
    for source, name, title, time, text in (
        ("wire", "bonds", "Bond yields slip", "10:30:00",
         "Bond yields slipped as traders weighed what the central bank said on growth."),
        ("daily", "yen", "The yen firms", "09:30:00",
         "The yen firmed against the dollar after a central bank official spoke."),
        ("wire", "gold", "Gold edges up", "08:30:00",
         "Gold edged up in thin trade, with investors watching the central bank."))}


@pytest.fixture
def ui_archive(archive_factory):
    chinese = {rel: text for rel, text in sample_files().items() if rel.startswith("zh")}
    return archive_factory(chinese | COPIES | OTHERS)  # (English: the story and hits)


async def search(pilot, screen) -> None:
    await press(pilot, "slash", *"central bank", "enter")
    assert [a.path for a in screen.article_list.rows] == [NEWEST, *OTHERS]


async def english(pilot, screen) -> None:
    """A tree group's rows are edited in place the same way."""
    screen.tree.select_key(("lang", "en"))
    await settle(pilot)
    screen.set_focus(screen.article_list)
    assert [a.path for a in screen.article_list.rows] == [NEWEST, *OTHERS]


@pytest.mark.parametrize("listed", [search, english])
def test_a_deleted_copy_of_an_expanded_story_listed_in_place_leaves_the_cursor_in_it(
        make_app, ui_archive, listed):
    async def scenario(pilot, screen):
        await listed(pilot, screen)
        rows = screen.article_list
        assert rows.cursor == 0
        await press(pilot, "x")  # the story's row, the first, expanded
        assert [a.path for a in rows.rows][:4] == [NEWEST, GOING, LAST, *list(OTHERS)[:1]]
        await press(pilot, "j")  # onto the first copy: shown in the pane
        assert rows.current.path == GOING == screen.article_pane.shown_path
        story = screen.services.stories.story_of(GOING)
        (ui_archive / GOING).unlink()
        await press(pilot, "r")
        paths = [a.path for a in rows.rows]
        assert GOING not in paths
        assert paths[:3] == [NEWEST, LAST, *list(OTHERS)[:1]]  # still expanded
        assert rows.current.path == LAST and LAST in story.members  # the copy that took
        assert screen.article_pane.shown_path == GOING and screen.article_pane.gone  # its row

    run_app_test(make_app(group_stories=True), scenario)
