"""Copies arriving while the reader is open (issue 13, found by the attack at 100k): a
new copy is listed already in its story, in the same step as it appears (its story's row
and the tree's counts change once, never rise and fall); it is grouped from the body the
scan parsed (its file is opened once); a copy that joins a story already read arrives
read under read-once (and stays read), and never takes the story's row from the copy
that stood for it."""

from __future__ import annotations

import os

import pytest

from reader.state.groups import ALL
from tests.ui.conftest import article, press, run_app_test, sample_files, settle
from tests.ui.test_stories_ui import BODY, COPIES, TITLE

OIL = ("Oil prices climbed for a fourth straight session on Thursday after producers "
       "agreed to extend their output cuts into the summer and stockpiles fell more than "
       "analysts had expected, lifting energy shares across the region.\n")
OIL_TITLE = "Oil climbs for a fourth session as producers extend output cuts"
SINGLE = {"en/news/reuters/oil.en.md": article(OIL_TITLE, "2025-02-21 08:00:00", OIL)}
NEWEST = "en/news/investing/rates.en.md"  # the copy that stands for the rates story


@pytest.fixture
def ui_archive(archive_factory):
    return archive_factory(sample_files() | COPIES | SINGLE)


def burst(root) -> dict[str, str]:
    """Two more copies of the rates story and a copy of the oil report (a new story)."""
    files = {"en/news/bloomberg/rates.en.md": article(TITLE, "2025-02-20 09:30:00", BODY),
             "en/news/marketwatch/rates.en.md": article(TITLE, "2025-02-20 10:30:00", BODY),
             "en/news/tradingview/oil.en.md": article(OIL_TITLE, "2025-02-21 08:20:00", OIL)}
    write(root, files)
    return files


def write(root, files: dict[str, str]) -> None:
    """Each file written aside and renamed in: one complete file, as a scraper's."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        aside = root.parent / f".{target.name}.{len(rel)}"
        aside.write_text(text, encoding="utf-8")
        os.replace(aside, target)


class Shown:
    """Every list of rows the article list is given, with the tree's All count then."""

    def __init__(self, screen) -> None:
        self.screen, self.lists, self.totals = screen, [], []
        article_list = screen.article_list
        for name in ("set_rows", "update_rows"):
            setattr(article_list, name, self._recording(getattr(article_list, name)))

    def _recording(self, method):
        def recorded(rows, *args, **kwargs):
            method(rows, *args, **kwargs)
            self.lists.append([a.path for a in rows])
            self.totals.append(self.screen.tree.counts[ALL].total)
        return recorded


def test_a_burst_of_copies_is_listed_in_its_stories_never_copy_by_copy(make_app, ui_archive):
    """Each list shown holds one row for each story (none is expanded), and All counts
    14 stories before (12 articles, the rates story, the oil report) and 14 after (the
    oil report and its copy one story now, the rates story grown): it never rose."""
    async def scenario(pilot, screen):
        assert screen.tree.counts[ALL].total == 14
        shown = Shown(screen)
        burst(ui_archive)
        await press(pilot, "r")
        stories = screen.services.stories.all()
        assert sorted(map(len, stories)) == [2, 5]
        assert shown.lists, "the list was never given the burst"
        for rows in shown.lists:
            for story in stories:
                listed = [p for p in rows if p in story.members]
                assert len(listed) == 1, f"{listed} listed each as its own row"
        assert shown.totals and set(shown.totals) == {14}, shown.totals
        assert screen.tree.counts[ALL].total == 14

    run_app_test(make_app(group_stories=True), scenario)


def test_a_burst_is_grouped_from_the_bodies_the_scan_parsed(make_app, ui_archive,
                                                          monkeypatch):
    """The stories are made from the bodies the scan read: each new file is opened once
    (it was twice: the stories' worker read every file of a burst again).  The index is
    left out here: a full update after `r` reads what it has not indexed."""
    opened: dict[str, int] = {}
    real_open = os.open

    def counted(path, *args, **kwargs):
        name = os.fspath(path)
        if "/en/news/" in name:
            opened[name] = opened.get(name, 0) + 1
        return real_open(path, *args, **kwargs)

    async def scenario(pilot, screen):
        monkeypatch.setattr(screen.background, "index", lambda: None)
        monkeypatch.setattr(os, "open", counted)
        files = burst(ui_archive)
        await press(pilot, "r")
        assert all(screen.services.stories.story_of(p) is not None for p in files)
        counts = {rel: opened.get(str(ui_archive / rel), 0) for rel in files}
        assert counts == dict.fromkeys(files, 1)

    run_app_test(make_app(group_stories=True), scenario)


def copy_of_the_read_story(root) -> str:
    """A copy at the very time of the copy that stands for the story, whose path sorts
    before it (the tie of the list's order goes to the copy that was there first)."""
    rel = "en/news/apnews/rates.en.md"
    write(root, {rel: article(TITLE, "2025-02-20 11:00:00", BODY)})
    return rel


def story_row(screen) -> tuple[int, str]:
    rows = screen.article_list.rows
    return next((i, a.path) for i, a in enumerate(rows)
                if screen.services.stories.story_of(a.path) is not None
                and a.path.endswith("rates.en.md"))


