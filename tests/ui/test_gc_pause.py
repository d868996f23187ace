"""Loading a large catalog pauses the garbage collector, then sets the catalog aside,
without keeping the garbage made meanwhile."""

from __future__ import annotations

import gc
import threading
import tracemalloc
import weakref

import pytest

import reader.session.catalog as catalog_module
from reader.archive import Archive
from reader.session.gc_pause import gc_paused
from reader.session.services import Services
from tests.ui.conftest import article, sample_files


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    (gc.enable if was else gc.disable)()


class Litter:
    """A cycle (it refers to itself) holding 100 KB: garbage only a collection frees."""

    def __init__(self) -> None:
        self.me = self
        self.blob = bytearray(100_000)


def litter(count: int) -> list[weakref.ref]:
    """Make `count` cycles in another thread and drop them; weak references to each."""
    refs: list[weakref.ref] = []
    maker = threading.Thread(target=lambda: refs.extend(weakref.ref(Litter())
                                                        for _ in range(count)))
    maker.start()
    maker.join(60)
    return refs


def test_collection_is_off_inside_and_back_on_after():
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_objects_built_inside_are_frozen_out_of_later_collections():
    before = gc.get_freeze_count()
    with gc_paused():
        catalog = [[i] for i in range(1000)]  # lists are tracked by the collector
    assert gc.get_freeze_count() >= before + len(catalog)


def test_cycles_another_thread_makes_during_a_pause_are_freed():
    with gc_paused():
        refs = litter(1000)
    gc.collect()
    assert sum(ref() is not None for ref in refs) == 0


def test_a_cycle_of_objects_set_aside_earlier_is_freed_by_the_next_pause():
    with gc_paused():
        kept = [Litter() for _ in range(100)]  # alive at the freeze: set aside
    refs = [weakref.ref(x) for x in kept]
    del kept  # now unreachable cycles, among the frozen objects
    with gc_paused():
        pass
    assert sum(ref() is not None for ref in refs) == 0


def test_memory_stays_flat_over_20_rescans(archive_factory, settings, monkeypatch):
    """A whole catalog is built in a pause, while another thread makes 1 MB of cyclic
    garbage, and a rescan's delta makes a new snapshot: none of either stays."""
    root = archive_factory(sample_files())
    services = Services(Archive.open(root, settings), settings)
    fold_titles = catalog_module.folded_titles
    made: list[weakref.ref] = []
    monkeypatch.setattr(catalog_module, "folded_titles",
                        lambda titles: (made.extend(litter(10)), fold_titles(titles))[1])
    tracemalloc.start()
    try:
        memory = []
        for i in range(20):
            (root / "en/news/wire/changing.en.md").write_text(
                article(f"Changed {i}", "2025-03-01 10:00:00", "Text."), encoding="utf-8")
            if i % 2:
                services.take(services.apply_scan(services.scan()))
            else:
                services.set_articles(services.scan().articles)
            gc.collect()
            memory.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
        services.close()
    assert len(made) == 200 and sum(ref() is not None for ref in made) == 0
    assert memory[-1] - memory[1] < 1_000_000, [m // 1000 for m in memory]


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


def test_a_small_load_makes_no_full_collection(archive_factory, settings):
    """A first look's 200 articles are loaded while the reader hurries to draw them: no
    pause, so no full collection at its end (~50 ms of the GIL, as the reader starts)."""
    services = Services(Archive.open(archive_factory(sample_files()), settings), settings)
    articles = services.scan().articles
    full: list[int] = []

    def collected(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    gc.disable()  # only the collections the load asks for itself
    gc.callbacks.append(collected)
    try:
        loaded = services.load(articles)
    finally:
        gc.callbacks.remove(collected)
        gc.enable()
        services.close()
    assert len(loaded.catalog) == len(articles) and not full
