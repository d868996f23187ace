"""The SQL of the store's writes: bulk marks through a staging table, the undo log, imports.

Every function runs inside a transaction the caller opened (`BEGIN IMMEDIATE`).
A bulk mark stages its paths in a temporary table and changes the marks in
set-based statements, so 100,000 articles take well under a second.
"""

from __future__ import annotations

import sqlite3
from typing import Iterable, Mapping, Union

from reader.archive.model import Article
from reader.state import transfer
from reader.state.model import READ, STAR

UNDO_DEPTH = 10  # bulk changes the undo log keeps
COLUMNS = {READ: ("read", "read_at"), STAR: ("starred", "star_at")}
PathsOrArticles = Iterable[Union[str, Article]]
ArticleLookup = Union[Mapping[str, Article], Iterable[Article], None]


def stage(con: sqlite3.Connection, rows: list[tuple]) -> None:
    con.execute("CREATE TEMP TABLE IF NOT EXISTS staged "
                "(path TEXT PRIMARY KEY, title TEXT, link TEXT) WITHOUT ROWID")
    con.execute("DELETE FROM temp.staged")
    con.executemany("INSERT INTO temp.staged VALUES (?, ?, ?)", rows)


def log_bulk(con: sqlite3.Connection, field: int, value: bool, now: int, label: str) -> int:
    column, column_at = COLUMNS[field]
    change_id = con.execute("INSERT INTO bulk_changes (at, label, count) VALUES (?, ?, 0)",
                            (now, label)).lastrowid
    con.execute(
        f"INSERT INTO bulk_items (change_id, path, field, prev, prev_at, new_at) "
        f"SELECT ?, s.path, ?, coalesce(m.{column}, 0), m.{column_at}, ? "
        f"FROM temp.staged s LEFT JOIN marks m ON m.path = s.path "
        f"WHERE coalesce(m.{column}, 0) != ?", (change_id, field, now, int(value)))
    return change_id


def finish_log(con: sqlite3.Connection, change_id: int, changed: int) -> None:
    if changed == 0:
        con.execute("DELETE FROM bulk_changes WHERE id = ?", (change_id,))
        return
    con.execute("UPDATE bulk_changes SET count = ? WHERE id = ?", (changed, change_id))
    trim_log(con)


def trim_log(con: sqlite3.Connection) -> None:
    """Keep the last UNDO_DEPTH bulk changes (their items go with them)."""
    con.execute("DELETE FROM bulk_changes WHERE id NOT IN "
                "(SELECT id FROM bulk_changes ORDER BY id DESC LIMIT ?)", (UNDO_DEPTH,))


def upsert_staged(con: sqlite3.Connection, field: int, value: bool, now: int) -> int:
    """Set `field` to `value` for the staged paths where it differs; returns how many."""
    column, column_at = COLUMNS[field]
    cursor = con.execute(
        f"INSERT INTO marks (path, {column}, {column_at}, title, link) "
        f"SELECT s.path, ?, ?, s.title, s.link FROM temp.staged s "
        f"LEFT JOIN marks m ON m.path = s.path WHERE coalesce(m.{column}, 0) != ? "
        f"ON CONFLICT (path) DO UPDATE SET {column} = excluded.{column}, "
        f"{column_at} = excluded.{column_at}, title = coalesce(excluded.title, marks.title), "
        f"link = coalesce(excluded.link, marks.link)", (int(value), now, int(value)))
    return cursor.rowcount


def apply(con: sqlite3.Connection, field: int, rows: list[tuple], value: bool, now: int,
          label: str | None, only_newer: bool = False) -> int:
    """Set `field` to `value` for `rows` (path, title, link) where it differs, logged as an
    undoable bulk change unless `label` is None; returns how many changed.  `only_newer`:
    leave the articles whose field changed at `now` or later (a replayed change)."""
    stage(con, rows)
    if only_newer:
        column_at = COLUMNS[field][1]
        con.execute(f"DELETE FROM temp.staged WHERE path IN "
                    f"(SELECT path FROM marks WHERE {column_at} >= ?)", (now,))
    change_id = log_bulk(con, field, value, now, label) if label is not None else None
    changed = upsert_staged(con, field, value, now)
    if change_id is not None:
        finish_log(con, change_id, changed)
    return changed


def upsert(con: sqlite3.Connection, field: int, rows: list[tuple], value: bool, now: int) -> None:
    column, column_at = COLUMNS[field]
    con.executemany(
        f"INSERT INTO marks (path, {column}, {column_at}, title, link) VALUES (?, ?, ?, ?, ?) "
        f"ON CONFLICT (path) DO UPDATE SET {column} = excluded.{column}, "
        f"{column_at} = excluded.{column_at}, title = coalesce(excluded.title, marks.title), "
        f"link = coalesce(excluded.link, marks.link)",
        [(path, int(value), now, title, link) for path, title, link in rows])


def restore(con: sqlite3.Connection, change_id: int, now: int) -> int:
    """Put back what bulk change `change_id` replaced, where nothing changed since."""
    untouched = ("b.change_id = ? AND b.path = marks.path AND "
                 "((b.field = 0 AND marks.read_at = b.new_at) OR "
                 "(b.field = 1 AND marks.star_at = b.new_at))")
    restored = con.execute(f"SELECT count(DISTINCT marks.path) FROM bulk_items b JOIN marks "
                           f"ON {untouched}", (change_id,)).fetchone()[0]
    for field, (column, column_at) in COLUMNS.items():
        con.execute(f"UPDATE marks SET {column} = b.prev, {column_at} = ? FROM bulk_items b "
                    f"WHERE b.change_id = ? AND b.field = ? AND b.path = marks.path "
                    f"AND marks.{column_at} = b.new_at", (now, change_id, field))
    return restored


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
        change_id = con.execute("INSERT INTO bulk_changes (at, label, count) VALUES (?, ?, 0)",
                                (now, f"import of {entries} entries")).lastrowid
    con.execute("UPDATE bulk_changes SET count = count + ? WHERE id = ?",
                (len(updates), change_id))
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
        con.executemany(
            "INSERT INTO bulk_items (change_id, path, field, prev, prev_at, new_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(change_id, path, field, int(prev), prev_at, at)
             for path, _, _, _, at, prev, prev_at in winners])
    trim_log(con)
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
