"""A mark shown on screen survives a `kill -9` even while another process holds the lock.

The reviewer's case: another process held SQLite's write lock (a large import, another
reader's bulk mark); the reader showed 5 marks, whose writes waited in its queue; it was
killed, and all 5 were lost.  Each mark is now kept in a journal, fsynced, before it is
shown (reader/state/journal.py), and the next open replays it.
"""

from __future__ import annotations

import sqlite3
import subprocess

import pytest
from conftest import article_text

from reader.archive import Archive
from reader.state import STATE_FILE_NAME, StateStore, StateUnwritableError
from test_state_support import PYTHON, child_env

MARKS = 6  # the writer marks articles 0, 2, 4 read and stars 1, 3, 5

# Holds the write lock (BEGIN IMMEDIATE) until a line arrives on stdin.
BLOCKER = r"""
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
con.execute("COMMIT")
"""

# The reader's own path: Services shows a mark at once and queues its write.
WRITER = r"""
import sys
from pathlib import Path
from reader.archive import Archive
from reader.config import Settings
from reader.session.services import Services

root, data = Path(sys.argv[1]), Path(sys.argv[2])
settings = Settings(data_root=data, config_path=data / "none.toml")
archive = Archive.open(root, settings)
services = Services(archive, settings, open_link=lambda url: True)
assert services.open_state() == []
services.set_articles(sorted(archive.scan().articles, key=lambda a: a.path))
print("ready", flush=True)
for line in sys.stdin:
    i = int(line)
    article = sorted(services.articles, key=lambda a: a.path)[i]
    if i % 2:
        assert services.toggle_star(article)
    else:
        assert services.set_read([article]) == [article]
    print("acked", i, flush=True)
"""


def paths_of(n):
    return [f"content/en/news/s/{i:02d}.en.md" for i in range(n)]


