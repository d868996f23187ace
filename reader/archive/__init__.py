"""Reading an archive: finding articles, parsing them, and the metadata cache.

    archive = Archive.open(root, settings)
    articles = archive.cached()        # instant: no file parsed
    archive.look_ahead()               # a first open: its newest, in worker processes
    result = archive.scan(progress)    # parses only new and changed files
    result = archive.scan_if_changed() # None, without a walk, when no folder changed
    result = archive.scan_paths(paths) # only those paths (what a watcher reported)
    parsed = archive.read(path)        # one article with its body
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

from typing import TYPE_CHECKING

from reader.archive.model import Article, Delta, ParsedArticle, Problem, ScanResult
from reader.config import Settings

if TYPE_CHECKING:
    from reader.archive.cache import MetadataCache
    from reader.archive.parse import UnreadableFile

__all__ = ["Archive", "Article", "Delta", "ParsedArticle", "Problem", "ScanResult", "UnreadableFile"]

# The parser (YAML, TOML, HTML entities) and the walk are imported when an article is
# read or the archive walked: `newsreader search` with nothing changed needs neither.


def __getattr__(name: str):
    if name == "UnreadableFile":
        from reader.archive.parse import UnreadableFile

        return UnreadableFile
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

Progress = Callable[[int, int], None]


class Archive:
    """One archive folder and its data dir (cache, index, state)."""

    def __init__(self, root: Path, data_dir: Path, settings: Settings, notice: str = ""):
        self.root = Path(root)
        self.data_dir = Path(data_dir)
        self.settings = settings
        self.tz = settings.tzinfo
        self.notices: list[str] = [notice] if notice else []
        self._cache: MetadataCache | None = None
        self._lock = threading.Lock()
        self._look = None  # a first open's FirstLook

    @classmethod
    def open(cls, root: Path, settings: Settings) -> "Archive":
        from reader.archive.location import archive_data_dir
        from reader.archive.walk import site_content

        root = site_content(Path(root).resolve())
        data_dir, notice = archive_data_dir(settings.data_root, root)
        return cls(root, data_dir, settings, notice)

    @property
    def cache(self) -> "MetadataCache":
        from reader.archive.cache import MetadataCache
        from reader.archive.location import record_root

        with self._lock:
            if self._cache is None:
                record_root(self.data_dir, self.root)
                self._cache = MetadataCache(self.data_dir / "cache.sqlite3")
                if self._cache.notice:
                    self.notices.append(self._cache.notice)
                if self._cache.set_timezone(self.settings.timezone):
                    self.notices.append(f"time zone now {self.settings.timezone}: every "
                                        "article is read again for its date")
            return self._cache

    def close(self) -> None:
        look, self._look = self._look, None
        if look is not None:
            look.close()
        with self._lock:
            if self._cache is not None:
                self._cache.close()
                self._cache = None

    def cached(self, cancel: threading.Event | None = None) -> list[Article]:
        """Every article the cache knows, as of the last scan; no file is read (a part of
        them once `cancel` is set)."""
        return self.cache.articles(cancel)

    def cached_newest(self, limit: int = 500) -> list[Article]:
        """The newest `limit` cached articles, newest first: what a reader shows at once
        while `cached()` loads the rest."""
        return self.cache.newest(limit)

    def cached_count(self) -> int:
        return self.cache.count()

    def first_scan_unfinished(self) -> bool:
        """Whether the cache holds only a part of the archive: its first scan was cut short
        (a quit, a kill) and no scan of the whole folder has ended since."""
        from reader.archive.scan import FIRST_SCAN

        return self.cache.setting(FIRST_SCAN) is not None

    def problems(self) -> list[Problem]:
        return self.cache.problems()

    def look_ahead(self) -> None:
        """At a first open (nothing cached), start the first look: the newest articles and
        every file's date, read in worker processes (reader/archive/first_look.py) while
        the reader starts.  `looked_newest` shows it; the first scan waits for it and
        parses in the order of the dates it read."""
        from reader.archive.first_look import FirstLook

        try:
            if self._look is not None or self.cached_count():
                return
        except (OSError, sqlite3.Error):  # the reader says why, as it opens
            return
        try:
            self._look = FirstLook(self.root, self.tz, self.settings.follow_symlinks)
        except OSError:  # no worker process to be had: the first scan does it all
            self._look = None

    def looked_newest(self, cancel: threading.Event | None = None) -> list[Article]:
        """The first look's newest articles, once it is done ([] without a look)."""
        look = self._look
        result = look.result(cancel) if look is not None else None
        return result.newest if result is not None else []

    def _looked_dates(self, cancel: threading.Event | None) -> dict | None:
        """The dates the first look read, for the first scan (once: a later scan reads
        the cache's stamps instead)."""
        look = self._look
        result = look.result(cancel) if look is not None else None
        return result.take_dates() if result is not None else None

    def read(self, path: str) -> ParsedArticle:
        """Parse one article now (for display).  A file that vanished or became unreadable
        since the scan, or that a symlink now leads to outside the archive, yields an empty
        article whose `problem` says so."""
        from reader.archive.parse import UnreadableFile, parse_file, parse_text
        from reader.archive.walk import refused_link

        fs_path = self.cache.fs_path(path) or path
        try:
            refused = refused_link(os.path.realpath(self.root), fs_path,
                                   self.settings.follow_symlinks)
            if refused:
                raise UnreadableFile(refused)
            return parse_file(self.root, fs_path, self.tz)
        except UnreadableFile as exc:  # what the last scan knew, if anything
            known = self.cache.article(path) or parse_text(path, "", self.tz).article
            return ParsedArticle(_with_problem(known, f"cannot open: {exc}"), "", False)

    def scan(self, progress: Progress | None = None, cancel: threading.Event | None = None
             ) -> ScanResult:
        """Bring the cache up to date with the folder: parse new and changed files, drop
        deleted ones.  Cancelled scans keep what they stored so far."""
        from reader.archive.scan import run_scan

        started = time.perf_counter()
        known = self._looked_dates(cancel)  # the first look's workers done: now the walk
        result = run_scan(self, progress, cancel, known)
        result.seconds = time.perf_counter() - started
        return result

    def scan_if_changed(self, progress: Progress | None = None,
                        cancel: threading.Event | None = None) -> ScanResult | None:
        """`scan`, unless no folder changed since the last full scan (None then: no file
        was listed or read; see reader/archive/folder_stamps.py for what that misses)."""
        from reader.archive.folder_stamps import unchanged

        return None if unchanged(self) else self.scan(progress, cancel)

    def scan_paths(self, rels: Iterable[str]) -> ScanResult:
        """Bring the cache up to date for these paths only (POSIX, relative to the root: files
        or folders, present or gone), by the rules of the full scan; reads only their
        records from the cache.  `result.parsed` holds the articles parsed, with bodies."""
        from reader.archive.scan_paths import run_scan_paths

        started = time.perf_counter()
        result = run_scan_paths(self, rels)
        result.seconds = time.perf_counter() - started
        return result


def _with_problem(article: Article, problem: str) -> Article:
    from dataclasses import replace

    return replace(article, problem=problem)
