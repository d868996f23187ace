"""Every count outside the tree counts as the tree does: stories (`count_by = "stories"`,
the default) or articles, and says which while there are stories.  On the sample feed
the tree said `All 50/50` by story while the status said `50 in view · 54 unread of 54`
(articles), and "N new" counted articles while New counted stories.  And after a first
scan cut short by a quit, the rest of it at the next start is counted "so far" too."""

from __future__ import annotations

import threading

import reader.archive.scan as scan_module
from reader.archive import Archive
from reader.state.groups import ALL, NEW
from reader.ui.messages import CatalogChanged
from tests.ui.conftest import article, press, run_app_test, sample_files, settle, until
from tests.ui.test_first_scan import hold_scan_at_batch, run_held
from tests.ui.test_stories_ui import COPIES, to_story

ARRIVED = ("A new plant doubles the city's water supply", "2025-03-01 10:00:00",
           "The city opened a desalination plant on Monday that doubles its water supply, "
           "after two years of building and a drought that emptied its reservoirs twice.\n")


def view(screen) -> str:
    return screen.status.parts["view"]


def test_the_status_and_the_list_count_stories_as_the_tree_does(make_app, archive_factory):
    """12 articles and one story of 3 copies: 13 stories, 15 articles."""
    async def scenario(pilot, screen):
        assert screen.tree.counts[ALL].total == 13
        assert view(screen) == "13 stories in view · 13 unread of 13"
        assert screen.article_list.border_title == "Articles (13 stories)"
        await to_story(pilot, screen)
        await press(pilot, "x")  # its copies shown under it: still one story in view
        assert len(screen.article_list.rows) == 15
        assert view(screen) == "13 stories in view · 13 unread of 13"
        await press(pilot, "enter")  # read once: the story, as the tree counts it
        assert view(screen) == "13 stories in view · 12 unread of 13"
        await press(pilot, "slash", *"central", "enter")
        assert screen.status.parts["search"].startswith("1 story found · ")
        assert view(screen) == "1 story in view · 12 unread of 13 in All"

    run_app_test(make_app(archive_factory(sample_files() | COPIES), group_stories=True),
                 scenario)


def test_the_list_title_says_stories_after_a_change_of_all(make_app, archive_factory):
    """All's rows made again after a change (in a worker) keep the title's unit."""
    root = archive_factory(sample_files() | COPIES)

    async def scenario(pilot, screen):
        await until(pilot, lambda: screen.watching.batches >= 1)
        assert screen.article_list.border_title == "Articles (13 stories)"
        (root / "en/news/wire/arrived.en.md").write_text(article(
            "A harbour reopens", "2025-03-01 10:00:00", "Ships again."), encoding="utf-8")
        await until(pilot, lambda: len(screen.article_list.rows) == 14)
        await settle(pilot)
        assert screen.article_list.border_title == "Articles (14 stories)"

    run_app_test(make_app(root, group_stories=True, watch=True), scenario)


def test_counted_by_article_the_status_and_the_list_count_every_copy(make_app,
                                                                     archive_factory):
    async def scenario(pilot, screen):
        assert len(screen.article_list.rows) == 13  # a row per story all the same
        assert view(screen) == "15 articles in view · 15 unread of 15"
        assert screen.article_list.border_title == "Articles (15)"
        await press(pilot, "slash", *"central", "enter")
        assert screen.status.parts["search"].startswith("3 articles found · ")
        assert view(screen) == "3 articles in view · 15 unread of 15 in All"

    run_app_test(make_app(archive_factory(sample_files() | COPIES), group_stories=True,
                          count_by="articles"), scenario)


def test_with_no_story_the_counts_are_said_as_ever(make_app):
    async def scenario(pilot, screen):
        assert view(screen) == "12 in view · 12 unread of 12"
        assert screen.article_list.border_title == "Articles (12)"

    run_app_test(make_app(group_stories=True), scenario)


def test_new_counts_the_stories_that_arrived(make_app, archive_factory):
    """Two copies of one report arrive: New counts one story, and so does "N new"
    (it said "2 new")."""
    root = archive_factory(sample_files() | COPIES)

    async def scenario(pilot, screen):
        await arrive(pilot, screen, root, WATER_COPIES)
        assert screen.tree.counts[NEW].total == 1 and screen.services.counts[NEW].total == 2
        assert screen.status.parts["new"] == "1 story arrived (N: newest)"

    run_app_test(make_app(root, group_stories=True), scenario)


async def arrive(pilot, screen, root, files: dict[str, str]) -> None:
    """`files` written into the archive and scanned in (`r`), the stories grouped."""
    write_files(root, files)
    await press(pilot, "r")
    await until(pilot, lambda: not screen.scanning and not screen.background.indexing)
    await settle(pilot)


RATES_COPIES = {rel.replace("reuters", source): text for rel, text in COPIES.items()
                if "reuters" in rel for source in ("ft", "wsj")}
WATER_COPIES = {f"en/news/{source}/water.en.md": article(*ARRIVED)
                for source in ("reuters", "bloomberg")}


def test_copies_joining_a_story_already_here_are_no_new_story(make_app, archive_factory):
    """Two more copies of the story of 3 arrive, then a new story of 2 copies: "N new"
    counts the new story alone, and still once when a third copy of it comes in a later
    scan (it said "1 new story", then "2 new stories")."""
    root = archive_factory(sample_files() | COPIES)

    async def scenario(pilot, screen):
        await arrive(pilot, screen, root, RATES_COPIES)
        assert screen.services.counts[NEW].total == 2
        assert screen.status.parts.get("new", "") == ""
        await arrive(pilot, screen, root, WATER_COPIES)
        assert screen.status.parts["new"] == "1 story arrived (N: newest)"
        await arrive(pilot, screen, root, {"en/news/ap/water.en.md": article(*ARRIVED)})
        assert screen.status.parts["new"] == "1 story arrived (N: newest)"  # it arrived whole

    run_app_test(make_app(root, group_stories=True), scenario)


