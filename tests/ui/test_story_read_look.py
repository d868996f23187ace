"""A story's row looks as the tree counts it: read when every copy of it (in the group) is
read, unread while any is.  The attack of issue 13 saw a read copy's byte-identical twin
arrive unread in a story of three whose older copy was unread too: the tree counted the
story unread while its row (the read copy's) looked read.  The row looked as its own
article; now a folded story's row looks as its story, and m and n go by that look."""

from __future__ import annotations

import pytest

from reader.state.groups import ALL
from tests.ui.conftest import article, press, run_app_test, sample_files, settle
from tests.ui.test_stories_ui import BODY, COPIES, TITLE

REUTERS, TRADINGVIEW, INVESTING = (f"en/news/{s}/rates.en.md"
                                   for s in ("reuters", "tradingview", "investing"))


@pytest.fixture
def ui_archive(archive_factory):
    return archive_factory(sample_files() | COPIES)


def looks_read(screen, path: str) -> bool:
    """What the row of `path` shows on screen: no ● (the unread mark) before its date."""
    rows = screen.article_list
    index = next(i for i, a in enumerate(rows.rows) if a.path == path)
    return not rows.render_line(index - int(rows.scroll_offset.y)).text.startswith("●")


def unread_of_all(screen) -> int:
    return screen.tree.counts[ALL].unread


@pytest.mark.parametrize("read, story_read", [
    ((), False), ((INVESTING,), False), ((INVESTING, TRADINGVIEW), False),
    ((REUTERS,), False), ((REUTERS, TRADINGVIEW, INVESTING), True)])
def test_a_story_of_three_looks_read_when_every_copy_is(make_app, read, story_read):
    """The story's row is the investing copy (the newest); 12 other articles, unread."""
    async def scenario(pilot, screen):
        by_path = screen.services.by_path
        screen.set_read([by_path[p] for p in read], True)
        await settle(pilot)
        assert looks_read(screen, INVESTING) == story_read
        assert unread_of_all(screen) == 13 - story_read
        assert screen.status.parts["view"].endswith(f" · {13 - story_read} unread of 13")

    run_app_test(make_app(), scenario)


def test_in_a_group_holding_one_copy_the_row_looks_as_that_copy(make_app):
    """The source investing holds one copy: read there (0 unread of 1), unread in All; the
    status counts the group's, as the tree does."""
    async def scenario(pilot, screen):
        screen.set_read([screen.services.by_path[INVESTING]], True)
        await settle(pilot)
        assert not looks_read(screen, INVESTING)
        screen.tree.select_key(("source", "investing"))
        await settle(pilot)
        assert [a.path for a in screen.article_list.rows] == [INVESTING]
        assert looks_read(screen, INVESTING)
        assert screen.tree.counts[("source", "investing")].unread == 0
        # the group's counts, not All's 13 unread (its row is read: 0 unread of 1)
        assert screen.status.parts["view"].endswith(" in view · 0 unread of 1")

    run_app_test(make_app(), scenario)


def test_m_on_a_folded_story_marks_it_as_it_looks_and_p_stops_at_it(make_app):
    """Every article read but two copies of the story, whose row (the newest, at the top)
    is read: the row looks unread, so p from the bottom stops there (it said "No more
    unread"), and m marks the whole story read (it toggled the row's copy unread)."""
    async def scenario(pilot, screen):
        rows = screen.article_list
        screen.set_read([a for a in screen.services.catalog.articles
                         if a.path not in (REUTERS, TRADINGVIEW)], True)
        await settle(pilot)
        assert rows.rows[0].path == INVESTING and not looks_read(screen, INVESTING)
        rows.move_to(len(rows.rows) - 1)
        await press(pilot, "p")
        assert rows.cursor == 0
        await press(pilot, "m")
        assert {REUTERS, TRADINGVIEW, INVESTING} <= screen.services.read
        assert looks_read(screen, INVESTING) and unread_of_all(screen) == 0

    run_app_test(make_app(read_story="article"), scenario)


def test_a_read_copys_twin_arriving_in_a_story_with_an_unread_copy_agrees_with_the_tree(
        make_app, archive_factory):
    """The attack's case: a story of two (reuters, unread; tradingview, read) and a
    byte-identical copy of the read one arriving (its very time: the read copy keeps the
    row).  The story has unread copies: it is counted unread and now looks it."""
    twin = "en/news/apnews/rates.en.md"
    root = archive_factory(sample_files() | {p: t for p, t in COPIES.items()
                                             if p != INVESTING}, name="two")

    async def scenario(pilot, screen):
        screen.set_read([screen.services.by_path[TRADINGVIEW]], True)
        await settle(pilot)
        assert not looks_read(screen, TRADINGVIEW) and unread_of_all(screen) == 13
        (root / twin).parent.mkdir(parents=True, exist_ok=True)
        (root / twin).write_text(article(TITLE, "2025-02-20 10:00:00", BODY),
                                 encoding="utf-8")
        await press(pilot, "r")
        story = screen.services.stories.story_of(twin)
        assert story is not None and len(story) == 3
        assert twin not in screen.services.read  # its story was unread: so is it
        assert TRADINGVIEW in {a.path for a in screen.article_list.rows}
        assert not looks_read(screen, TRADINGVIEW) and unread_of_all(screen) == 13

    run_app_test(make_app(root), scenario)