def test_a_copy_joining_a_read_story_arrives_read_and_takes_nothing_from_it(
        make_app, ui_archive):
    async def scenario(pilot, screen):
        place, path = story_row(screen)
        assert path == NEWEST
        screen.article_list.move_to(place)
        await press(pilot, "enter")  # read once: the whole story
        story = screen.services.stories.story_of(NEWEST)
        before = screen.tree.counts[ALL]
        shown = Shown(screen)
        rel = copy_of_the_read_story(ui_archive)
        await press(pilot, "r")
        grown = screen.services.stories.story_of(rel)
        assert grown is not None and len(grown) == 4 and grown.id == story.id
        assert rel in screen.services.read  # it arrived read
        assert screen.tree.counts[ALL] == before  # the story still read, counted once
        assert story_row(screen) == (place, NEWEST)  # the same row, where it was
        assert all(rows.index(NEWEST) == place and rel not in rows for rows in shown.lists)

    app = make_app(group_stories=True)
    run_app_test(app, scenario)

    async def again(pilot, screen):  # the next start: still read, kept like any mark
        assert "en/news/apnews/rates.en.md" in screen.services.read

    run_app_test(make_app(group_stories=True), again)


def test_read_story_article_a_copy_arrives_unread_and_the_row_stays(make_app, ui_archive):
    async def scenario(pilot, screen):
        place, _ = story_row(screen)
        screen.article_list.move_to(place)
        await press(pilot, "enter")
        rel = copy_of_the_read_story(ui_archive)
        await press(pilot, "r")
        assert screen.services.stories.story_of(rel) is not None
        assert rel not in screen.services.read
        assert story_row(screen) == (place, NEWEST)

    run_app_test(make_app(group_stories=True, read_story="article"), scenario)


async def _delete_the_row_under_the_cursor(pilot, screen, root) -> tuple[str, object]:
    place, path = story_row(screen)
    screen.article_list.move_to(place)
    await press(pilot, "enter")
    story = screen.services.stories.story_of(path)
    (root / path).unlink()
    await press(pilot, "r")
    await settle(pilot)
    return path, story


def test_the_copy_under_the_cursor_deleted_keeps_the_cursor_on_its_story(make_app,
                                                                         ui_archive):
    """The folded row's copy (the one that stands for the story) deleted while open: the
    cursor goes to the story's new row, not to the top of the list (the attack found the
    next Enter opening the newest article instead), and the pane keeps the copy, gone."""
    async def scenario(pilot, screen):
        place, path = story_row(screen)
        assert path == NEWEST and place > 0
        path, story = await _delete_the_row_under_the_cursor(pilot, screen, ui_archive)
        assert path == NEWEST
        current = screen.article_list.current
        assert current.path in story.members and current.path != NEWEST
        assert screen.services.stories.story_of(current.path) is not None
        assert screen.article_pane.shown_path == NEWEST and screen.article_pane.gone

    run_app_test(make_app(group_stories=True), scenario)


def test_an_expanded_copy_under_the_cursor_deleted_keeps_the_cursor_in_its_story(
        make_app, ui_archive):
    """An expanded story's `↳` copy deleted under the cursor: the cursor goes to the copy
    that took its row, still in the story (it went to row 0)."""
    async def scenario(pilot, screen):
        place, path = story_row(screen)
        screen.article_list.move_to(place)
        await press(pilot, "x")
        rows = screen.article_list.rows
        copy = rows[place + 1].path
        story = screen.services.stories.story_of(copy)
        assert copy in story.members and copy != path
        screen.article_list.move_to(place + 1)
        await press(pilot, "enter")
        (ui_archive / copy).unlink()
        await press(pilot, "r")
        await settle(pilot)
        current = screen.article_list.current
        assert current.path in story.members and current.path != copy
        assert screen.article_pane.shown_path == copy and screen.article_pane.gone
        await press(pilot, "x")  # the keys act on the story the cursor is on: x folds it
        assert len(screen.services.stories.story_of(current.path)) == 2
        assert story.id not in screen.services.expanded
        rows = [a.path for a in screen.article_list.rows]
        assert len([p for p in rows if p in story.members]) == 1  # one row: folded

    run_app_test(make_app(group_stories=True), scenario)


def test_in_a_search_the_deleted_copy_under_the_cursor_leaves_it_on_its_story(
        make_app, ui_archive):
    """In a search (or a tree group) the rows are edited in place, and the story's other
    copies were folded away: the cursor went to the next story, and stayed there when
    the search ran again and brought the story's new row (attack of issue 13)."""
    async def scenario(pilot, screen):
        await press(pilot, "slash", *"central bank", "enter")
        path, story = await _delete_the_row_under_the_cursor(pilot, screen, ui_archive)
        current = screen.article_list.current
        assert current is not None and current.path in story.members and current.path != path
        assert screen.article_pane.shown_path == path and screen.article_pane.gone

    run_app_test(make_app(group_stories=True), scenario)


def test_in_a_tree_group_the_deleted_copy_under_the_cursor_leaves_it_on_its_story(
        make_app, ui_archive):
    async def scenario(pilot, screen):
        screen.tree.select_key(("lang", "en"))
        await settle(pilot)
        assert screen.group == ("lang", "en")
        path, story = await _delete_the_row_under_the_cursor(pilot, screen, ui_archive)
        current = screen.article_list.current
        assert current is not None and current.path in story.members and current.path != path
        assert screen.article_pane.shown_path == path and screen.article_pane.gone

    run_app_test(make_app(group_stories=True), scenario)
