"""The config file's [[searches]] tables, edited as text (saving, renaming, moving,
deleting a saved search from the reader): reader/session/config_tables.py does the
editing, keeping every byte outside those tables."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from reader.config import SavedSearch, read_searches, search_problem
from reader.session.config_tables import TableKind, entries_text, write_entries

SEARCHES = TableKind(
    "searches", read_searches, search_problem,
    make=lambda table: SavedSearch(table["name"].strip(), table["query"].strip()),
    name_of=lambda search: search.name,
    pairs=lambda search: (("name", search.name), ("query", search.query)))


def write_searches(path: Path, searches: Sequence[SavedSearch],
                   was: Sequence[str | None] = (),
                   expected: Sequence[SavedSearch] | None = None) -> None:
    """Write `searches` as the config file's [[searches]] tables (see write_entries)."""
    write_entries(SEARCHES, path, searches, was, expected)


def searches_text(text: str, searches: Sequence[SavedSearch],
                  was: Sequence[str | None] = ()) -> str:
    return entries_text(SEARCHES, text, searches, was)
