"""The reader merges its index's segments once the index is idle (reader/ui/screens/
idle_merge.py): the status says so discreetly, the searches move to the merged
segments with the same hits, and new work (a rescan's new file) cancels the merge, is
indexed first, and the merge goes on after.  The index is built in this process with
every commit's segment kept; the merge runs in the writer's spawned child."""

from __future__ import annotations

import threading

from reader.archive import Archive
from reader.index import index_dir_of
from reader.index.store import open_index
from reader.index.whoosh_patches.merge_policy import due_tier
from reader.session.services import Services
from reader.ui.app import NewsReaderApp
from reader.ui.screens.idle_merge import IdleMerge
from reader.ui.widgets.status_bar import StatusBar
from tests.test_index_idle_merge import many_segments
from tests.test_index_merge import QUERIES, hits, segments
from tests.ui.conftest import article, press, run_app_test, until

WAIT = 30.0  # seconds at most a stand-in merge waits for its cancel (it comes at once)
LATER = 3600.0
IDLE = 0.01  # seconds the index is idle before a merge starts (a timer: Textual takes no 0)


def reader_of(archive, settings) -> tuple[NewsReaderApp, Services]:
    archive = Archive.open(archive.root, settings)
    services = Services(archive, settings)
    return NewsReaderApp(archive, settings, services=services), services


def found(services) -> dict:
    """The reader's own hits, as tests/test_index_merge.py's `hits` has them."""
    out = {}
    for query in QUERIES:
        paths = services.searcher.search(query).paths
        out[query] = (sorted(paths), list(paths))
    return out


def test_an_idle_reader_merges_its_index_and_searches_the_merged_segments(
        archive_factory, ui_settings, monkeypatch):
    archive = many_segments(archive_factory, ui_settings, monkeypatch)
    monkeypatch.setattr(IdleMerge, "idle_seconds", IDLE)
    expected = {q: (paths, by_date) for q, (paths, by_date) in hits(archive).items()}
    app, services = reader_of(archive, ui_settings)
    shown, set_part = [], StatusBar.set_part
    monkeypatch.setattr(StatusBar, "set_part",
                        lambda bar, part, text: (shown.append(text), set_part(bar, part, text)))

    async def idle(pilot, screen):
        status = screen.status
        merge = screen.background.merge
        await until(pilot, lambda: len(segments(archive)) == 6 and not merge.running)
        assert "Merging index 1/2" in shown and "Merging index 2/2" in shown
        assert status.parts["index"] == "Index up to date"
        assert found(services) == expected  # no hit lost, none twice
        assert len(services.searcher.index.held_segments()) == 6  # the searcher reopened

    run_app_test(app, idle)
    assert segments(archive) == [2, 2, 2, 2, 16, 16]


def test_merge_when_idle_false_leaves_the_segments(archive_factory, ui_settings,
                                                   monkeypatch):
    from dataclasses import replace

    archive = many_segments(archive_factory, ui_settings, monkeypatch)
    monkeypatch.setattr(IdleMerge, "idle_seconds", IDLE)
    app, _ = reader_of(archive, replace(ui_settings, merge_when_idle=False))

    async def idle(pilot, screen):
        screen.background.merge.when_idle()
        assert not screen.background.merge.running

    run_app_test(app, idle)
    assert len(segments(archive)) == 20


def test_new_files_cancel_the_merge_are_indexed_first_and_the_merge_goes_on(
        archive_factory, ui_settings, monkeypatch):
    archive = many_segments(archive_factory, ui_settings, monkeypatch)
    monkeypatch.setattr(IdleMerge, "idle_seconds", LATER)  # not while the app settles
    app, services = reader_of(archive, ui_settings)
    merge, events = services.searcher.merge, []
    entered = threading.Event()

    def merging(progress, cancel):
        if not events:  # the first merge: under way until new work cancels it
            events.append("merging")
            entered.set()
            events.append("cancelled" if cancel.wait(WAIT) else "not cancelled")
            return ""
        events.append(("merged after", services.searcher.search("新来的").paths))
        return merge(progress, cancel)

    services.searcher.merge = merging

    async def arrivals(pilot, screen):
        monkeypatch.setattr(IdleMerge, "idle_seconds", IDLE)
        screen.background.merge.when_idle()
        await until(pilot, entered.is_set)
        (archive.root / "content/zh-CN/news/a/new.zh-CN.md").write_text(
            article("新来的文章", "2025-03-01 08:00:00", "新来的正文。\n"), encoding="utf-8")
        await press(pilot, "r")
        await until(pilot, lambda: len(events) == 3 and not screen.background.merge.running)

    run_app_test(app, arrivals)
    new = "content/zh-CN/news/a/new.zh-CN.md"
    assert events == ["merging", "cancelled", ("merged after", [new])]
    # (the update's own commit merged the small segments: the child's SMALL_SEGMENT is 500)
    assert sum(segments(archive)) == 41
    assert not due_tier(open_index(index_dir_of(archive))._segments())
