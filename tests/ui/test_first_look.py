"""A first open lists the first look's newest articles (reader/archive/first_look.py,
started as the CLI starts it) before the first scan has walked the folder: as what the
scan has found so far, every pane telling that story; the scan then ends as any."""

from __future__ import annotations

import threading

import reader.archive.scan as scan_module
from reader.session.catalog import order_key
from tests.ui.conftest import sample_files, until
from tests.ui.test_first_scan import run_held


def hold_the_walk(monkeypatch) -> threading.Event:
    release = threading.Event()
    real_walk = scan_module.walk

    def held(*args, **kwargs):
        release.wait(60)
        yield from real_walk(*args, **kwargs)

    monkeypatch.setattr(scan_module, "walk", held)
    return release


def test_the_first_look_is_listed_before_the_scan_walks(make_app, archive_factory,
                                                        monkeypatch):
    release = hold_the_walk(monkeypatch)
    app = make_app(archive_factory(sample_files(12)))
    app.services.archive.look_ahead()  # as the CLI, before the app starts

    async def during(pilot, screen):
        await until(pilot, lambda: len(screen.article_list.rows) == 12)
        rows = screen.article_list.rows
        assert rows == sorted(rows, key=order_key)
        assert screen.tree.border_title == "Groups so far"
        await until(pilot, lambda: screen.article_pane.shown_path == rows[0].path)
        assert screen.scanning and screen.background.first_scan  # the scan's own previews

    async def after(pilot, screen):
        assert screen.status.parts["scan"] == "Scanned: +12 ~0 -0"
        assert screen.tree.border_title == "Groups"
        cached = sorted(app.services.archive.cached(), key=order_key)
        assert list(screen.article_list.rows) == cached

    run_held(app, release, during, after)