@pytest.fixture
def contended(archive_factory, settings):
    """(state path, archive root), the state file made and then locked by another process;
    yields after the lock is held, and releases it at the end."""
    root = archive_factory({p: article_text(f"Story {p}") for p in paths_of(MARKS)})
    path = Archive.open(root, settings).data_dir / STATE_FILE_NAME
    StateStore.open(path).close()
    blocker = subprocess.Popen([PYTHON, "-c", BLOCKER, str(path)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert blocker.stdout.readline().strip() == "held"
    try:
        yield path, root, blocker
    finally:
        if blocker.poll() is None:
            blocker.communicate("\n", timeout=60)


def release(blocker):
    blocker.communicate("\n", timeout=60)
    assert blocker.returncode == 0


def run_writer_and_kill_it(root, settings, count):
    writer = subprocess.Popen([PYTHON, "-c", WRITER, str(root), str(settings.data_root)],
                              env=child_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        for i in range(count):
            writer.stdin.write(f"{i}\n")
            writer.stdin.flush()
            assert writer.stdout.readline().split() == ["acked", str(i)]
    finally:
        writer.kill()  # SIGKILL: its queued writes still wait for the lock
        writer.wait(timeout=60)
    assert writer.returncode == -9


def expected(count):
    paths = paths_of(MARKS)[:count]
    return set(paths[0::2]), set(paths[1::2])


def in_database(path):
    con = sqlite3.connect(path)
    try:
        return ({r[0] for r in con.execute("SELECT path FROM marks WHERE read = 1")},
                {r[0] for r in con.execute("SELECT path FROM marks WHERE starred = 1")})
    finally:
        con.close()


def test_marks_shown_while_another_process_holds_the_lock_survive_kill_9(contended, settings):
    path, root, blocker = contended
    run_writer_and_kill_it(root, settings, MARKS)
    read, starred = expected(MARKS)
    assert in_database(path) == (set(), set())  # the writes never got the lock
    with StateStore.open(path) as store:  # the lock still held: shown from the journal
        assert store.read_set() == read and store.starred_set() == starred
    release(blocker)
    with StateStore.open(path) as store:  # and now replayed into the database
        assert store.read_set() == read and store.starred_set() == starred
    assert in_database(path) == (read, starred)
    assert not list(path.parent.glob(f"{STATE_FILE_NAME}.pending-*"))  # replayed: gone


def test_a_replay_never_undoes_a_later_change(contended, settings):
    path, root, blocker = contended
    run_writer_and_kill_it(root, settings, 1)  # article 0 marked read, then killed
    release(blocker)
    first = paths_of(MARKS)[0]
    con = sqlite3.connect(path, isolation_level=None)  # a later "unread" by another reader
    con.execute("INSERT INTO marks (path, read, read_at) VALUES (?, 0, ?)",
                (first, 2 ** 62))
    con.close()
    with StateStore.open(path) as store:
        assert not store.is_read(first) and store.read_set() == set()


def test_the_journal_is_emptied_once_written_and_gone_after_a_clean_close(tmp_path):
    path = tmp_path / STATE_FILE_NAME
    with StateStore.open(path) as store:
        kept = store.acknowledge_read(["a.md", "b.md"])
        [journal] = path.parent.glob(f"{STATE_FILE_NAME}.pending-*")
        assert journal.stat().st_size > 0
        assert store.save(kept) == 2
        assert journal.stat().st_size == 0
        assert store.last_bulk_change().count == 2  # undoable, as a bulk mark
    assert not journal.exists()
    with StateStore.open(path) as store:
        assert store.read_set() == {"a.md", "b.md"}


def test_a_write_that_failed_is_retried_after_the_next_one(tmp_path, monkeypatch):
    from reader.state import pending

    path = tmp_path / STATE_FILE_NAME
    store = StateStore.open(path)
    first, second = store.acknowledge_read(["a.md"]), store.acknowledge_star(["b.md"], True)

    def full(*args, **kwargs):
        raise StateUnwritableError("the disk is full")

    monkeypatch.setattr(pending, "write", full)
    with pytest.raises(StateUnwritableError, match="kept in .*pending"):
        store.save(first)
    monkeypatch.undo()
    store.save(second)
    assert store.read_set() == {"a.md"} and store.starred_set() == {"b.md"}
    store.close()
    assert not list(tmp_path.glob("*.pending-*"))


def test_a_large_import_lets_other_writers_in_between_its_batches(tmp_path, monkeypatch):
    """The reviewer's case: a 1,000,000-entry import held the write lock for 10 s and
    more, so every reader's mark waited (or failed after 30 s).  It is written in short
    transactions now; in each pause between them another writer takes the lock at once."""
    from reader.state import store as store_module
    from reader.state.pool import ConnectionPool
    from test_state_transfer import document

    n = 1000
    monkeypatch.setattr(store_module, "IMPORT_BATCH", 100)
    monkeypatch.setattr(store_module, "IMPORT_HOLD_S", 0.0)  # one batch per transaction
    path = tmp_path / STATE_FILE_NAME
    importer, other = StateStore.open(path), StateStore.open(path)
    between = []

    def pause():  # instead of sleeping: another writer, which may not wait at all
        with ConnectionPool.writing(other._pool, wait_s=0.001) as con:
            con.execute("INSERT INTO marks (path, read, read_at) VALUES (?, 1, 1)",
                        (f"other/{len(between)}.md",))
        between.append(True)

    monkeypatch.setattr(store_module, "_pause", pause)
    doc = document(*({"path": f"imported/{i}.md", "read": True,
                      "read_changed": "2025-01-01T00:00:00Z"} for i in range(n)))
    report = importer.import_state(doc)
    monkeypatch.undo()
    assert report.changed == n and store_module.IMPORT_PAUSE_S > 0.1  # SQLite's longest nap
    assert len(between) == n // 100 - 1  # a pause between each two transactions
    read = importer.read_set()
    assert len(read) == n + len(between) and "other/0.md" in read
    assert importer.last_bulk_change().count == n  # still one undoable change
    assert importer.undo().restored == n and importer.read_set() == {f"other/{i}.md"
                                                            for i in range(len(between))}
    importer.close()
    other.close()


def test_a_journal_line_cut_by_a_full_disk_does_not_swallow_the_next(tmp_path, monkeypatch):
    import os

    from reader.state import journal as journal_module

    path = tmp_path / STATE_FILE_NAME
    store = StateStore.open(path)
    store.acknowledge_read(["first.md"])
    real_write = os.write

    def half(fd, data):  # the disk fills halfway through the line
        real_write(fd, data[:len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal_module.os, "write", half)
    with pytest.raises(StateUnwritableError, match="No space left"):
        store.acknowledge_read(["lost.md"])
    monkeypatch.undo()
    store.acknowledge_star(["third.md"], True)
    [journal] = tmp_path.glob("*.pending-*")
    changes = journal_module.parse_lines(journal.read_bytes())
    assert [c.paths for c in changes] == [("first.md",), ("third.md",)]
    store.close()
