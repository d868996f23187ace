"""A first scan (no metadata cache yet) lets the user browse what it has found so far."""

from __future__ import annotations

import asyncio
import threading

import reader.archive.scan as scan_module
from reader.ui.screens.background import BackgroundWork
from tests.ui.conftest import sample_files, settle, until


def test_a_first_scan_shows_the_newest_articles_found_so_far(make_app, archive_factory,
                                                             monkeypatch):
    root = archive_factory(sample_files(12))
    monkeypatch.setattr(scan_module, "_BATCH", 5)
    monkeypatch.setattr(BackgroundWork, "scan_preview_interval", 0.0)
    release, batches = threading.Event(), []
    parse_batch = scan_module._parse_batch

    def parse_then_hold(*args):
        batches.append(1)
        if len(batches) == 3:  # 10 of the 12 files are in the cache: hold the scan here
            release.wait(60)
        return parse_batch(*args)

    monkeypatch.setattr(scan_module, "_parse_batch", parse_then_hold)
    app = make_app(root)

    async def main() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            screen = app.screen
            try:
                await until(pilot, lambda: len(screen.article_list.rows) == 10)
                rows = screen.article_list.rows
                assert [a.date for a in rows] == sorted((a.date for a in rows), reverse=True)
                assert screen.status.parts["view"] == "10 newest of 10 found so far"
                assert screen.scanning and not screen.services.articles
                await until(pilot, lambda: screen.article_pane.shown_path == rows[0].path)
            finally:
                release.set()
            await settle(pilot)
            assert len(screen.article_list.rows) == 12
            assert screen.status.parts["view"].startswith("12 in view")

    asyncio.run(main())
