"""The undo log as a stack: every step (a single mark too) undone in turn, redone, kept
across a kill -9 and a restart, bounded, and upgraded from format 1 files."""

from __future__ import annotations

import sqlite3
import subprocess

import pytest

from reader.state import READ, STAR, StateStore, undo_log
from reader.state.schema import SCHEMA_VERSION
from test_state_support import PYTHON, child_env


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "state.sqlite3"


@pytest.fixture
def store(store_path):
    with StateStore.open(store_path) as s:
        yield s


def rows(path, sql):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def steps(path):
    return rows(path, "SELECT count(*), coalesce(sum(count), 0) FROM bulk_changes "
                      "WHERE undone IS NULL")[0]


def test_single_marks_are_steps_undone_newest_first(store):
    store.mark_read(["a.md"], undoable=True, label="mark read a")
    store.mark_starred(["b.md"], undoable=True, label="star b")
    store.mark_read(["c.md", "d.md"])
    assert store.undo().label == "mark read"
    assert store.read_set() == {"a.md"} and store.starred_set() == {"b.md"}
    undone = store.undo()
    assert (undone.label, undone.restored, undone.marks) == ("star b", 1, (("b.md", STAR, False),))
    assert store.starred_set() == set()
    assert store.undo().marks == (("a.md", READ, False),)
    assert store.read_set() == set()
    assert store.undo() is None


def test_undoing_twice_the_same_article_goes_back_step_by_step(store):
    """read, then unread: u makes it read again, and u again unread (the undo of the
    second step re-dates the first, so the first still finds the mark as it left it)."""
    store.mark_read(["x.md"], undoable=True)
    store.mark_read(["x.md"], read=False, undoable=True)
    assert store.undo().restored == 1 and store.is_read("x.md")
    assert store.undo().restored == 1 and not store.is_read("x.md")


def test_redo_puts_back_what_undo_took_and_a_new_step_drops_it(store):
    store.mark_read(["a.md", "b.md"])
    store.undo()
    assert store.read_set() == set()
    redone = store.redo()
    assert redone.restored == 2 and store.read_set() == {"a.md", "b.md"}
    assert store.redo() is None
    assert store.undo().restored == 2 and store.read_set() == set()  # undone again
    store.mark_read(["c.md"], undoable=True)  # a new step: nothing left to redo
    assert store.redo() is None
    assert store.undo().restored == 1 and store.undo() is None


def test_redo_leaves_what_changed_since_the_undo(store):
    store.mark_read(["a.md", "b.md"])
    store.undo()
    store.mark_read(["b.md"], undoable=False)  # not a step: the redo stays
    redone = store.redo()
    assert (redone.restored, redone.left) == (1, 1)


def stored_times(path):
    return rows(path, "SELECT path, read, read_at, starred, star_at FROM marks ORDER BY path")


def test_an_undo_back_to_no_mark_stores_no_time_not_one_before_1970(store, store_path):
    """It stored minus the undo's time: `mark()` said 1914 and an export noted a time
    outside what an import accepts.  No mark is no time, as a mark never made."""
    store.mark_read(["a.md"], undoable=True)
    store.mark_starred(["a.md"], undoable=True)
    store.undo()
    store.undo()
    assert stored_times(store_path) == [("a.md", 0, None, 0, None)]
    mark = store.mark("a.md")
    assert (mark.read, mark.read_at, mark.starred, mark.starred_at) == (False, None, False, None)
    document = store.export_state()
    assert "notes" not in document
    assert document["articles"][0]["read_changed"] is None
    assert store.redo().restored == 1 and store.is_read("a.md")  # still redone
    assert store.redo().restored == 1 and store.is_starred("a.md")


def test_a_time_before_1970_an_older_undo_stored_reads_as_no_time(store, store_path):
    store.mark_read(["a.md"], undoable=True)
    store.undo()
    con = sqlite3.connect(store_path)
    with con:
        con.execute("UPDATE marks SET read_at = -1764633600000000")  # as older files hold
    con.close()
    assert store.mark("a.md").read_at is None
    assert "notes" not in store.export_state()


