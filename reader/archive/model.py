"""The records the archive hands to the rest of the reader.

`Article` is the metadata of one file: small enough to hold 100,000 of them in
memory, and what the metadata cache stores.  The body is read on demand
(`Archive.read`) and is only part of a `ParsedArticle`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Callable


@dataclass(frozen=True, slots=True)
class Article:
    """One article's metadata.

    `path` is the file's path relative to the archive root, in POSIX form and
    NFC: the article's stable id.  It survives a move of the archive folder,
    a rebuilt cache or index, and it is distinct for two distinct files even
    where titles or links repeat.
    """

    path: str
    title: str
    date: datetime  # always timezone-aware
    summary: str = ""
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    lang: str = ""
    translations: tuple[str, ...] = ()
    thumbnail: str = ""
    link: str = ""
    source: str = ""  # the source folder: content/<lang>/news/<source>/...
    size: int = 0
    mtime: float = 0.0
    problem: str = ""  # non-empty: read with a problem, shown with what could be read


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article with its markdown body, as read from its file."""

    article: Article
    body: str
    truncated: bool = False  # the body was cut (very large files)


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that could not be read or parsed, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Delta:
    """What a scan changed, as records: what every consumer (catalog, counts, tree, list,
    index) applies instead of reloading the archive.  `changed` holds the new records of
    files that changed; `removed` the paths of files that are gone."""

    added: tuple[Article, ...] = ()
    changed: tuple[Article, ...] = ()
    removed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def __len__(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


@dataclass(frozen=True, slots=True)
class Scope:
    """The part of the archive a scan of some paths looked at: these ids, and every id
    below these folders.  What the cache holds there after the scan is the truth there,
    whoever stored it (another newsreader may have scanned the same change first)."""

    paths: frozenset[str] = frozenset()
    folders: tuple[str, ...] = ()


@dataclass  # no slots: `articles` is a cached_property
class ScanResult:
    """What one scan of an archive found and changed.  `articles` (every record, read
    from the cache: 0.6 s at 100k) is loaded on first use: a reader that already
    holds the catalog asks for it only when the scan changed something; it applies
    `delta` instead.  `parsed` holds the articles the scan parsed, bodies included, by
    path, so that the index takes them without reading the files again: every one of
    a scan of paths (`Archive.scan_paths`) or of a small full scan; none of a large one
    (parsed in worker processes, 100,000 bodies would not be held) - a consumer reads
    the file of a changed article that is not in it.

    `delta` is what THIS scan stored.  A consumer that holds its own copy (the reader's
    catalog, `newsreader watch`) takes what changed for it from `reconcile` (reader/
    archive/reconcile.py) over `scope` instead: another process on the same data dir may
    have stored a change first."""

    load_articles: Callable[[], list[Article]] = field(default=list, repr=False)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    parsed_count: int = 0  # files actually opened and parsed during this scan
    seconds: float = 0.0
    delta: Delta = field(default_factory=Delta)  # what the scan stored, as records
    parsed: dict[str, ParsedArticle] = field(default_factory=dict, repr=False)
    scope: Scope | None = None  # what the scan looked at; None: the whole archive

    @cached_property
    def articles(self) -> list[Article]:
        return self.load_articles()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)
