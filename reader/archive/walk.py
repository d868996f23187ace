"""Finding every article file below an archive folder, at any depth.

Symlinks are followed only where they stay inside the archive (the config's
`follow_symlinks` may say "all" or "none"), symlinked folders once (a symlink
loop is noticed, not followed forever).  Only regular files are articles: a
named pipe, socket or device is reported, never opened.  Hidden folders (.git,
.hugo_build.lock ...) and Hugo's `_index.md` section pages are skipped.  Each file comes with the size and mtime the
metadata cache compares.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Iterator

from reader.archive.model import Problem
from reader.archive.safe_open import not_regular

ARTICLE_SUFFIXES = (".md", ".markdown")
SKIPPED_NAMES = frozenset({"_index.md", "_index.markdown"})
# Repository documents at the top of an archive are not articles.
ROOT_DOCS = frozenset({"readme.md", "license.md", "changelog.md", "contributing.md"})
_NAME = attrgetter("name")
HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json")


@dataclass(frozen=True, slots=True)
class FoundFile:
    rel: str  # normalized relative path: the article id
    fs_rel: str  # the path as the file system spells it (may differ in normalization)
    size: int
    mtime_ns: int


def walk(root: Path, problems: list[Problem] | None = None,
         follow: str = "inside", folder: str = "", share: tuple[int, int] = (0, 1),
         folders: dict[str, tuple[int, int]] | None = None,
         cancel: threading.Event | None = None) -> Iterator[FoundFile]:
    """Yield article files under `root`; folders or files that can't be listed, files that
    are not regular files and symlinks not followed (see `refused_link`) go to `problems`.
    With `folder` (a path relative to `root`), only that part of the archive is walked,
    by the same rules (`Archive.scan_paths`: a folder copied in).  With `share` (k, n),
    only the files at the k-th of every n places of each folder's listing: n walks, one
    per worker process, share the files out (reader/archive/first_look.py); the folders
    are listed by each.  `folders` gets each folder listed (relative to `root`, "" for
    the archive) with its (mtime_ns, ctime_ns), taken before it was listed
    (reader/archive/folder_stamps.py).  Once `cancel` is set (a quit), the walk stops at
    the next folder: what it found is then a part of the archive, never to be taken as
    the whole (the caller checks `cancel`)."""
    problems = [] if problems is None else problems
    walker = _Walker(Path(root), problems, follow, folder, share)
    walker.stamps = folders
    walker.cancel = cancel
    if not walker.start():
        return
    ids: dict[str, str] = {}  # id -> the file that has it
    for found in walker.files():
        first = ids.setdefault(found.rel, found.fs_rel)
        if first == found.fs_rel:
            yield found
        else:  # NFC and NFD spellings of one name, say: both can't be one article
            problems.append(Problem(printable(found.fs_rel), (
                f"has the same id as {printable(first)!r} (the names differ only in "
                "Unicode normalization): skipped; rename one of them")))


def walk_listed(root: Path, follow: str = "inside", share: tuple[int, int] = (0, 1)
                ) -> Iterator[tuple[str, os.DirEntry]]:
    """The files `walk` would stat, as (fs_rel, DirEntry), by the same rules but unstatted
    and without its problems or its check of ids: the first look opens each file and
    stats it open (`found_file`), one system call fewer a file."""
    walker = _Walker(Path(root), [], follow, "", share)
    if walker.start():
        yield from walker.listed()


def found_file(fs_rel: str, st: os.stat_result) -> FoundFile:
    """The walk's record of the file at `fs_rel` (as the file system spells it)."""
    if fs_rel.isascii():  # its own id
        return FoundFile(fs_rel, fs_rel, st.st_size, st.st_mtime_ns)
    from reader.archive.parse import normalize_rel  # not at import: parse brings YAML

    rel = normalize_rel(fs_rel)
    return FoundFile(rel, fs_rel, st.st_size, st.st_mtime_ns)


