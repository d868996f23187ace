"""A scan of only some paths: what a watcher reports, brought into the cache at a cost
proportional to those paths, never to the archive.

Each path is looked at by the rules of the whole walk (reader/archive/walk.py: which
names are articles, hidden folders, the `follow_symlinks` policy, NFC ids): a file is
parsed when its size or mtime differ from the cache's, a folder (copied in, say) is
walked, and a path that is gone takes with it every cached record at or below it (a
deleted or renamed folder).  Only the records of those paths are read from the cache.
"""

from __future__ import annotations

import os
import posixpath
import stat
from typing import TYPE_CHECKING, Iterable

from reader.archive.model import Problem, ScanResult, Scope
from reader.archive.parse import normalize_rel
from reader.archive.safe_open import not_regular
from reader.archive.scan import Changes, check_root, parse_and_store
from reader.archive.walk import (ARTICLE_SUFFIXES, FoundFile, in_listed_folder, is_article_name,
                                 is_folder_name, printable, refused_link, walk, walked_elsewhere)

if TYPE_CHECKING:
    from reader.archive import Archive


def run_scan_paths(archive: "Archive", rels: Iterable[str]) -> ScanResult:
    targets = outermost(rels)
    if "" in targets:  # the archive itself: nothing narrower to look at
        return archive.scan()
    check_root(archive)
    look = _Look(archive)
    for rel in targets:
        look.at(rel)
    check_root(archive)  # gone meanwhile: its paths were not deleted
    known = look.known()
    look.drop_second_spellings(known)
    removed = sorted(p for p in known if p not in look.found and p not in look.kept)
    if removed:
        archive.cache.forget(removed)
    todo = [f for f in look.found.values() if known.get(f.rel, ())[:2] != (f.size, f.mtime_ns)]
    changes = Changes({p: k[3] for p, k in known.items() if p in look.found}, removed)
    result = ScanResult(load_articles=archive.cache.articles, removed=removed,
                        scope=Scope(frozenset([*look.ids, *look.found]), tuple(look.folders)))
    parse_and_store(archive, todo, changes, result, bodies=True)
    result.delta = changes.delta()
    result.problems = look.problems + changes.problems
    return result


def outermost(rels: Iterable[str]) -> list[str]:
    """The paths in POSIX form, each once, without those below another one (the folder's
    walk covers them) or outside the archive; [""] when one is the archive itself."""
    clean = set()
    for rel in rels:
        rel = posixpath.normpath(str(rel).replace(os.sep, "/")).strip("/")
        if rel != ".." and not rel.startswith("../"):
            clean.add("" if rel == "." else rel)
    if "" in clean:
        return [""]
    return sorted(rel for rel in clean
                  if not any(rel[:i] in clean for i, ch in enumerate(rel) if ch == "/"))


class _Look:
    """What looking at the paths found: article files by id, the ids (and folders) whose
    cached records are answerable to this scan, and problems."""

    def __init__(self, archive: "Archive"):
        self.root = str(archive.root)
        self.real_root = os.path.realpath(archive.root)
        self.follow = archive.settings.follow_symlinks
        self.cache = archive.cache
        self.found: dict[str, FoundFile] = {}
        self.ids: list[str] = []  # every path looked at, as an id
        self.folders: list[str] = []  # ids whose cached records below are answerable too
        self.kept: set[str] = set()  # ids another spelling of the name holds: not removed
        self.problems: list[Problem] = []

    def at(self, rel: str) -> None:
        rel_id = normalize_rel(rel)
        self.ids.append(rel_id)
        name = posixpath.basename(rel)
        if not in_listed_folder(rel) or not is_folder_name(name):
            return  # hidden: the walk lists nothing there, the cache holds nothing
        path = os.path.join(self.root, rel)
        try:
            st = os.stat(path)
        except OSError as exc:
            self.folders.append(rel_id)  # gone: a file, or a folder of articles
            if not isinstance(exc, (FileNotFoundError, NotADirectoryError)):
                self.problems.append(Problem(printable(rel), f"cannot read: {exc.strerror}"))
            return
        if self._not_followed(rel, path):
            self.folders.append(rel_id)
        elif stat.S_ISDIR(st.st_mode):
            self._folder(rel, rel_id)
        elif is_article_name(name, posixpath.dirname(rel)):
            self._file(rel, rel_id, st)

    def _not_followed(self, rel: str, path: str) -> bool:
        """A symlink on the way that the policy refuses (a problem), or that leads to a folder
        the walk lists by its real path (its files have those ids)."""
        if os.path.realpath(path) == os.path.join(self.real_root, rel):
            return False
        reason = refused_link(self.real_root, rel, self.follow)
        if reason:
            self.problems.append(Problem(printable(rel), reason))
            return True
        folder = rel if os.path.isdir(path) else posixpath.dirname(rel)
        linked = folder and os.path.realpath(os.path.join(self.root, folder)) != os.path.join(
            self.real_root, folder)
        return bool(linked) and walked_elsewhere(self.real_root, folder)

    def _folder(self, rel: str, rel_id: str) -> None:
        self.folders.append(rel_id)
        if rel.lower().endswith(ARTICLE_SUFFIXES):
            self.problems.append(Problem(printable(rel), "is a folder, not a file"))
        for found in walk(self.root, self.problems, self.follow, folder=rel):
            self._add(found)

    def _file(self, rel: str, rel_id: str, st: os.stat_result) -> None:
        reason = not_regular(st.st_mode)
        if reason:
            self.problems.append(Problem(printable(rel), reason))
        else:
            self._add(FoundFile(rel_id, rel, st.st_size, st.st_mtime_ns))

    def _add(self, found: FoundFile) -> None:
        first = self.found.setdefault(found.rel, found)
        if first.fs_rel != found.fs_rel:
            self._second_spelling(found.fs_rel, first.fs_rel)

    def _second_spelling(self, fs_rel: str, first: str) -> None:
        self.problems.append(Problem(printable(fs_rel), (
            f"has the same id as {printable(first)!r} (the names differ only in "
            "Unicode normalization): skipped; rename one of them")))

    def known(self) -> dict[str, tuple[int, int, str, bool]]:
        """The cache's records of every id looked at, found, or below a folder looked at."""
        known = self.cache.known_of(dict.fromkeys(self.ids + list(self.found)))
        for folder in self.folders:
            known.update(self.cache.known_under(folder))
        return known

    def drop_second_spellings(self, known: dict) -> None:
        """A file whose id the cache already holds for another spelling that still exists
        (NFD beside NFC) is the second one: skipped, as the walk skips it."""
        for rel_id, found in list(self.found.items()):
            cached = known.get(rel_id)
            if cached and cached[2] != found.fs_rel and os.path.lexists(
                    os.path.join(self.root, cached[2])):
                del self.found[rel_id]
                self.kept.add(rel_id)
                self._second_spelling(found.fs_rel, cached[2])
