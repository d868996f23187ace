"""A first open lists the first look's newest articles (reader/archive/first_look.py,
started as the CLI starts it) before the first scan has walked the folder: as what the
scan has found so far, every pane telling that story; the scan then ends as any."""

from __future__ import annotations

import threading

import reader.archive.scan as scan_module
from reader.session.catalog import order_key
from tests.ui.conftest import run_app_test, sample_files, until
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


def test_the_watch_and_the_warm_up_wait_for_the_first_look_to_be_drawn(
        make_app, archive_factory, monkeypatch):
    """At a first open, what would hold the GIL while the first look's rows are drawn
    starts once they are: the folder's watch (watchfiles sets up its watches holding the
    GIL, ~0.5 s at 100,000 files), the first scan that waits for it, and the searcher's
    warm-up (OpenCC's dictionaries)."""
    from reader.archive import watch
    from reader.session.search import Searcher

    app = make_app(archive_factory(sample_files(12)), watch=True)
    rows_then: dict[str, int] = {}  # what the list held as each started
    for owner, name, what in ((watch.ArchiveWatcher, "__init__", "watch"),
                              (Searcher, "warm_up", "warm-up")):
        def started(*args, _real=getattr(owner, name), _what=what, **kwargs):
            rows_then.setdefault(_what, len(app.screen.article_list.rows))
            return _real(*args, **kwargs)
        monkeypatch.setattr(owner, name, started)
    app.services.archive.look_ahead()  # as the CLI, before the app starts

    async def scenario(pilot, screen):
        await until(pilot, lambda: len(rows_then) == 2 and screen.watching.batches >= 1
                    and not screen.scanning)
        assert rows_then == {"watch": 12, "warm-up": 12}
        assert screen.status.parts["scan"] == "Scanned: +12 ~0 -0"

    run_app_test(app, scenario)