def test_counted_by_article_new_counts_every_article_that_arrived(make_app, archive_factory):
    root = archive_factory(sample_files() | COPIES)

    async def scenario(pilot, screen):
        await arrive(pilot, screen, root, RATES_COPIES | WATER_COPIES)
        assert screen.status.parts["new"] == "4 articles arrived (N: newest)"

    run_app_test(make_app(root, group_stories=True, count_by="articles"), scenario)


def test_the_rest_of_a_first_scan_cut_short_is_counted_so_far(make_app, archive_factory,
                                                             ui_settings, monkeypatch):
    """A quit during the first scan left 5 of 12 files cached; the next start's scan of
    the rest said "5 in view · 5 unread of 5", as if that were the archive (it showed
    "29,700 … of 29,700 │ Scanning 46,700/70,300" at 100k)."""
    root = archive_factory(sample_files(12))
    monkeypatch.setattr(scan_module, "_BATCH", 5)
    quit_ = threading.Event()
    Archive.open(root, ui_settings).scan(lambda done, total: done and quit_.set(), quit_)
    assert len(Archive.open(root, ui_settings).cached()) == 5
    release = hold_scan_at_batch(monkeypatch, 1)  # the next start's scan, held

    async def during(pilot, screen):
        await until(pilot, lambda: screen.scanning and screen.loaded.is_set())
        await until(pilot, lambda: view(screen) == "5 in view · 5 unread of 5 found so far")
        assert screen.tree.border_title == "Groups so far"

    async def after(pilot, screen):
        assert view(screen) == "12 in view · 12 unread of 12"
        assert screen.tree.border_title == "Groups"

    run_held(make_app(root), release, during, after)

    async def third(pilot, screen):  # the scan of the whole archive ended: complete
        assert view(screen) == "12 in view · 12 unread of 12"
        assert screen.tree.border_title == "Groups"

    run_app_test(make_app(root), third)


def test_the_rest_of_a_first_scan_cut_short_is_shown_as_it_is_found(make_app, archive_factory,
                                                                     ui_settings, monkeypatch):
    """The scan completing a first scan cut short showed nothing it found until it ended: at
    100k the list stayed at 77,200 for 27 s, then jumped to 100,000.  Like a first scan, it
    shows what is found so far as it goes, the cursor kept on the article it was on."""
    root = archive_factory(sample_files(20))
    monkeypatch.setattr(scan_module, "_BATCH", 5)
    quit_ = threading.Event()
    Archive.open(root, ui_settings).scan(lambda done, total: done and quit_.set(), quit_)
    assert len(Archive.open(root, ui_settings).cached()) == 5
    release = hold_scan_at_batch(monkeypatch, 3)  # the next start's: 2 batches of 15 done

    async def during(pilot, screen):
        await until(pilot, lambda: screen.scanning and screen.loaded.is_set())
        await until(pilot, lambda: len(screen.article_list.rows) >= 5)
        screen.set_focus(screen.article_list)
        await pilot.press("j")  # (not `press`: it waits for the held scan)
        on = screen.article_list.current.path
        await until(pilot, lambda: len(screen.article_list.rows) == 15)
        assert screen.article_list.current.path == on
        assert screen.tree.counts[ALL].total == 15
        assert view(screen).endswith("of 15 found so far")
        assert screen.scanning

    async def after(pilot, screen):
        assert view(screen) == "20 in view · 20 unread of 20"

    run_held(make_app(root), release, during, after)


def test_the_status_says_what_arrived_while_open_not_what_new_holds(make_app,
                                                                   archive_factory):
    """New holds what was first seen since the previous visit began (what arrived during
    it too); the status counts what arrived while the reader is open, since the user
    last looked at the newest.  It said "1 new (N: newest)" beside `New 2/2` (the attack
    saw 238 against 2,321)."""
    root = archive_factory(sample_files())

    async def first(pilot, screen):
        await arrive(pilot, screen, root, {"en/news/wire/before.en.md": article(
            "Written during the previous visit", "2025-03-01 09:00:00", "Before.\n")})

    run_app_test(make_app(root), first)

    async def second(pilot, screen):
        await arrive(pilot, screen, root, {"en/news/wire/open.en.md": article(
            "Written while the reader is open", "2025-03-01 11:00:00", "While open.\n")})
        assert screen.tree._group_nodes[NEW].label.count == "2/2"
        assert screen.status.parts["new"] == "1 arrived (N: newest)"

    run_app_test(make_app(root), second)


def write_files(root, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def test_a_change_recounts_a_searchs_hits_as_the_list_counted_them(make_app,
                                                                   archive_factory):
    """Counted by article, a search's copies folded under their story's row are counted:
    a folded copy deleted left "3 articles in view" (the rows were counted, not the
    hits) until the search ran again."""
    root = archive_factory(sample_files() | COPIES)

    async def scenario(pilot, screen):
        await press(pilot, "slash", *"central", "enter")
        assert view(screen) == "3 articles in view · 15 unread of 15 in All"
        folded = "en/news/tradingview/rates.en.md"
        assert folded not in {a.path for a in screen.article_list.rows}
        (root / folded).unlink()
        services = screen.services
        change = services.apply_scan(services.scan_paths([folded]))
        screen.on_catalog_changed(CatalogChanged(change))  # as the scan worker's message
        assert view(screen) == "2 articles in view · 14 unread of 14 in All"

    run_app_test(make_app(root, count_by="articles"), scenario)
