"""Pilot tests of stories in the reader: one row per story with its copies' count and
sources, x shows the copies under it, the article pane lists them (1-5 open one), and
opening one marks the whole story read (one undo step), or only itself
(`read_story = "article"`); grouping off lists every copy."""

from __future__ import annotations

import asyncio

import pytest

from tests.ui.conftest import article, press, run_app_test, sample_files, settle

BODY = ("The central bank held interest rates steady on Wednesday and signalled that it "
        "expects two cuts later this year, as inflation cooled for a third month in a row "
        "and the labour market showed signs of slowing. Markets rallied on the news.\n")
TITLE = "Central bank holds rates steady and signals two cuts"
COPIES = {f"en/news/{source}/rates.en.md": article(TITLE, f"2025-02-20 {hour}:00:00", BODY)
          for source, hour in (("reuters", 9), ("tradingview", 10), ("investing", 11))}


@pytest.fixture
def ui_archive(archive_factory):
    return archive_factory(sample_files() | COPIES)


def story_index(screen) -> int:
    rows = screen.article_list.rows
    return next(i for i, a in enumerate(rows) if screen.article_list.story_of(a.path))


async def to_story(pilot, screen) -> None:
    screen.article_list.move_to(story_index(screen))
    await settle(pilot)


def test_a_story_is_one_row_with_its_count_and_sources_and_x_shows_its_copies(make_app):
    async def scenario(pilot, screen):
        assert len(screen.article_list.rows) == 13  # 12 articles and one story of 3
        row = screen.article_list.rows[story_index(screen)]
        story = screen.article_list.story_of(row.path)
        assert screen.stories.label(story) == "×3 reuters, tradingview, investing"
        assert row.path == "en/news/investing/rates.en.md"  # newest first: the newest copy
        await to_story(pilot, screen)
        await press(pilot, "x")
        rows = [a.path for a in screen.article_list.rows]
        assert len(rows) == 15 and rows[story_index(screen):][:3] == [  # in the list's
            row.path, "en/news/tradingview/rates.en.md", "en/news/reuters/rates.en.md"]
        assert screen.article_list.current.path == row.path  # the cursor stayed  # order
        await press(pilot, "d")  # oldest first: the earliest copy stands for it, the
        rows = [a.path for a in screen.article_list.rows]  # others after it, in order
        assert rows[story_index(screen):][:3] == [
            "en/news/reuters/rates.en.md", "en/news/tradingview/rates.en.md", row.path]
        await press(pilot, "d")
        await press(pilot, "x")
        assert len(screen.article_list.rows) == 13

    run_app_test(make_app(group_stories=True), scenario)


def test_opening_a_copy_reads_the_whole_story_and_u_restores_every_copy(make_app):
    async def scenario(pilot, screen):
        await to_story(pilot, screen)
        assert not screen.services.read  # nothing read before one copy is opened
        await press(pilot, "enter")
        assert screen.services.read == set(COPIES)
        copies = str(screen.article_pane.query_one("#article-copies").content)
        assert "Also in this story (2)" in copies and "reuters" in copies
        await press(pilot, "u")
        assert screen.services.read == set()

    run_app_test(make_app(group_stories=True), scenario)


def test_a_copy_is_one_key_away_under_the_article(make_app):
    async def scenario(pilot, screen):
        await to_story(pilot, screen)
        await press(pilot, "enter")
        await press(pilot, "1")  # the earliest other copy
        assert screen.article_list.current.path == "en/news/reuters/rates.en.md"
        assert screen.article_pane.shown_path == "en/news/reuters/rates.en.md"

    run_app_test(make_app(group_stories=True), scenario)


def test_read_story_article_marks_only_the_copy_opened(make_app):
    async def scenario(pilot, screen):
        await to_story(pilot, screen)
        await press(pilot, "enter")
        assert screen.services.read == {"en/news/investing/rates.en.md"}

    run_app_test(make_app(group_stories=True, read_story="article"), scenario)


def test_grouping_off_lists_every_copy(make_app):
    async def scenario(pilot, screen):
        assert len(screen.article_list.rows) == 15

    run_app_test(make_app(group_stories=False), scenario)


def test_search_hits_are_grouped_the_same_way(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "slash", *"central", "enter")
        await settle(pilot)
        rows = screen.article_list.rows
        assert len(rows) == 1 and screen.article_list.story_of(rows[0].path) is not None

    run_app_test(make_app(group_stories=True), scenario)


