"""The config file's [[rules]] tables, edited as text (adding, editing, deleting a rule
from the reader): reader/session/config_tables.py does the editing, keeping every
byte outside those tables.  A rule named as its query is written without a name."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from reader.config import Rule, read_rules, rule_of, rule_problem
from reader.session.config_tables import TableKind, file_entries, write_entries


def _pairs(rule: Rule) -> tuple[tuple[str, str], ...]:
    named = (("name", rule.name),) if rule.name != rule.query else ()
    return (*named, ("query", rule.query), ("action", rule.action))


RULES = TableKind("rules", read_rules, rule_problem, make=rule_of,
                  name_of=lambda rule: rule.name, pairs=_pairs)


def file_rules(path: Path) -> list[Rule]:
    """The rules the config file holds now (none if it cannot be read)."""
    return file_entries(RULES, path)


def write_rules(path: Path, rules: Sequence[Rule], was: Sequence[str] = ()) -> None:
    """Write `rules` as the config file's [[rules]] tables (see write_entries); `was[i]`:
    the name `rules[i]` has in the file now, when an edit changed it."""
    write_entries(RULES, path, rules, was)
