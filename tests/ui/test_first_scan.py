"""A first scan (no metadata cache yet) lets the user browse what it has found so far,
and every pane tells the same story meanwhile: the tree's counts, the list, the
article pane and the status are all of what is found so far, and say so."""

from __future__ import annotations

import asyncio
import threading

import reader.archive.scan as scan_module
import reader.ui.screens.background as background_module
from reader.session.listing import ALL
from reader.ui.screens.background import Background
from tests.ui.conftest import sample_files, settle, until


def hold_scan_at_batch(monkeypatch, batch: int) -> threading.Event:
    """Scan 5 files a batch and hold the scan before parsing batch `batch` (1-based) until
    the returned event is set; every progress report is a look at what is found."""
    monkeypatch.setattr(scan_module, "_BATCH", 5)
    monkeypatch.setattr(Background, "scan_preview_interval", 0.0)
    monkeypatch.setattr(background_module, "PREVIEW_COST_FACTOR", 0.0)  # a look at each batch
    release, batches = threading.Event(), []
    parse_batch = scan_module._parse_batch

    def parse_then_hold(*args):
        batches.append(1)
        if len(batches) == batch:
            release.wait(60)
        return parse_batch(*args)

    monkeypatch.setattr(scan_module, "_parse_batch", parse_then_hold)
    return release


def run_held(app, release: threading.Event, during, after) -> None:
    async def main() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            app.screen.preview_delay = 0
            try:
                await during(pilot, app.screen)
            finally:
                release.set()
            await settle(pilot)
            await after(pilot, app.screen)

    asyncio.run(main())


def test_a_first_scan_shows_one_story_in_every_pane(make_app, archive_factory, monkeypatch):
    release = hold_scan_at_batch(monkeypatch, 3)  # 10 of the 12 files are in the cache
    app = make_app(archive_factory(sample_files(12)))

    async def during(pilot, screen):
        await until(pilot, lambda: len(screen.article_list.rows) == 10)
        rows = screen.article_list.rows
        assert [a.date for a in rows] == sorted((a.date for a in rows), reverse=True)
        tree = screen.tree
        await until(pilot, lambda: screen.article_pane.shown_path == rows[0].path)
        assert tree.border_title == "Groups so far"
        assert (tree.counts[ALL].total, tree.counts[ALL].unread) == (10, 10)
        assert "10/10" in str(tree._group_nodes[ALL].label)
        await until(pilot, lambda: tree.cursor_node is tree._group_nodes[ALL])
        assert screen.status.parts["view"] == "10 in view · 10 unread of 10 found so far"
        assert screen.status.parts["scan"] == "Scanning 10/12"
        assert screen.scanning

    async def after(pilot, screen):
        assert len(screen.article_list.rows) == 12
        assert screen.tree.border_title == "Groups"
        assert "12/12" in str(screen.tree._group_nodes[ALL].label)
        assert screen.status.parts["view"] == "12 in view · 12 unread of 12"

    run_held(app, release, during, after)


def test_the_groups_found_so_far_can_be_browsed_and_marked(make_app, archive_factory,
                                                           monkeypatch):
    release = hold_scan_at_batch(monkeypatch, 3)
    app = make_app(archive_factory(sample_files(12)))

    async def during(pilot, screen):
        await until(pilot, lambda: len(screen.article_list.rows) == 10)
        found_en = [a for a in screen.article_list.rows if a.lang == "en"]
        screen.tree.select_key(("lang", "en"))
        await until(pilot, lambda: len(screen.article_list.rows) == len(found_en))
        assert f"{len(found_en)}/{len(found_en)}" in str(
            screen.tree._group_nodes[("lang", "en")].label)
        await pilot.press("m")  # read: the tree's counts follow
        await pilot.pause()
        assert "9/10" in str(screen.tree._group_nodes[ALL].label)

    async def after(pilot, screen):
        assert screen.group == ("lang", "en")  # the cursor kept its group through rebuilds
        assert "11/12" in str(screen.tree._group_nodes[ALL].label)

    run_held(app, release, during, after)


def test_before_anything_is_found_the_article_pane_says_the_scan_runs(
        make_app, archive_factory, monkeypatch):
    release = hold_scan_at_batch(monkeypatch, 1)
    app = make_app(archive_factory(sample_files(12)))

    async def during(pilot, screen):
        header = screen.article_pane.query_one("#article-header")
        await until(pilot, lambda: "Scanning the archive" in str(header.content))
        assert screen.status.parts["view"] == "0 in view · 0 unread of 0 found so far"
        await until(pilot, lambda: screen.status.parts["scan"] == "Scanning 0/12")
        assert screen.tree.border_title == "Groups so far"

    async def after(pilot, screen):
        assert len(screen.article_list.rows) == 12

    run_held(app, release, during, after)


def test_once_rows_are_found_the_pane_no_longer_says_none_is(make_app, archive_factory,
                                                             monkeypatch):
    """The first rows came with the pane still saying "no article found yet" until the
    cursor's article was previewed (a frame in tmux; as long as the preview's delay)."""
    release = hold_scan_at_batch(monkeypatch, 1)
    app = make_app(archive_factory(sample_files(12)))

    async def during(pilot, screen):
        header = screen.article_pane.query_one("#article-header")
        await until(pilot, lambda: "no article found yet" in str(header.content))
        screen.preview_delay = 3600  # (the preview would replace it: it does not come)
        release.set()
        await until(pilot, lambda: len(screen.article_list.rows) > 0)
        assert "no article found yet" not in str(header.content)

    async def after(pilot, screen):
        assert len(screen.article_list.rows) == 12

    run_held(app, release, during, after)
