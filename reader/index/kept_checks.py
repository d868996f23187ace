"""The text check's answers, kept per index segment, in memory and in a file.

A hit set's open candidates (reader/index/hit_sets.py) are the articles whose text
must be read to tell whether an inexact leaf (a CJK run of three or more
characters, a phrase) is in it: at 100k articles, 20 saved searches read and fold
some 13,000 files, 3.5-5 s of CPU.  A segment's documents never change (an edited
article is deleted there and added to a new segment), so a leaf's answer for a
document of a segment holds for as long as that segment lives.  The answers are
kept by leaf and segment id: across searchers (after a commit only the new
segments' candidates are read) and across runs, in `text_checks.json` beside the
index (a warm start reads none of those files again).  Segments gone from the
index are dropped at each save, and so is a leaf not asked for in KEEP_DAYS.

The file is a cache: unreadable, of another VERSION or missing, it is taken as
empty; a failure to write it is ignored.  Its answers are those of the text as it
was when checked, which is the text the segment indexed unless the file changed
since (then a new segment, checked afresh, takes it at the next update).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import AbstractSet

from reader.index.query import Node

CHECKS_FILE = "text_checks.json"
VERSION = 1  # bumped whenever the check's answers change (matching.py, set_check.py)
KEEP_DAYS = 30  # a leaf no search asked for in this long is dropped


def leaf_key(node: Node) -> str:
    """A leaf's identity for its answers: its kind, fields and text."""
    return "\x1f".join((node.kind, ",".join(node.fields), node.text))


class KeptChecks:
    """leaf key -> segment id -> {docnum in the segment: matched}; `path` None keeps
    them in memory only."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._leaves: dict[str, dict[str, dict[int, bool]]] | None = None
        self._used: dict[str, int] = {}  # leaf key -> the day it was last asked for
        self._changed = False

    def of(self, leaf: str, segment: str) -> dict[int, bool]:
        """The answers of `leaf` in `segment`, to look up and to fill in (then `changed`)."""
        leaves = self._loaded()
        self._used[leaf] = _today()
        return leaves.setdefault(leaf, {}).setdefault(segment, {})

    def changed(self) -> None:
        self._changed = True

    def leaves(self):
        """The keys of the leaves with answers kept."""
        return self._loaded().keys()

    def reload(self) -> None:
        """Read the file again at the next use (another process wrote it:
        reader/index/warm_checks.py), unless answers were added here since."""
        if not self._changed:
            self._leaves = None

    def save(self, live: AbstractSet[str]) -> None:
        """Write the answers of the segments in `live` (the index's now), if any changed."""
        if not self._changed or self._leaves is None:
            return
        self._changed = False
        oldest = _today() - KEEP_DAYS
        for leaf in list(self._leaves):
            segments = self._leaves[leaf]
            for segment in [s for s in segments if s not in live]:
                del segments[segment]
            if not segments or self._used.get(leaf, 0) < oldest:
                del self._leaves[leaf]
                self._used.pop(leaf, None)
        if self.path is not None:
            _write(self.path, self._leaves, self._used)

    def _loaded(self) -> dict[str, dict[str, dict[int, bool]]]:
        if self._leaves is None:
            self._leaves, self._used = _read(self.path) if self.path is not None else ({}, {})
        return self._leaves


def _today() -> int:
    return int(time.time() // 86400)


def _read(path: Path) -> tuple[dict, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            return {}, {}
        leaves = {leaf: {segment: {**dict.fromkeys(yes, True), **dict.fromkeys(no, False)}
                         for segment, (yes, no) in entry["segments"].items()}
                  for leaf, entry in data["leaves"].items()}
        used = {leaf: int(entry["used"]) for leaf, entry in data["leaves"].items()}
        return leaves, used
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, {}


def _write(path: Path, leaves: dict, used: dict[str, int]) -> None:
    data = {"version": VERSION, "leaves": {
        leaf: {"used": used.get(leaf, _today()), "segments": {
            segment: [[d for d, m in answers.items() if m],
                      [d for d, m in answers.items() if not m]]
            for segment, answers in segments.items()}}
        for leaf, segments in leaves.items()}}
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
