"""Loading a large catalog pauses the garbage collector, then sets the catalog aside."""

from __future__ import annotations

import gc
import threading

import pytest

from reader.ui.gc_pause import gc_paused


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    (gc.enable if was else gc.disable)()


def test_collection_is_off_inside_and_back_on_after():
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_objects_built_inside_are_frozen_out_of_later_collections():
    before = gc.get_freeze_count()
    with gc_paused():
        catalog = [[i] for i in range(1000)]  # lists are tracked by the collector
    assert gc.get_freeze_count() >= before + len(catalog)


def test_collection_resumes_only_when_the_last_of_two_overlapping_loads_ends():
    first_inside, release = threading.Event(), threading.Event()

    def load():
        with gc_paused():
            first_inside.set()
            release.wait(60)

    worker = threading.Thread(target=load)
    worker.start()
    first_inside.wait(60)
    with gc_paused():
        pass
    assert not gc.isenabled()  # the worker's load is still going
    release.set()
    worker.join(60)
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off():
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_an_error_inside_still_turns_collection_back_on():
    with pytest.raises(RuntimeError):
        with gc_paused():
            raise RuntimeError("a broken catalog")
    assert gc.isenabled()
