"""Visits and first sightings: "new since the last visit" and `added:` dates, kept across a
crash, the first visit as the baseline, a path deleted and added again not new."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest

from reader.state import StateStore
from test_state_support import PYTHON, child_env


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "state.sqlite3"


def visit(store_path):
    """A store opened as the reader opens it: the visit begun and its start saved."""
    store = StateStore.open(store_path)
    store.visits.begin()
    store.visits.save_start()
    return store


def test_the_first_visit_is_the_baseline_and_the_next_sees_what_arrived(store_path):
    with visit(store_path) as store:
        assert store.visits.previous_session_start() is None
        assert sorted(store.visits.see(["a.md", "b.md"], baseline=True)) == ["a.md", "b.md"]
        assert store.visits.new_paths() == set()  # a first run: nothing is new
        assert not store.visits.sighting_is_new(baseline=True)
        store.visits.finish_baseline()  # its first scan ended: the archive seen whole
        assert store.visits.see(["c.md"]) == ["c.md"]  # arrived during the first visit
        assert store.visits.new_paths() == {"c.md"}
        first = store.visits.started
    with StateStore.open(store_path) as cli:  # the CLI, after a first visit: the same
        assert cli.visits.new_paths() == {"c.md"}
    with visit(store_path) as store:
        assert store.visits.previous_session_start() == first
        assert store.visits.new_paths() == {"c.md"}  # it came after the first visit began
        assert store.visits.see(["a.md", "d.md"], baseline=True) == ["d.md"]  # only the
        assert store.visits.sighting_is_new(baseline=True)  # unknown path, and it is new
        assert store.visits.new_paths() == {"c.md", "d.md"}
        second = store.visits.started
    with visit(store_path) as store:  # d.md came after the second visit started: still new
        assert store.visits.previous_session_start() == second
        assert store.visits.new_paths() == {"d.md"}
    with visit(store_path) as store:
        assert store.visits.new_paths() == set()


def test_a_first_visit_killed_during_its_first_scan_leaves_nothing_new(store_path):
    """The attack's case: a first open killed while the status said "found so far"; the
    next visit's scan found the rest of the archive, and New held 9,759 of 9,959.  The
    baseline lasts until a whole scan has ended, in whichever visit."""
    with visit(store_path) as store:
        store.visits.see(["a.md"], baseline=True)  # the first look's, then the kill
    with visit(store_path) as store:
        store.visits.see(["a.md", "b.md"], baseline=True)  # the cache's catalog, the scan's
        assert not store.visits.sighting_is_new(baseline=True)
        assert store.visits.see(["c.md"]) == ["c.md"]  # a watched arrival: new
        store.visits.finish_baseline()
        assert store.visits.new_paths() == {"c.md"}
    with visit(store_path) as store:
        assert store.visits.see(["d.md"], baseline=True) == ["d.md"]  # seen whole before:
        assert store.visits.new_paths() == {"c.md", "d.md"}  # what a scan finds is news


def test_no_visit_no_new_and_added_spans_in_epoch_seconds(store_path):
    with StateStore.open(store_path) as store:  # a store the reader never opened
        assert store.visits.boundary() is None and store.new_set() == set()
        store.visits.see(["x.md"])
        assert store.visits.new_paths() == set()  # new since no visit: nothing
        at = store.visits.first_seen()["x.md"] // 1_000_000
        assert store.added_between(at, at + 1) == {"x.md"}
        assert store.added_between(None, at) == frozenset()
        assert store.added_between(at + 1, None) == frozenset()


def test_a_path_deleted_and_added_again_keeps_its_first_sighting(store_path):
    with visit(store_path) as store:
        store.visits.see(["a.md"])
        seen = store.visits.first_seen(["a.md"])
    with visit(store_path) as store:
        assert store.visits.see(["a.md"]) == []  # deleted meanwhile, and back
        assert store.visits.first_seen(["a.md", "never.md"]) == seen


def test_added_dates_come_from_the_first_sighting(store_path):
    with visit(store_path) as store:
        store.visits.see(["old.md"])
    with visit(store_path) as store:
        start = store.visits.started
        store.visits.see(["new.md"])
        assert store.visits.seen_between(start) == {"new.md"}
        assert store.visits.seen_between(None, start) == {"old.md"}
        assert store.visits.seen_between(start, start + timedelta(days=1)) == {"new.md"}
        assert set(store.visits.first_seen()) == {"old.md", "new.md"}


def test_a_process_without_a_visit_sees_what_the_reader_shows_as_new(store_path):
    """`newsreader search is:new` after (or while) the reader: the same "new"."""
    visit(store_path).close()
    with visit(store_path) as reader:
        reader.visits.see(["n.md"])
        shown = reader.visits.new_paths()
        with StateStore.open(store_path) as cli:
            assert cli.visits.previous_session_start() == reader.visits.previous_session_start()
            assert cli.visits.new_paths() == shown == {"n.md"}


def test_many_paths_are_seen_in_batches(store_path, monkeypatch):
    from reader.state import visits
    monkeypatch.setattr(visits, "SEE_BATCH", 7)
    with StateStore.open(store_path) as store:
        paths = [f"{i}.md" for i in range(30)]
        assert sorted(store.visits.see(paths + paths[:5])) == sorted(paths)
        assert len(store.visits.first_seen()) == 30


def test_sightings_stop_between_batches_as_the_process_ends_and_the_next_start_sees_the_rest(
        store_path, monkeypatch):
    """A quit waited for the sightings of a whole catalog (100,000 paths in two
    transactions: 0.26 s at a load of 12) before the process could end."""
    from reader.session.new_since import NewArrivals
    from reader.state import visits
    monkeypatch.setattr(visits, "SEE_BATCH", 7)
    paths = [f"{i}.md" for i in range(30)]
    with visit(store_path) as store:
        looks = iter(range(100))
        arrivals = NewArrivals()
        assert not arrivals.record(store.visits, paths, baseline=True,
                                   stop=lambda: next(looks) >= 1)  # after one batch
        assert len(store.visits.first_seen()) == 7 and arrivals.paths is None
    with visit(store_path) as store:
        store.visits.see(paths, baseline=True)
        assert len(store.visits.first_seen()) == 30


CRASHED = r"""
import os, signal, sys
from reader.state import StateStore
store = StateStore.open(sys.argv[1])
store.visits.begin()
store.visits.save_start()
print(store.visits.started.isoformat(), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_crashed_visit_still_leaves_its_boundary(store_path):
    visit(store_path).close()
    child = subprocess.run([PYTHON, "-c", CRASHED, str(store_path)], env=child_env(),
                           capture_output=True, text=True, timeout=60)
    assert child.returncode == -9
    with visit(store_path) as store:
        assert store.visits.previous_session_start().isoformat() == child.stdout.strip()
