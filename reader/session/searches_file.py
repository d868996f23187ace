"""The config file's [[searches]] tables, edited as text (saving, renaming, moving,
deleting a saved search from the reader).

The file is never rewritten from the parsed data, so the user's other settings,
comments and layout stay as they were: each `[[searches]]` table (its header up
to the next table's) is a block.  The blocks of valid saved searches are slots:
the new list fills them in order, each search with the block it had (moved, with
its comments; a renamed or edited one keeps its old block's comments), more
searches are appended as new tables, fewer leave slots empty.  tomlkit is not
installed (the reader needs no new dependency for this), and this keeps every
byte outside those blocks.  The new text is parsed back before it is written
(atomically, by a rename): if it would not read as exactly these searches and the
same other settings, nothing is written and the error says to edit by hand.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Sequence

from reader.config import ConfigError, SavedSearch, read_searches, search_problem

_HEADER = re.compile(r"\s*\[\[\s*searches\s*\]\]\s*(#.*)?$")
_TABLE = re.compile(r"\s*\[")
_KEPT = re.compile(r"\s*(#.*)?$")  # a comment or blank line of a block: kept on edits


def write_searches(path: Path, searches: Sequence[SavedSearch],
                   was: Sequence[str | None] = (),
                   expected: Sequence[SavedSearch] | None = None) -> None:
    """Write `searches` as the config file's [[searches]] tables, keeping the rest of the
    file as it is; `was[i]`: the name `searches[i]` has in the file now (renamed), if
    any.  Raises ConfigError (nothing written) when that cannot be done safely, or when
    the file's searches are not `expected` (when given): the file is read once, checked
    and edited as read, and replaced only if it still reads so."""
    text, before = _read(path, expected)
    new = searches_text(text, searches, was)
    _check(new, before, searches, path)
    _replace(path, new, text if expected is not None else None)


def _read(path: Path, expected: Sequence[SavedSearch] | None) -> tuple[str, dict]:
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        before = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        if expected:  # it held them when the reader read it
            raise _changed(path) from None
        raise ConfigError(f"cannot read {path} to save the searches: {exc}") from None
    if expected is not None and \
            list(read_searches(before.get("searches", []), path)[0]) != list(expected):
        raise _changed(path)  # never overwrite what the user wrote meanwhile
    return text, before


def _replace(path: Path, new: str, was: str | None) -> None:
    """`path` atomically replaced by `new`, unless it no longer holds `was` (when given)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(new)
        if was is not None and _now(path) != was:  # edited by hand while this was made
            raise _changed(path)
        os.replace(tmp, path)
    except ConfigError:
        os.unlink(tmp)
        raise
    except OSError as exc:
        os.unlink(tmp)
        raise ConfigError(f"cannot write {path}: {exc}") from None


def _now(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError):
        return None


def _changed(path: Path) -> ConfigError:
    return ConfigError(f"{path}: its [[searches]] were changed since the reader read "
                       "them; restart the reader to edit them here")


def searches_text(text: str, searches: Sequence[SavedSearch],
                  was: Sequence[str | None] = ()) -> str:
    """`text` (a config file) with its saved searches' blocks filled by `searches`, in
    order; each search's block is the one it had (under the name `was` gives, else its
    own), moved to its slot, or a new one."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    slots = _slots(lines)
    blocks = {search.name: (search, lines[start:end]) for start, end, search in slots}
    names = list(was) + [None] * (len(searches) - len(was))
    new = [_block(search, *blocks.get(name or search.name, (None, [])))
           for search, name in zip(searches, names)]
    out: list[str] = []
    at = 0
    for (start, end, _), block in zip(slots, new + [[]] * len(slots)):
        out += lines[at:start] + block
        at = end
    out += lines[at:]
    for block in new[len(slots):]:
        if out and out[-1].strip():
            out.append("\n")
        out += block
    return "".join(out)


def _slots(lines: list[str]) -> list[tuple[int, int, SavedSearch]]:
    """(first line, line after, search) of each block holding a valid saved search."""
    starts = [i for i, line in enumerate(lines) if _HEADER.match(line)]
    slots, seen = [], {}
    for start in starts:
        end = next((i for i in range(start + 1, len(lines)) if _TABLE.match(lines[i])),
                   len(lines))
        try:
            table = tomllib.loads("".join(lines[start:end]))["searches"][0]
        except (tomllib.TOMLDecodeError, KeyError, IndexError):
            continue
        if not search_problem(table, seen):
            search = SavedSearch(table["name"].strip(), table["query"].strip())
            seen[search.name] = search
            slots.append((start, end, search))
    return slots


def _block(search: SavedSearch, was: SavedSearch | None, old: list[str]) -> list[str]:
    """The lines of `search`'s table: the old block's as they are when it is the same
    search, else new ones with the old block's comments and blank lines."""
    if search == was:
        return old
    kept = [line for line in old[1:] if _KEPT.match(line)]
    return ["[[searches]]\n", f"name = {_string(search.name)}\n",
            f"query = {_string(search.query)}\n", *kept]


def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def _check(new: str, before: dict, searches: Sequence[SavedSearch], path: Path) -> None:
    try:
        after = tomllib.loads(new)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: saving the searches would make it unreadable ({exc}); "
                          "edit its [[searches]] tables by hand") from None
    found, _ = read_searches(after.get("searches", []), path)
    others = {k: v for k, v in after.items() if k != "searches"}
    if list(found) != list(searches) or others != {k: v for k, v in before.items()
                                                   if k != "searches"}:
        raise ConfigError(f"{path}: its [[searches]] tables could not be rewritten safely "
                          "(nothing was written); edit them by hand")
