"""A damaged or unreadable state file: a clear message, and the file kept aside, never emptied."""

from __future__ import annotations

import os
from pathlib import Path
import sqlite3

import pytest

from reader.state import DamagedStateError, StateError, StateStore


@pytest.fixture
def state(tmp_path):
    return tmp_path / "state.sqlite3"


def filled(state, n=2000):
    with StateStore.open(state) as store:
        store.mark_read([f"{i}.md" for i in range(n)])
    return state.read_bytes()


def aside_files(state):
    return sorted(p.name for p in state.parent.iterdir() if ".corrupt-" in p.name)


def test_garbage_file_is_kept_aside_with_a_clear_message(state):
    state.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DamagedStateError) as caught:
        StateStore.open(state)
    kept = caught.value.kept_at
    assert kept.read_bytes() == b"this is not a database at all" * 100
    assert str(kept) in str(caught.value) and "damaged" in str(caught.value)
    assert not state.exists()  # moved, not replaced behind the user's back


def test_damaged_pages_are_detected_and_kept(state):
    original = filled(state)
    damaged = bytearray(original)
    page = 4096
    damaged[page * 2:page * 2 + 600] = b"\xa5" * 600  # scramble a b-tree page
    state.write_bytes(bytes(damaged))
    with pytest.raises(DamagedStateError) as caught:
        StateStore.open(state)
    assert caught.value.kept_at.read_bytes() == bytes(damaged)
    assert "was not replaced" in str(caught.value)


def test_recover_starts_fresh_and_carries_the_notice(state):
    state.write_bytes(b"\x00garbage" * 64)
    with StateStore.open(state, recover=True) as store:
        assert store.notice and "damaged" in store.notice
        assert store.read_set() == set()
        store.mark_read(["new.md"])
    assert len(aside_files(state)) == 1
    with StateStore.open(state) as store:
        assert store.notice is None and store.is_read("new.md")


def test_a_sound_file_gives_no_notice(state):
    filled(state, 10)
    with StateStore.open(state, recover=True) as store:
        assert store.notice is None and len(store.read_set()) == 10


def test_wal_companions_move_with_the_damaged_file(state):
    state.write_bytes(b"junk" * 300)
    state.with_name("state.sqlite3-wal").write_bytes(b"wal frames")
    with pytest.raises(DamagedStateError) as caught:
        StateStore.open(state)
    kept = caught.value.kept_at
    assert kept.with_name(kept.name + "-wal").read_bytes() == b"wal frames"
    assert not state.with_name("state.sqlite3-wal").exists()


def test_two_damages_in_the_same_second_keep_both(state):
    for content in (b"first junk" * 50, b"second junk" * 50):
        state.write_bytes(content)
        with pytest.raises(DamagedStateError):
            StateStore.open(state)
    kept = aside_files(state)
    assert len(kept) == 2
    assert {(state.parent / k).read_bytes() for k in kept} == {b"first junk" * 50,
                                                              b"second junk" * 50}


def test_another_sqlite_database_is_not_taken_over(state):
    con = sqlite3.connect(state)
    con.execute("CREATE TABLE notes (x)")
    con.execute("INSERT INTO notes VALUES ('mine')")
    con.commit()
    con.close()
    with pytest.raises(DamagedStateError, match="not a newsreader state file"):
        StateStore.open(state)
    assert len(aside_files(state)) == 1


def test_a_newer_format_is_left_in_place(state):
    filled(state, 3)
    con = sqlite3.connect(state)
    con.execute("PRAGMA user_version = 99")
    con.close()
    with pytest.raises(StateError, match="newer newsreader") as caught:
        StateStore.open(state, recover=True)
    assert not isinstance(caught.value, DamagedStateError)
    assert state.exists() and aside_files(state) == []


def test_an_unreadable_file_is_left_in_place(state, monkeypatch):
    filled(state, 3)
    state.chmod(0)
    if os.geteuid() == 0:  # root may read anything: answer as the system would for a user
        access = os.access
        monkeypatch.setattr(os, "access",
                            lambda p, mode: False if Path(p) == state else access(p, mode))
    try:
        with pytest.raises(StateError, match="permission denied"):
            StateStore.open(state, recover=True)
        assert aside_files(state) == []
    finally:
        state.chmod(0o600)


def test_a_state_path_that_cannot_be_read_is_left_in_place(state):
    state.mkdir()  # unreadable as a file even for root
    with pytest.raises(StateError, match="cannot read the state file") as caught:
        StateStore.open(state, recover=True)
    assert not isinstance(caught.value, DamagedStateError)
    assert state.is_dir() and aside_files(state) == []


def test_a_folder_in_the_way_is_a_clear_error(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StateError, match="cannot create the folder"):
        StateStore.open(blocker / "state.sqlite3")
