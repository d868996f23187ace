"""Changes kept in a journal (journal.py) that the database may not hold yet: writing
them, replaying those of a process that died, and showing them in the marks read back.

A replayed change wins only where it is newer than what the database holds, so it
never undoes a later change another process made meanwhile, and replaying it twice
changes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from reader.state import writes
from reader.state.errors import StateError
from reader.state.journal import Change
from reader.state.pool import ConnectionPool

REPLAY_WAIT_S = 1.0  # how long an open waits for the write lock to replay a dead journal


@dataclass(frozen=True, slots=True)
class Acknowledged:
    """A change kept in this process's journal; `StateStore.save` writes it."""

    change: Change
    items: tuple  # the paths or Articles it was given
    articles: writes.ArticleLookup = None  # titles and links to keep beside the marks
    journaled: bool = True  # False: the journal could not be written (a full disk), the
    # change is held in memory only until a write succeeds


def write(pool: ConnectionPool, item: Acknowledged, only_newer: bool = False) -> int:
    """Write one acknowledged change; returns how many articles it changed."""
    change = item.change
    rows = writes.rows_of(item.items, item.articles)
    with pool.writing() as con:
        return writes.apply(con, change.field, rows, change.value, change.at,
                            change.label if change.undoable else None, only_newer, change.own)


def replay(pool: ConnectionPool, changes: list[Change]) -> bool:
    """Write a dead process's changes in one transaction; False when the database
    cannot take them now (locked for over REPLAY_WAIT_S, full, read-only)."""
    if not changes:
        return True
    try:
        with pool.writing(REPLAY_WAIT_S) as con:
            for change in changes:
                writes.apply(con, change.field, writes.rows_of(change.paths, None),
                             change.value, change.at,
                             change.label if change.undoable else None, only_newer=True,
                             own=change.own)
    except StateError:
        return False
    return True


def overlay(con: sqlite3.Connection, changes: list[Change], field: int,
            marked: set[str]) -> set[str]:
    """`marked` (the paths whose `field` is set in the database) with `changes` applied
    where they are newer than the database's."""
    mine = sorted((c for c in changes if c.field == field), key=lambda c: c.at)
    if not mine:
        return marked
    paths = sorted({p for c in mine for p in c.paths})
    column_at = writes.COLUMNS[field][1]
    times = dict(con.execute(f"SELECT path, {column_at} FROM marks WHERE path IN "
                             f"(SELECT value FROM json_each(?))", (json.dumps(paths),)))
    for change in mine:
        for path in change.paths:
            if times.get(path) is None or times[path] < change.at:
                (marked.add if change.value else marked.discard)(path)
                times[path] = change.at
    return marked
