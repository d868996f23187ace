"""Array-of-tables sections of the config file (`[[searches]]`, `[[rules]]`), edited as
text (saving, renaming, editing, moving, deleting from the reader).

The file is never rewritten from the parsed data, so the user's other settings,
comments and layout stay as they were: each table of the kind (its header up to
the next table's) is a block.  The blocks of valid entries are slots: the new
list fills them in order, each entry with the block it had (moved, with its
comments; a renamed or edited one keeps its old block's comments), more entries
are appended as new tables, fewer leave slots empty.  tomlkit is not installed
(the reader needs no new dependency for this), and this keeps every byte outside
those blocks.  The new text is parsed back before it is written (atomically, by
a rename): if it would not read as exactly these entries and the same other
settings, nothing is written and the error says to edit by hand.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

from reader.config import ConfigError

_TABLE = re.compile(r"\s*\[")
_KEPT = re.compile(r"\s*(#.*)?$")  # a comment or blank line of a block: kept on edits


@dataclass(frozen=True)
class TableKind:
    """One kind of table: its name in the file, how the config reads the list
    (`read(tables, path)` -> (entries, problems)), what is wrong with one table
    (`problem(table, seen)`), the entry of a valid table, each entry's name, and its
    `key = value` pairs as written."""

    name: str
    read: Callable[[object, Path], tuple[tuple, tuple]]
    problem: Callable[[object, Mapping], str]
    make: Callable[[dict], object]
    name_of: Callable[[object], str]
    pairs: Callable[[object], Sequence[tuple[str, str]]]

    @property
    def header(self) -> re.Pattern:
        return re.compile(rf"\s*\[\[\s*{self.name}\s*\]\]\s*(#.*)?$")


def file_entries(kind: TableKind, path: Path) -> list:
    """The entries of the kind the config file holds now (none if it cannot be read)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    return list(kind.read(raw.get(kind.name, []), path)[0])


def write_entries(kind: TableKind, path: Path, entries: Sequence,
                  was: Sequence[str | None] = (), expected: Sequence | None = None) -> None:
    """Write `entries` as the config file's tables of the kind, keeping the rest of the
    file as it is; `was[i]`: the name `entries[i]` has in the file now (renamed), if
    any.  Raises ConfigError (nothing written) when that cannot be done safely, or when
    the file's entries of the kind are not `expected` (when given: what the reader
    read): the file is read once, checked and edited as read, and replaced only if it
    still reads so (never overwrite what the user wrote meanwhile)."""
    text, before = _read(kind, path, expected)
    new = entries_text(kind, text, entries, was)
    _check(kind, new, before, entries, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(new)
        if expected is not None and _now(path) != text:  # edited by hand meanwhile
            raise _changed(kind, path)
        os.replace(tmp, path)
    except ConfigError:
        os.unlink(tmp)
        raise
    except OSError as exc:
        os.unlink(tmp)
        raise ConfigError(f"cannot write {path}: {exc}") from None


def _read(kind: TableKind, path: Path, expected: Sequence | None) -> tuple[str, dict]:
    if expected and not path.exists():  # it held them when the reader read it
        raise ConfigError(f"{path} was deleted (or moved) since the reader read its "
                          f"[[{kind.name}]]: nothing was saved; put the file back, or "
                          f"restart the reader to start a new one")
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        before = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        if expected:  # it held them when the reader read it
            raise _changed(kind, path) from None
        raise ConfigError(f"cannot read {path} to save the {kind.name}: {exc}") from None
    if expected is not None and \
            list(kind.read(before.get(kind.name, []), path)[0]) != list(expected):
        raise _changed(kind, path)
    return text, before


def _now(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError):
        return None


def _changed(kind: TableKind, path: Path) -> ConfigError:
    return ConfigError(f"{path}: its [[{kind.name}]] were changed since the reader read "
                       "them; restart the reader to edit them here")


def entries_text(kind: TableKind, text: str, entries: Sequence,
                 was: Sequence[str | None] = ()) -> str:
    """`text` (a config file) with its blocks of the kind filled by `entries`, in order;
    each entry's block is the one it had (under the name `was` gives, else its own),
    moved to its slot, or a new one."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    slots = _slots(kind, lines)
    blocks = {kind.name_of(entry): (entry, lines[start:end]) for start, end, entry in slots}
    names = list(was) + [None] * (len(entries) - len(was))
    new = [_block(kind, entry, *blocks.get(name or kind.name_of(entry), (None, [])))
           for entry, name in zip(entries, names)]
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


def _slots(kind: TableKind, lines: list[str]) -> list[tuple[int, int, object]]:
    """(first line, line after, entry) of each block holding a valid entry."""
    starts = [i for i, line in enumerate(lines) if kind.header.match(line)]
    slots, seen = [], {}
    for start in starts:
        end = next((i for i in range(start + 1, len(lines)) if _TABLE.match(lines[i])),
                   len(lines))
        try:
            table = tomllib.loads("".join(lines[start:end]))[kind.name][0]
        except (tomllib.TOMLDecodeError, KeyError, IndexError):
            continue
        if not kind.problem(table, seen):
            entry = kind.make(table)
            seen[kind.name_of(entry)] = entry
            slots.append((start, end, entry))
    return slots


def _block(kind: TableKind, entry, was, old: list[str]) -> list[str]:
    """The lines of `entry`'s table: the old block's as they are when it is the same
    entry, else new ones with the old block's comments and blank lines."""
    if entry == was:
        return old
    kept = [line for line in old[1:] if _KEPT.match(line)]
    return [f"[[{kind.name}]]\n",
            *(f"{key} = {_string(value)}\n" for key, value in kind.pairs(entry)), *kept]


def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def _check(kind: TableKind, new: str, before: dict, entries: Sequence, path: Path) -> None:
    try:
        after = tomllib.loads(new)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: saving the {kind.name} would make it unreadable ({exc}); "
                          f"edit its [[{kind.name}]] tables by hand") from None
    found, _ = kind.read(after.get(kind.name, []), path)
    others = {k: v for k, v in after.items() if k != kind.name}
    if list(found) != list(entries) or others != {k: v for k, v in before.items()
                                                  if k != kind.name}:
        raise ConfigError(f"{path}: its [[{kind.name}]] tables could not be rewritten "
                          "safely (nothing was written); edit them by hand")