def refused_link(real_root: str, fs_rel: str, follow: str) -> str:
    """Why `fs_rel` may not be read under the `follow_symlinks` setting ('' when it may).

    "inside" (the default) follows a symlink only where it resolves inside the archive
    (`real_root`, itself resolved); "all" follows every one; "none" follows none."""
    if follow == "all":
        return ""
    path = os.path.join(real_root, fs_rel)
    target = os.path.realpath(path)
    if follow == "none":
        return "" if target == path else 'a symlink: not followed (follow_symlinks = "none")'
    if target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep):
        return ""
    return (f"a symlink to {printable(target)}, outside the archive: not followed "
            '(follow_symlinks = "all" would follow it)')


def is_folder_name(name: str) -> bool:
    """Whether a folder of this name is listed: hidden ones (.git, .hugo_build.lock) are not."""
    return not name.startswith(".")


def is_article_name(name: str, rel_dir: str) -> bool:
    """Whether a file of this name in the folder `rel_dir` ("" at the top) is an article."""
    lower = name.lower()
    if not lower.endswith(ARTICLE_SUFFIXES) or name in SKIPPED_NAMES:
        return False
    return bool(rel_dir) or lower not in ROOT_DOCS


def in_listed_folder(rel: str) -> bool:
    """Whether every folder on the way to `rel` (a POSIX path relative to the archive) is
    one the walk lists."""
    return all(is_folder_name(part) for part in rel.split("/")[:-1])


def walked_elsewhere(real_root: str, fs_rel: str) -> bool:
    """Whether the folder `fs_rel`, reached through a symlink, is one the whole walk lists
    by its real path (or the archive itself: a loop): its files have those ids, not ones
    through the link.  Only a part of the archive's walk (`folder=`) needs to ask."""
    target = os.path.realpath(os.path.join(real_root, fs_rel))
    if target == real_root:
        return True
    if not target.startswith(real_root.rstrip(os.sep) + os.sep):
        return False
    return all(is_folder_name(part) for part in os.path.relpath(target, real_root).split(os.sep))


def site_content(root: Path) -> Path:
    """The folder of a Hugo site that holds its articles (`content/`), else `root`: a site
    opened at its root or at content/ is one archive, with one set of ids and state."""
    is_site = (root / "content").is_dir() and any((root / name).is_file()
                                                  for name in HUGO_CONFIGS)
    return root / "content" if is_site else root  # themes and layouts hold other markdown