def test_every_step_is_undone_after_a_restart(store_path):
    with StateStore.open(store_path) as store:
        store.mark_read(["a.md"], undoable=True)
        store.mark_starred(["a.md", "b.md"])
        store.undo()
    with StateStore.open(store_path) as store:
        assert store.redo().restored == 2 and store.starred_set() == {"a.md", "b.md"}
        store.undo()
        assert store.undo().marks == (("a.md", READ, False),)


KILLED = r"""
import os, signal, sys
from reader.state import StateStore
store = StateStore.open(sys.argv[1])
store.mark_read(["saved.md"], undoable=True, label="saved")
store.acknowledge_read(["journal-1.md", "journal-2.md"], undoable=True, label="journaled")
os.kill(os.getpid(), signal.SIGKILL)  # no close: the journal holds the last change
"""


def test_steps_survive_a_kill_9_the_journalled_one_too(store_path):
    StateStore.open(store_path).close()
    child = subprocess.run([PYTHON, "-c", KILLED, str(store_path)], env=child_env(),
                           timeout=60)
    assert child.returncode == -9
    with StateStore.open(store_path) as store:  # replays the journal, as a step
        assert store.read_set() == {"saved.md", "journal-1.md", "journal-2.md"}
        assert store.undo().label == "journaled"
        assert store.undo().label == "saved"
        assert store.read_set() == set()


def test_the_log_is_bounded_by_steps_and_by_marks(store, store_path, monkeypatch):
    monkeypatch.setattr(undo_log, "UNDO_DEPTH", 5)
    monkeypatch.setattr(undo_log, "UNDO_ITEMS", 100)
    for i in range(8):
        store.mark_read([f"{i}-{j}.md" for j in range(10)])
    assert steps(store_path) == (5, 50)
    store.mark_read([f"big-{j}.md" for j in range(150)])  # the newest always stays
    assert steps(store_path) == (1, 150)
    con = sqlite3.connect(store_path)
    assert con.execute("SELECT count(*) FROM bulk_items").fetchone()[0] == 150  # items go too
    con.close()


FORMAT_1 = """
CREATE TABLE marks (path TEXT PRIMARY KEY, read INTEGER NOT NULL DEFAULT 0, read_at INTEGER,
    starred INTEGER NOT NULL DEFAULT 0, star_at INTEGER, title TEXT, link TEXT) WITHOUT ROWID;
CREATE TABLE bulk_changes (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, label TEXT NOT NULL,
    count INTEGER NOT NULL);
CREATE TABLE bulk_items (change_id INTEGER NOT NULL REFERENCES bulk_changes(id)
    ON DELETE CASCADE, path TEXT NOT NULL, field INTEGER NOT NULL, prev INTEGER NOT NULL,
    prev_at INTEGER, new_at INTEGER NOT NULL, PRIMARY KEY (change_id, field, path))
    WITHOUT ROWID;
INSERT INTO marks VALUES ('a.md', 1, 100, 0, NULL, NULL, NULL), ('b.md', 1, 100, 0, NULL,
    NULL, NULL);
INSERT INTO bulk_changes VALUES (1, 100, 'mark read', 2);
INSERT INTO bulk_items VALUES (1, 'a.md', 0, 0, NULL, 100), (1, 'b.md', 0, 0, NULL, 100);
PRAGMA application_id = 1314018132;
PRAGMA user_version = 1;
"""


def test_a_format_1_file_is_upgraded_and_its_last_bulk_change_undone(store_path):
    con = sqlite3.connect(store_path)
    con.executescript(FORMAT_1)
    con.close()
    with StateStore.open(store_path) as store:
        undone = store.undo()
        assert (undone.label, undone.restored) == ("mark read", 2)
        assert store.read_set() == set()
        assert store.redo().restored == 2 and store.read_set() == {"a.md", "b.md"}
        assert store.visits.see(["a.md"]) == ["a.md"]
    con = sqlite3.connect(store_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.close()
