"""An index that a quit cut short goes on as the reader opens, beside the scan.

The index waited for the start's scan to end: under load a reader opened for four
seconds at a time quit before its index had started, and the first index of a 10k
archive never grew.  Now a warm start whose index is not complete starts it at once
from what the cache holds; the scan's changes follow it."""

from __future__ import annotations

import threading

from reader.archive import Archive
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index.store import load_manifest, save_manifest
from reader.session.services import Services
from reader.ui.app import NewsReaderApp
from tests.ui.conftest import Opened, run_app_test

WAIT = 30.0  # seconds at most the scan waits for the index to start (it takes under one)


def cut_short(archive: Archive) -> None:
    """An index of a few articles that a quit left incomplete."""
    update_index(archive, articles=archive.scan().articles[:3])
    index_dir = index_dir_of(archive)
    manifest = load_manifest(index_dir)
    manifest.complete = False
    save_manifest(index_dir, manifest)


def test_an_index_cut_short_goes_on_without_waiting_for_the_scan(ui_archive, ui_settings):
    archive = Archive.open(ui_archive, ui_settings)
    cut_short(archive)
    services = Services(archive, ui_settings, open_link=Opened())
    started, seen_first = threading.Event(), []
    update, scan = services.update_index, services.scan

    def updating(*args, **kwargs):
        started.set()
        return update(*args, **kwargs)

    def scanning(*args, **kwargs):
        seen_first.append(started.wait(WAIT))  # the index began while the scan waited
        return scan(*args, **kwargs)

    services.update_index, services.scan = updating, scanning

    async def opened(pilot, screen):
        assert seen_first == [True]
        assert screen.status.parts["index"] == "Index up to date"

    run_app_test(NewsReaderApp(archive, ui_settings, services=services), opened)
    status = SearchIndex.open(index_dir_of(archive)).status()
    assert status.complete and status.indexed == len(archive.cached())
