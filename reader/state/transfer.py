"""The state as a JSON document: written by export, checked and merged by import.

The format is documented in docs/state-format.md.  Merging is per article and
per field (read, starred): the side whose change is newer wins; on a tie the
local state stays.  A field whose change time is null was never set and never
wins.  An entry whose path this archive does not have is matched by its link
and title when exactly one article has them (and no other entry claims them);
otherwise it is kept under its own path, for a file that may appear later.

Change times must lie from 1970-01-01 to a day past this machine's clock: a
document holding any other is refused.  A store may already hold one (written
before imports checked them); a merge and an export treat it as the oldest
possible time, the epoch, and the export says so in its `notes`.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import IO, Mapping

from reader.archive.model import Article
from reader.state.model import (READ, STAR, ImportReport, datetime_to_us, is_trusted, iso_to_us,
                                now_us, stored_time, us_to_datetime, us_to_iso)
from reader.state.errors import StateError
from reader.textsafe import json_text

FORMAT = "newsreader-state"
VERSION = 1
_FIELDS = {READ: ("read", "read_changed"), STAR: ("starred", "starred_changed")}
UNTRUSTED_AS = 0  # what an export writes for a stored time outside the range: the epoch


class TransferError(StateError):
    """A state document that cannot be imported; nothing was written."""


@dataclass(frozen=True, slots=True)
class Entry:
    path: str
    title: str
    link: str
    fields: dict[int, tuple[bool, int]]  # field -> (value, changed at, µs); set fields only


@dataclass(slots=True)
class Update:
    path: str
    title: str | None
    link: str | None
    fields: dict[int, tuple[bool, int, bool, int | None]] = field(default_factory=dict)
    # field -> (new value, new time, previous value, previous time)


# -- export ---------------------------------------------------------------------------

def build_document(rows: list[tuple], known: Mapping[str, Article],
                   now: int | None = None) -> dict:
    """rows: (path, read, read_at, starred, star_at, title, link), sorted by path; `now`:
    this machine's clock (µs).  A stored time an import would refuse is written as the
    epoch, and the document's `notes` say which and what it was."""
    now = now_us() if now is None else now
    articles, notes = [], []
    for path, read, read_at, starred, star_at, title, link in rows:
        article = known.get(path)
        entry = {"path": path,
                 "title": title or (article.title if article else ""),
                 "link": link or (article.link if article else "")}
        for fld, value, at in ((READ, read, read_at), (STAR, starred, star_at)):
            key, key_at = _FIELDS[fld]
            at = stored_time(value, at)
            if at is not None and not is_trusted(at, now):
                notes.append(f"{path}: {key_at} was {_describe(at)}, outside the times an "
                             f"import accepts; written as {us_to_iso(UNTRUSTED_AS)}")
                at = UNTRUSTED_AS
            entry[key], entry[key_at] = bool(value), us_to_iso(at)
        articles.append(entry)
    exported = datetime.fromtimestamp(now // 1_000_000, timezone.utc).isoformat(
        timespec="seconds").replace("+00:00", "Z")
    doc = {"format": FORMAT, "version": VERSION, "exported_at": exported}
    if notes:
        doc["notes"] = notes
    doc["articles"] = articles
    return doc


def _describe(at: object) -> str:
    """A stored time for a note: ISO 8601 when a datetime can hold it, else the raw value."""
    if isinstance(at, int) and datetime_to_us(us_to_datetime(at)) == at:  # not clamped
        return us_to_iso(at)
    return f"{at!r} microseconds since the epoch"


def write_document(doc: dict, out: IO[str]) -> None:
    """Write `doc` as JSON with one article per line: stable, diffable, streamable."""
    out.write("{\n")
    for key in ("format", "version", "exported_at"):
        out.write(f"  {json.dumps(key)}: {json.dumps(doc[key])},\n")
    if doc.get("notes"):  # one per line, like the articles
        notes = ",\n    ".join(json_text(note) for note in doc["notes"])
        out.write(f'  "notes": [\n    {notes}\n  ],\n')
    out.write('  "articles": [')
    for i, entry in enumerate(doc["articles"]):
        out.write(",\n    " if i else "\n    ")
        out.write(json_text(entry))  # titles are data: C1 and bidi controls escaped
    out.write("\n  ]\n}\n" if doc["articles"] else "]\n}\n")


# -- import ---------------------------------------------------------------------------

def load_document(text: str, source: str = "input") -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TransferError(f"{source} is not valid JSON (line {exc.lineno}, column "
                            f"{exc.colno}: {exc.msg}); nothing was imported") from None
    except RecursionError:
        raise TransferError(f"{source} is nested too deeply to be a newsreader state export; "
                            "nothing was imported") from None
    except ValueError:  # json refuses integers of more than 4,300 digits
        raise TransferError(f"{source} holds a number of thousands of digits, which no state "
                            "export has; nothing was imported") from None
    if not isinstance(data, dict):
        raise TransferError(f"{source} is not a newsreader state export (a JSON object is "
                            "expected); nothing was imported")
    return data


