"""A full disk, a read-only file, a lock held elsewhere: none of them is damage.

The reviewer's case: with the data dir on a full filesystem, opening the reader said the
state file "is damaged (database or disk is full)" and moved it aside, healthy and holding
every mark.  Only a file that fails its integrity check is moved aside now; the others are
left where they are, with a message that says marks cannot be saved now.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess

import pytest
from conftest import article_text

from reader.archive import Archive
from reader.config import Settings
from reader.state import (STATE_FILE_NAME, DamagedStateError, StateBusyError, StateError,
                          StateStore, StateUnwritableError, saved_marks)
from reader.state import schema

MARKED = [f"content/en/news/s/{i}.en.md" for i in range(40)]


def corrupt_files(folder):
    return sorted(p.name for p in folder.iterdir() if ".corrupt-" in p.name)


def fill(folder):
    """Write a file in `folder` until its filesystem has no byte left."""
    with open(folder / "filler", "wb", buffering=0) as out:
        for size in (65536, 1):
            try:
                while True:
                    out.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB filesystem (a tmpfs), where the test may mount one: root, and mount works."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def marked_store(path):
    with StateStore.open(path) as store:
        store.mark_read(MARKED)
        store.toggle_star(MARKED[0])


def test_a_full_disk_at_open_leaves_every_mark_where_it_was(small_disk):
    path = small_disk / STATE_FILE_NAME
    marked_store(path)
    fill(small_disk)
    with pytest.raises(StateUnwritableError) as caught:
        StateStore.open(path, recover=True)
    message = str(caught.value)
    assert "the disk is full" in message and "marks cannot be saved now" in message
    assert "damaged" not in message
    assert corrupt_files(small_disk) == [] and path.exists()
    assert saved_marks(path) == (set(MARKED), {MARKED[0]})  # still readable meanwhile
    (small_disk / "filler").unlink()  # space again: everything is there, and writes work
    with StateStore.open(path) as store:
        assert store.notice is None
        assert store.read_set() == set(MARKED) and store.starred_set() == {MARKED[0]}
        assert store.mark_read(["after.md"]) == 1


def test_the_reader_shows_the_saved_marks_while_the_disk_is_full(small_disk, archive_factory):
    from reader.session.services import Services

    settings = Settings(data_root=small_disk / "data", config_path=small_disk / "none.toml")
    archive = Archive.open(archive_factory({p: article_text(p) for p in MARKED[:3]}), settings)
    marked_store(archive.data_dir / STATE_FILE_NAME)
    fill(small_disk)
    services = Services(archive, settings, open_link=lambda url: True)
    try:
        notices = services.open_state()
        assert len(notices) == 1 and "the disk is full" in notices[0]
        assert "marks are not saved this session" in notices[0]
        assert services.is_read(MARKED[1]) and services.is_starred(MARKED[0])
    finally:
        services.close()
    assert corrupt_files(archive.data_dir) == []


def services_on(disk, archive_factory, count: int, padding: str = ""):
    """(archive, Services with its state open and `count` articles loaded, the errors it
    reports) with the data dir on `disk`."""
    from reader.session.services import Services

    settings = Settings(data_root=disk / "data", config_path=disk / "none.toml")
    files = {f"content/en/news/s/{i}.en.md": article_text(f"Story {i} {padding}")
             for i in range(count)}
    archive = Archive.open(archive_factory(files), settings)
    services = Services(archive, settings, open_link=lambda url: True)
    errors: list[str] = []
    services.on_error = errors.append
    services.on_notice = lambda message: errors.append(f"notice: {message}")
    assert services.open_state() == []
    services.set_articles(archive.scan().articles)
    return archive, services, errors


def test_a_disk_that_fills_while_reading_says_so_and_keeps_every_earlier_mark(
        small_disk, archive_factory):
    archive, services, errors = services_on(small_disk, archive_factory, 400, "long " * 40)
    try:
        first, *rest = services.articles
        services.set_read([first])
        services.flush()
        fill(small_disk)
        services.set_read(rest)  # neither the journal nor the database can take them
        services.flush()
        assert errors and "the disk is full" in errors[0] and "cannot be saved now" in errors[0]
        assert "saved once the disk takes writes again" in errors[0]
        assert services.store.read_set() == {first.path}
        services.retry_unsaved()  # the reader's timer: still full, still held
        services.flush()
        assert services.store.unsaved == 1 and services.is_read(rest[0].path)
    finally:
        lost = services.close()
    assert lost == 1  # the one change held in memory: the reader says so as it quits
    (small_disk / "filler").unlink()
    with StateStore.open(archive.data_dir / STATE_FILE_NAME) as store:
        assert store.read_set() == {first.path}
    assert corrupt_files(archive.data_dir) == []


def test_marks_a_full_disk_refused_are_saved_once_it_has_room_again(small_disk,
                                                                   archive_factory):
    """The attack's case: `A` on a full disk showed every article read, said the marks
    could not be saved, and lost them all, though space was freed before the quit."""
    archive, services, errors = services_on(small_disk, archive_factory, 50)
    try:
        first, *rest = services.articles
        services.set_read([first])
        services.flush()
        fill(small_disk)
        services.set_read(rest)
        services.toggle_star(rest[0])
        services.flush()
        assert services.store.unsaved == 2
        (small_disk / "filler").unlink()  # room again: the next try saves them, in order
        services.retry_unsaved()
        services.flush()
        assert services.store.unsaved == 0  # said as good news, not as an error
        assert errors[-1].startswith("notice: Read/starred marks saved")
    finally:
        assert services.close() == 0
    with StateStore.open(archive.data_dir / STATE_FILE_NAME) as store:
        assert store.read_set() == {a.path for a in services.articles}
        assert store.starred_set() == {rest[0].path}


# -- errors injected into the open path -----------------------------------------------

def sqlite_error(code: int, name: str, text: str, cls=sqlite3.OperationalError):
    exc = cls(text)
    exc.sqlite_errorcode, exc.sqlite_errorname = code, name
    return exc


FULL = sqlite_error(13, "SQLITE_FULL", "database or disk is full")
READONLY = sqlite_error(8, "SQLITE_READONLY", "attempt to write a readonly database")
BUSY = sqlite_error(5, "SQLITE_BUSY", "database is locked")
IOERR = sqlite_error(4874, "SQLITE_IOERR_SHMSIZE", "disk I/O error")
CANTOPEN = sqlite_error(14, "SQLITE_CANTOPEN", "unable to open database file")
CORRUPT = sqlite_error(11, "SQLITE_CORRUPT", "database disk image is malformed",
                       sqlite3.DatabaseError)
NOTADB = sqlite_error(26, "SQLITE_NOTADB", "file is not a database", sqlite3.DatabaseError)

LEFT_ALONE = {"full": (FULL, StateUnwritableError, "the disk is full"),
              "readonly": (READONLY, StateUnwritableError, "it is read-only"),
              "cantopen": (CANTOPEN, StateUnwritableError, "it is read-only"),
              "busy": (BUSY, StateBusyError, "locked by another process"),
              "ioerror": (IOERR, StateUnwritableError, "the disk reported an error")}


class Failing:
    """A connection whose statements containing `sql` raise `error`."""

    def __init__(self, con, sql, error):
        self._con, self._sql, self._error = con, sql, error

    def execute(self, statement, *args):
        if self._sql in statement:
            raise self._error
        return self._con.execute(statement, *args)

    def __getattr__(self, name):
        return getattr(self._con, name)


def inject(monkeypatch, where, error):
    """Make `error` happen at `where`: the connect, the integrity check, the schema."""
    connect = schema.connect

    def failing(path):
        if where == "connect":
            raise error
        return Failing(connect(path), {"check": "quick_check", "schema": "CREATE"}[where],
                       error)

    monkeypatch.setattr(schema, "connect", failing)


@pytest.mark.parametrize("where", ["connect", "check"])
@pytest.mark.parametrize("kind", sorted(LEFT_ALONE))
def test_an_error_that_is_not_damage_leaves_the_file_in_place(tmp_path, monkeypatch, where,
                                                             kind):
    error, raised, words = LEFT_ALONE[kind]
    path = tmp_path / STATE_FILE_NAME
    marked_store(path)
    inject(monkeypatch, where, error)
    with pytest.raises(raised, match=words) as caught:
        StateStore.open(path, recover=True)
    assert not isinstance(caught.value, DamagedStateError)
    assert corrupt_files(tmp_path) == []
    monkeypatch.undo()
    with StateStore.open(path) as store:
        assert store.read_set() == set(MARKED)


@pytest.mark.parametrize("error", [CORRUPT, NOTADB], ids=["corrupt", "notadb"])
@pytest.mark.parametrize("where", ["connect", "check"])
def test_only_damage_moves_the_file_aside(tmp_path, monkeypatch, error, where):
    path = tmp_path / STATE_FILE_NAME
    marked_store(path)
    inject(monkeypatch, where, error)
    with pytest.raises(DamagedStateError):
        StateStore.open(path)
    assert len(corrupt_files(tmp_path)) == 1 and not path.exists()


def test_a_full_disk_while_creating_the_file_is_no_damage_either(tmp_path, monkeypatch):
    inject(monkeypatch, "schema", FULL)
    with pytest.raises(StateUnwritableError, match="the disk is full"):
        StateStore.open(tmp_path / STATE_FILE_NAME, recover=True)
    assert corrupt_files(tmp_path) == []


def test_an_io_error_on_a_disk_without_space_is_called_a_full_disk(tmp_path, monkeypatch):
    from reader.state import errors

    monkeypatch.setattr(errors, "_free_bytes", lambda folder: 4096)
    assert errors.kind_of(IOERR, tmp_path) == "full"
    assert errors.kind_of(IOERR) == "io"


def test_every_refusal_is_a_state_error_with_one_line():
    from reader.state.errors import kind_of, refusal

    for error in (FULL, READONLY, BUSY, IOERR, CANTOPEN):
        exc = refusal(schema.Path("/x/state.sqlite3"), error, kind_of(error))
        assert isinstance(exc, StateError) and "\n" not in str(exc)
