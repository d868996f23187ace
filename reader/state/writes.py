"""The SQL of the store's writes: bulk marks through a staging table, logged for undo, imports.

Every function runs inside a transaction the caller opened (`BEGIN IMMEDIATE`).
A bulk mark stages its paths in a temporary table and changes the marks in
set-based statements, so 100,000 articles take well under a second.
"""

from __future__ import annotations

import sqlite3
from typing import Iterable, Mapping, Union

from reader.archive.model import Article
from reader.state import transfer, undo_log
from reader.state.model import COLUMNS, READ, STAR

PathsOrArticles = Iterable[Union[str, Article]]
ArticleLookup = Union[Mapping[str, Article], Iterable[Article], None]


def stage(con: sqlite3.Connection, rows: list[tuple]) -> None:
    con.execute("CREATE TEMP TABLE IF NOT EXISTS staged "
                "(path TEXT PRIMARY KEY, title TEXT, link TEXT) WITHOUT ROWID")
    con.execute("DELETE FROM temp.staged")
    con.executemany("INSERT INTO temp.staged VALUES (?, ?, ?)", rows)


def upsert_staged(con: sqlite3.Connection, field: int, value: bool, now: int,
                  own: bool = False) -> int:
    """Set `field` to `value` for the staged paths where it differs (`own`: or where the
    user never marked it: reader/state/rule_marks.py); returns how many."""
    column, column_at = COLUMNS[field]
    cursor = con.execute(
        f"INSERT INTO marks (path, {column}, {column_at}, title, link) "
        f"SELECT s.path, ?, ?, s.title, s.link FROM temp.staged s "
        f"LEFT JOIN marks m ON m.path = s.path WHERE {undo_log.differs(field, own)} "
        f"ON CONFLICT (path) DO UPDATE SET {column} = excluded.{column}, "
        f"{column_at} = excluded.{column_at}, title = coalesce(excluded.title, marks.title), "
        f"link = coalesce(excluded.link, marks.link)", (int(value), now, int(value)))
    return cursor.rowcount


def apply(con: sqlite3.Connection, field: int, rows: list[tuple], value: bool, now: int,
          label: str | None, only_newer: bool = False, own: bool = False) -> int:
    """Set `field` to `value` for `rows` (path, title, link) where it differs, logged as an
    undoable bulk change unless `label` is None; returns how many changed.  `only_newer`:
    leave the articles whose field changed at `now` or later (a replayed change).  `own`:
    written where the user never marked the field too (a rule's mark overruled)."""
    stage(con, rows)
    if only_newer:
        column_at = COLUMNS[field][1]
        con.execute(f"DELETE FROM temp.staged WHERE path IN "
                    f"(SELECT path FROM marks WHERE {column_at} >= ?)", (now,))
    step = None
    if label is not None:
        step = undo_log.open_step(con, label, now)
        undo_log.log_staged(con, step, field, value, now, own)
    changed = upsert_staged(con, field, value, now, own)
    if step is not None:
        undo_log.finish_step(con, step, changed)
    return changed


def upsert(con: sqlite3.Connection, field: int, rows: list[tuple], value: bool, now: int) -> None:
    column, column_at = COLUMNS[field]
    con.executemany(
        f"INSERT INTO marks (path, {column}, {column_at}, title, link) VALUES (?, ?, ?, ?, ?) "
        f"ON CONFLICT (path) DO UPDATE SET {column} = excluded.{column}, "
        f"{column_at} = excluded.{column_at}, title = coalesce(excluded.title, marks.title), "
        f"link = coalesce(excluded.link, marks.link)",
        [(path, int(value), now, title, link) for path, title, link in rows])


def local_marks(con: sqlite3.Connection, paths: list[str]) -> dict[str, tuple]:
    """path -> (read, read_at, starred, star_at) of those of `paths` the store holds."""
    stage(con, [(path, None, None) for path in paths])
    return {r[0]: r[1:] for r in con.execute(
        "SELECT m.path, m.read, m.read_at, m.starred, m.star_at FROM temp.staged s "
        "JOIN marks m ON m.path = s.path")}


def apply_import(con: sqlite3.Connection, change_id: int | None,
                 updates: list[transfer.Update], now: int, entries: int) -> int:
    """Write a batch of an import's winning fields, logged in the import's one bulk change
    (`change_id`, or a new one for the first batch); returns the change's id."""
    if change_id is None:
        change_id = undo_log.open_step(con, f"import of {entries:,} entries", now)
    for field, (column, column_at) in COLUMNS.items():
        winners = [(u.path, u.title, u.link) + u.fields[field]
                   for u in updates if field in u.fields]
        con.executemany(
            f"INSERT INTO marks (path, {column}, {column_at}, title, link) "
            f"VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
            f"{column} = excluded.{column}, {column_at} = excluded.{column_at}, "
            f"title = coalesce(marks.title, excluded.title), "
            f"link = coalesce(marks.link, excluded.link)",
            [(path, int(value), at, title, link)
             for path, title, link, value, at, _, _ in winners])
        undo_log.log_items(con, change_id, [(path, field, int(prev), prev_at, at, int(value))
                                            for path, _, _, value, at, prev, prev_at in winners])
    undo_log.finish_step(con, change_id, len(updates))
    return change_id


def lookup(articles: ArticleLookup) -> Mapping[str, Article]:
    if articles is None:
        return {}
    if isinstance(articles, Mapping):
        return articles
    return {a.path: a for a in articles}


def rows_of(paths: PathsOrArticles, articles: ArticleLookup) -> list[tuple[str, str | None, str | None]]:
    """(path, title, link) for each distinct path, titles and links where known."""
    known = lookup(articles)
    rows: dict[str, tuple[str, str | None, str | None]] = {}
    for item in paths:
        article = item if isinstance(item, Article) else known.get(item)
        path = item.path if isinstance(item, Article) else item
        if article is None:
            rows[path] = (path, None, None)
        else:
            rows[path] = (path, article.title, article.link)
    return list(rows.values())