def parse_document(data: object, now: int | None = None) -> list[Entry]:
    """Check a whole document before anything is written; TransferError names the first fault.
    `now`: this machine's clock (µs), which no change time may pass by more than a day."""
    now = now_us() if now is None else now
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TransferError(f'not a newsreader state export: "format" must be "{FORMAT}"')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TransferError('"version" must be a positive whole number')
    if version > VERSION:
        raise TransferError(f"the export is format version {version}; this newsreader reads "
                            f"up to {VERSION}: upgrade newsreader to import it")
    items = data.get("articles")
    if not isinstance(items, list):
        raise TransferError('"articles" must be a list')
    entries, seen = [], set()
    for i, item in enumerate(items):
        entry = _parse_entry(item, i, now)
        if entry.path in seen:
            raise TransferError(f"articles[{i}]: path {entry.path!r} appears twice")
        seen.add(entry.path)
        entries.append(entry)
    return entries


def _parse_entry(item: object, i: int, now: int) -> Entry:
    where = f"articles[{i}]"
    if not isinstance(item, dict):
        raise TransferError(f"{where} must be an object")
    path = item.get("path")
    if not isinstance(path, str) or not path.strip():
        raise TransferError(f'{where}: "path" must be a non-empty string')
    path = unicodedata.normalize("NFC", path)
    if path.startswith("/") or "\\" in path or ".." in path.split("/"):
        raise TransferError(f'{where}: "path" must be relative to the archive: {path!r}')
    _check_text(path, where, "path")
    texts = {}
    for key in ("title", "link"):
        value = item.get(key, "")
        if not isinstance(value, str):
            raise TransferError(f'{where}: "{key}" must be a string')
        texts[key] = _check_text(value, where, key)
    fields = {}
    for fld, (key, key_at) in _FIELDS.items():
        value, when = item.get(key, False), item.get(key_at)
        if not isinstance(value, bool):
            raise TransferError(f'{where}: "{key}" must be true or false')
        if when is None:
            continue
        try:
            at = iso_to_us(when)
        except (TypeError, ValueError, AttributeError):
            raise TransferError(f'{where}: "{key_at}" must be an ISO 8601 time with a zone '
                                f'or null, not {when!r}') from None
        if not is_trusted(at, now):
            raise TransferError(f'{where}: "{key_at}" must lie between {us_to_iso(0)} and a '
                                f'day past this machine\'s clock ({us_to_iso(now)}), not '
                                f'{when!r}: check the clock of the machine that wrote it')
        fields[fld] = (value, at)
    return Entry(path, texts["title"], texts["link"], fields)


def _check_text(value: str, where: str, key: str) -> str:
    """`value` if it is text that can be stored: a lone surrogate (such as "\\ud800",
    which JSON can escape) is not."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise TransferError(f'{where}: "{key}" holds {value[exc.start]!r}, half of a '
                            "surrogate pair, which is not text") from None
    return value


def plan_batch(entries: list[Entry], targets: Mapping[str, str], local: Mapping[str, tuple],
               report: ImportReport, now: int | None = None) -> list[Update]:
    """Decide, per entry and field, whether the import wins; `local`: path -> (read,
    read_at, starred, star_at) of the entries' targets; `now`: this machine's clock (µs),
    to tell a local time out of range (it counts as the epoch).  Counts each verdict in
    `report`; returns the updates to write."""
    now = now_us() if now is None else now
    updates = []
    for entry in entries:
        path = targets[entry.path]
        update, verdict = _merge_entry(entry, path, local.get(path), now)
        if update.fields:
            updates.append(update)
        if verdict == "changed":
            report.changed += 1
        elif verdict == "kept":
            report.kept_local += 1
        else:
            report.unchanged += 1
    return updates


def _merge_entry(entry: Entry, path: str, row: tuple | None,
                 now: int) -> tuple[Update, str]:
    row = row or (0, None, 0, None)
    update = Update(path, entry.title or None, entry.link or None)
    verdict = "same"
    for fld, (value, at) in entry.fields.items():
        prev, prev_at = bool(row[2 * fld]), row[2 * fld + 1]
        # A local time out of range (stored before imports were checked) counts as what
        # its export writes, the epoch: else a far-future one would win every merge forever.
        local_at = prev_at if prev_at is None or is_trusted(prev_at, now) else UNTRUSTED_AS
        if local_at is None or at > local_at:
            update.fields[fld] = (value, at, prev, prev_at)
            if value != prev:
                verdict = "changed"
        elif value != prev and verdict == "same":
            verdict = "kept"
    return update, verdict


def resolve_paths(entries: list[Entry], known: Mapping[str, Article] | None,
                  report: ImportReport) -> dict[str, str]:
    """Entry path -> the path to store it under (see the module doc); `known`: the
    archive's articles (None: no archive to match the entries against, so none is
    reported as unknown).  Counts the matches and misses in `report`."""
    targets = {e.path: e.path for e in entries}
    if known is None:
        return targets
    strays = [e for e in entries if e.path not in known]
    if not strays:
        return targets
    by_pair: dict[tuple[str, str], list[str]] = {}
    for article in known.values():
        if article.link:
            by_pair.setdefault((article.link, article.title), []).append(article.path)
    claimed: dict[tuple[str, str], int] = {}
    for e in entries:
        claimed[(e.link, e.title)] = claimed.get((e.link, e.title), 0) + 1
    for e in strays:
        pair = (e.link, e.title)
        matches = by_pair.get(pair, []) if e.link else []
        if len(matches) == 1 and claimed[pair] == 1 and matches[0] not in targets:
            targets[e.path] = matches[0]
            report.matched_by_link += 1
        else:
            report.unknown_paths.append(e.path)
    return targets