class _Walker:
    """One walk: the folders still to list, the real folders seen (a symlink loop or a
    folder reached twice is listed once), and where problems go.  Symlinked folders are
    listed after every real one, so that an article's id is its real path, not an alias."""

    def __init__(self, root: Path, problems: list[Problem], follow: str, folder: str = "",
                 share: tuple[int, int] = (0, 1)):
        self.root, self.problems, self.follow = root, problems, follow
        self.share, self.shares = share
        self.real_root = os.path.realpath(root)
        self.seen: set[tuple[int, int]] = set()
        self.folder = folder  # "": the whole archive
        self.stack = [folder]  # a Hugo site's root was narrowed to content/ by Archive.open
        self.linked: list[str] = []  # symlinked folders, checked against `seen` in turn
        self.stamps: dict[str, tuple[int, int]] | None = None  # folder -> (mtime, ctime)
        self.cancel: threading.Event | None = None  # set: no more folders are listed

    def start(self) -> bool:
        try:
            st = os.stat(os.path.join(self.root, self.folder))
        except OSError as exc:
            where = self.folder or "."
            self.problems.append(Problem(where, f"cannot open the archive folder: {exc.strerror}"
                                         if not self.folder else _reason(exc)))
            return False
        self.seen.add((st.st_dev, st.st_ino))
        self._stamp(self.folder, st)
        return True

    def _stamp(self, rel: str, st: os.stat_result) -> None:
        if self.stamps is not None:
            self.stamps[rel] = (st.st_mtime_ns, st.st_ctime_ns)

    def files(self) -> Iterator[FoundFile]:
        for rel, entry in self.listed():
            try:
                st = entry.stat()
            except OSError as exc:
                self.problems.append(Problem(rel, _reason(exc)))
                continue
            reason = not_regular(st.st_mode)  # a named pipe would block whoever opens it
            if reason:
                self.problems.append(Problem(rel, reason))
            else:
                yield found_file(rel, st)

    def listed(self) -> Iterator[tuple[str, os.DirEntry]]:
        """(fs_rel, entry) of each file that is an article by its name and the symlink
        rules, of this walk's share, before any stat of it."""
        share, shares = self.share, self.shares
        stopped = self.cancel.is_set if self.cancel is not None else bool
        while (self.stack or self.linked) and not stopped():
            rel_dir = self.stack.pop() if self.stack else self._next_linked()
            prefix = f"{rel_dir}/" if rel_dir else ""
            for place, entry in enumerate(self._entries(rel_dir)):
                rel = prefix + entry.name
                try:
                    wanted = ((place % shares == share or entry.is_dir())  # else another's
                              and self._visit(entry, rel, rel_dir))
                except OSError as exc:
                    self.problems.append(Problem(rel, _reason(exc)))
                    continue
                if wanted:
                    yield rel, entry

    def _next_linked(self) -> str | None:
        rel = self.linked.pop()
        try:
            first = self._first_visit(rel, os.stat(os.path.join(self.root, rel)), linked=True)
        except OSError as exc:
            self.problems.append(Problem(rel, _reason(exc)))
            return None
        return rel if first else None

    def _entries(self, rel_dir: str | None) -> list[os.DirEntry]:
        if rel_dir is None:
            return []
        try:
            return sorted(os.scandir(os.path.join(self.root, rel_dir)), key=_NAME)
        except OSError as exc:
            self.problems.append(Problem(rel_dir or ".", f"cannot list folder: {exc.strerror}"))
            return []

    def _visit(self, entry: os.DirEntry, rel: str, rel_dir: str) -> bool:
        """Whether the entry is an article file to stat; a folder to list goes on a stack."""
        is_dir = entry.is_dir()  # follows symlinks
        wanted = is_folder_name(entry.name) if is_dir else is_article_name(entry.name, rel_dir)
        if not wanted:
            return False
        if entry.is_symlink() and self._refused(rel):
            return False
        if is_dir:
            if entry.is_symlink():
                self.linked.append(rel)
            elif self._first_visit(rel, entry.stat(), linked=False):
                self.stack.append(rel)
            return False
        return True

    def _refused(self, rel: str) -> bool:
        reason = refused_link(self.real_root, rel, self.follow)
        if reason:
            self.problems.append(Problem(rel, reason))
        return bool(reason)

    def _first_visit(self, rel: str, st: os.stat_result, linked: bool) -> bool:
        key = (st.st_dev, st.st_ino)
        if key in self.seen or (linked and self.folder and walked_elsewhere(self.real_root, rel)):
            if linked:
                self.problems.append(Problem(rel, "symlink loop or folder seen twice: "
                                                  "not followed"))
            return False
        self.seen.add(key)
        self._stamp(rel, st)
        if rel.lower().endswith(ARTICLE_SUFFIXES):
            self.problems.append(Problem(rel, "is a folder, not a file"))
        return True


def printable(fs_rel: str) -> str:
    """A file system path as text that can be shown (bytes that are not UTF-8 as \\xNN)."""
    return os.fsencode(fs_rel).decode("utf-8", errors="backslashreplace")


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == 40:  # ELOOP
        return "symlink loop"
    if isinstance(exc, FileNotFoundError):
        return "broken symlink or file vanished"
    return f"cannot read: {exc.strerror or exc}"
