"""Finding every article file below an archive folder, at any depth.

Symlinked folders are followed once (a symlink loop is noticed, not followed
forever); hidden folders (.git, .hugo_build.lock ...) and Hugo's `_index.md`
section pages are skipped.  Each file comes with the size and mtime the
metadata cache compares.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from reader.archive.model import Problem
from reader.archive.parse import normalize_rel

ARTICLE_SUFFIXES = (".md", ".markdown")
SKIPPED_NAMES = frozenset({"_index.md", "_index.markdown"})
# Repository documents at the top of an archive are not articles.
ROOT_DOCS = frozenset({"readme.md", "license.md", "changelog.md", "contributing.md"})
HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json")


@dataclass(frozen=True, slots=True)
class FoundFile:
    rel: str  # normalized relative path: the article id
    fs_rel: str  # the path as the file system spells it (may differ in normalization)
    size: int
    mtime_ns: int


def walk(root: Path, problems: list[Problem] | None = None) -> Iterator[FoundFile]:
    """Yield article files under `root`; folders or files that can't be listed go to `problems`."""
    problems = [] if problems is None else problems
    root = Path(root)
    seen: set[tuple[int, int]] = set()
    try:
        st = os.stat(root)
        seen.add((st.st_dev, st.st_ino))
    except OSError as exc:
        problems.append(Problem(".", f"cannot open the archive folder: {exc.strerror}"))
        return
    stack = [""]  # a Hugo site's root was narrowed to content/ by Archive.open
    ids: dict[str, str] = {}  # id -> the file that has it
    while stack:
        rel_dir = stack.pop()
        for found in _scan_dir(root, rel_dir, seen, stack, problems):
            first = ids.setdefault(found.rel, found.fs_rel)
            if first == found.fs_rel:
                yield found
            else:  # NFC and NFD spellings of one name, say: both can't be one article
                problems.append(Problem(printable(found.fs_rel), (
                    f"has the same id as {printable(first)!r} (the names differ only in "
                    "Unicode normalization): skipped; rename one of them")))


def site_content(root: Path) -> Path:
    """The folder of a Hugo site that holds its articles (`content/`), else `root`: a site
    opened at its root or at content/ is one archive, with one set of ids and state."""
    is_site = (root / "content").is_dir() and any((root / name).is_file()
                                                  for name in HUGO_CONFIGS)
    return root / "content" if is_site else root  # themes and layouts hold other markdown


def _scan_dir(root, rel_dir, seen, stack, problems) -> Iterator[FoundFile]:
    try:
        entries = sorted(os.scandir(os.path.join(root, rel_dir)), key=lambda e: e.name)
    except OSError as exc:
        problems.append(Problem(rel_dir or ".", f"cannot list folder: {exc.strerror}"))
        return
    for entry in entries:
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        try:
            if entry.is_dir():
                if not entry.name.startswith(".") and _first_visit(entry, seen, rel, problems):
                    if entry.name.lower().endswith(ARTICLE_SUFFIXES):
                        problems.append(Problem(rel, "is a folder, not a file"))
                    stack.append(rel)
                continue
            if not _is_article_name(entry.name, rel_dir):
                continue
            st = entry.stat()
        except OSError as exc:
            problems.append(Problem(rel, _reason(exc)))
            continue
        yield FoundFile(normalize_rel(rel), rel, st.st_size, st.st_mtime_ns)


def printable(fs_rel: str) -> str:
    """A file system path as text that can be shown (bytes that are not UTF-8 as \\xNN)."""
    return os.fsencode(fs_rel).decode("utf-8", errors="backslashreplace")


def _is_article_name(name: str, rel_dir: str) -> bool:
    lower = name.lower()
    if not lower.endswith(ARTICLE_SUFFIXES) or name in SKIPPED_NAMES:
        return False
    return bool(rel_dir) or lower not in ROOT_DOCS


def _first_visit(entry: os.DirEntry, seen: set, rel: str, problems: list[Problem]) -> bool:
    st = entry.stat()  # follows symlinks: the real folder
    key = (st.st_dev, st.st_ino)
    if key in seen:
        if entry.is_symlink():
            problems.append(Problem(rel, "symlink loop or folder seen twice: not followed"))
        return False
    seen.add(key)
    return True


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == 40:  # ELOOP
        return "symlink loop"
    if isinstance(exc, FileNotFoundError):
        return "broken symlink or file vanished"
    return f"cannot read: {exc.strerror or exc}"
