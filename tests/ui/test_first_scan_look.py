"""A first scan's first look at what it has found comes with its first batch (the newest
files: reader/archive/scan.py parses them first), not after the preview interval."""

from __future__ import annotations

import threading

import reader.archive.scan as scan_module
from tests.ui.conftest import sample_files, until
from tests.ui.test_first_scan import run_held


def test_the_first_batch_is_listed_at_once(make_app, archive_factory, monkeypatch):
    monkeypatch.setattr(scan_module, "_BATCH", 5)  # the interval stays the default (2 s)
    release, batches = threading.Event(), []
    parse_batch = scan_module._parse_batch

    def hold_the_second(*args):
        batches.append(1)
        if len(batches) == 2:
            release.wait(60)
        return parse_batch(*args)

    monkeypatch.setattr(scan_module, "_parse_batch", hold_the_second)
    app = make_app(archive_factory(sample_files(12)))

    async def during(pilot, screen):
        await until(pilot, lambda: len(screen.article_list.rows) == 5)
        assert screen.status.parts["scan"] == "Scanning 5/12"

    async def after(pilot, screen):
        assert len(screen.article_list.rows) == 12

    run_held(app, release, during, after)