def test_a_copy_arriving_joins_its_story_and_a_deleted_copy_leaves_it(make_app, ui_archive):
    async def scenario(pilot, screen):
        extra = ui_archive / "en/news/bloomberg/rates.en.md"
        extra.parent.mkdir(parents=True)
        extra.write_text(article(TITLE, "2025-02-20 12:00:00", BODY), encoding="utf-8")
        await press(pilot, "r")
        await settle(pilot)
        row = screen.article_list.rows[story_index(screen)]
        story = screen.article_list.story_of(row.path)
        assert len(screen.article_list.rows) == 13 and len(story) == 4
        assert screen.stories.label(story) == "×4 reuters, tradingview, investing +1"
        for name in ("bloomberg", "reuters", "tradingview"):
            (ui_archive / f"en/news/{name}/rates.en.md").unlink()
        await press(pilot, "r")
        await settle(pilot)
        rows = screen.article_list.rows
        assert len(rows) == 13 and not any(map(screen.article_list.story_of,
                                               (a.path for a in rows)))

    run_app_test(make_app(group_stories=True), scenario)


def test_a_copy_shown_long_enough_reads_its_whole_story(make_app, monkeypatch):
    from tests.ui.test_mark_read_on_move import clock as clock_fixture

    clock = clock_fixture.__wrapped__(monkeypatch)

    async def scenario(pilot, screen):
        await to_story(pilot, screen)
        assert not screen.services.read
        clock.passes()
        await settle(pilot)
        assert screen.services.read == set(COPIES)

    run_app_test(make_app(group_stories=True, mark_read_on_move=1.0), scenario)


def test_the_tree_counts_stories_says_so_and_follows_reads_and_files(make_app, ui_archive):
    from reader.state.counts import Count
    from reader.state.groups import ALL

    async def scenario(pilot, screen):
        tree = screen.tree
        assert tree.border_title == "Groups, by story"
        assert tree.counts[ALL] == Count(13, 13, 0)  # 12 articles and one story of 3
        assert screen.services.counts[ALL] == Count(15, 15, 0)
        extra = ui_archive / "en/news/bloomberg/rates.en.md"
        extra.parent.mkdir(parents=True)
        extra.write_text(article(TITLE, "2025-02-20 12:00:00", BODY), encoding="utf-8")
        await press(pilot, "r")
        await settle(pilot)
        assert tree.counts[ALL] == Count(13, 13, 0)  # a fourth copy: still one story
        await to_story(pilot, screen)
        await press(pilot, "enter")
        assert tree.counts[ALL] == Count(13, 12, 0)
        assert str(tree.root.children[0].label).endswith("12/13")  # All's label

    run_app_test(make_app(group_stories=True), scenario)


def test_count_by_articles_counts_each_copy_and_says_so(make_app):
    from reader.state.counts import Count
    from reader.state.groups import ALL

    async def scenario(pilot, screen):
        assert screen.tree.border_title == "Groups, by article"
        assert screen.tree.counts[ALL] == Count(15, 15, 0)
        await to_story(pilot, screen)
        await press(pilot, "enter")
        assert screen.tree.counts[ALL] == Count(15, 12, 0)  # the story's three copies

    run_app_test(make_app(group_stories=True, count_by="articles"), scenario)


def test_the_stories_catch_up_stops_when_the_reader_quits(make_app):
    """The catch-up after a first scan (grouping 100k articles: minutes) is handed the
    reader's stop: a quit during it took 6.7-8.1 s to reach the shell at 100k, with the
    stories thread grouping on (found by the attack)."""
    async def scenario(pilot, screen):
        seen = {}
        stories = screen.services.stories

        def catch_up(articles, progress=None, cancel=None):
            seen["cancel"] = cancel

        stories.catch_up = catch_up  # (on the stories' thread: it hands results to the loop)
        await asyncio.to_thread(screen.stories._catch_up, screen.services.catalog)
        assert seen["cancel"] is screen.stories._cancel
        screen.stories.stop()
        assert seen["cancel"].is_set()

    run_app_test(make_app(group_stories=True), scenario)


def test_the_stories_catch_up_says_its_progress_of_the_whole_catalog(make_app):
    """The catch-up after a first scan's newer look (thousands of articles: seconds) said
    nothing; it counts what is grouped of the catalog, as the opening does, and clears
    the count once done."""
    from reader.ui.messages import Progressed

    async def scenario(pilot, screen):
        stories, said = screen.services.stories, []

        def catch_up(articles, progress=None, cancel=None):
            progress(10, len(articles))

        stories.catch_up = catch_up
        real = screen.post_message
        screen.post_message = lambda m: (isinstance(m, Progressed) and said.append(
            (m.part, m.text))) or real(m)
        await asyncio.to_thread(screen.stories._catch_up, screen.services.catalog)
        total = len(screen.services.catalog.articles)
        assert said == [("stories", f"grouping stories 10/{total}"), ("stories", "")]
        await settle(pilot)  # by story again once it ended (by article while it went on)
        assert not screen.services.grouping_long and screen.services.counting == "stories"

    run_app_test(make_app(group_stories=True), scenario)
