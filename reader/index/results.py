"""What a search returns: hits with their metadata and a lazily made snippet."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from reader.archive.body_text import body_of, decode
from reader.archive.safe_open import read_regular
from reader.index.schema import body_field
from reader.index.snippets import make_snippet, plain
from reader.textsafe import clean_text


@dataclass
class Hit:
    path: str  # relative to the archive root: the article's id
    score: float
    title: str = ""
    date: str = ""  # ISO 8601
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    lang: str = ""
    link: str = ""
    source: str = ""
    needles: list[str] = field(default_factory=list, repr=False)
    root: Path | None = field(default=None, repr=False)
    stored: dict = field(default_factory=dict, repr=False)  # where the file is
    _snippet: tuple[str, list[tuple[int, int]]] | None = field(default=None, repr=False)

    @classmethod
    def from_stored(cls, stored: dict, score: float, needles: list[str], root) -> "Hit":
        meta = stored.get("meta") or {}
        return cls(stored["path"], float(score), meta.get("title", ""), meta.get("date", ""),
                   list(meta.get("categories", ())), list(meta.get("tags", ())),
                   meta.get("lang", ""), meta.get("link", ""), meta.get("source", ""),
                   needles, root, stored)

    @property
    def snippet(self) -> str:
        """Plain text around the first match in the body (read from the file on first use),
        without control characters."""
        return self._make_snippet()[0]

    @property
    def snippet_spans(self) -> list[tuple[int, int]]:
        """(start, end) of each match inside `snippet`, for highlighting."""
        return self._make_snippet()[1]

    def _make_snippet(self) -> tuple[str, list[tuple[int, int]]]:
        """Around the first match in the body, else in the summary, else the body's start."""
        if self._snippet is None:
            stored = self.stored or {"path": self.path}
            body = body_of(read_text(self.root, stored)) if self.root else ""
            self._snippet = make_snippet(_plain(body), self.needles)
            summary = (stored.get("meta") or {}).get("summary", "")
            if summary and not self._snippet[1]:
                in_summary = make_snippet(_plain(summary), self.needles)
                self._snippet = in_summary if in_summary[1] else self._snippet
        return self._snippet

    def as_json(self) -> dict:
        return {"path": self.path, "title": self.title, "date": self.date,
                "categories": self.categories, "tags": self.tags, "lang": self.lang,
                "link": self.link, "source": self.source, "score": round(self.score, 4),
                "snippet": self.snippet}


@dataclass
class SearchResults:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # every matching article, not only the hits returned
    total_exact: bool = True  # False: total estimated from the candidates checked so far
    error: str = ""  # the query is malformed: why, in one line (hits are then empty)
    terms_of: Callable[[], list[str]] | None = field(default=None, repr=False)
    seconds: float = 0.0
    cancelled: bool = False  # stopped midway at the caller's word: nothing is listed
    _paths: list[str] | None = field(default=None, repr=False)  # a paths_only search's
    _terms: list[str] | None = field(default=None, repr=False)

    @property
    def terms(self) -> list[str]:
        """What to highlight in an article, worked out on first use from `terms_of`: each
        region's spellings need OpenCC's s2t, s2tw and s2hk converters (0.15 s of CPU to
        load), which `newsreader search` never asks for."""
        if self._terms is None:
            self._terms = self.terms_of() if self.terms_of is not None else []
        return self._terms

    def __len__(self) -> int:
        return len(self.hits) if self._paths is None else len(self._paths)

    def __iter__(self):
        return iter(self.hits)

    @property
    def paths(self) -> list[str]:
        return [h.path for h in self.hits] if self._paths is None else self._paths

    def set_hits(self, hits: list, paths_only: bool = False) -> None:
        """Hit records, or for a paths_only search the paths alone."""
        if paths_only:
            self._paths, self.hits = hits, []
        else:
            self.hits = hits


def _plain(markdown: str) -> str:
    # escape sequences go before markdown is flattened (which would break them up)
    return plain(clean_text(markdown))


def checked_text(root: Path, stored: dict) -> str:
    """The text the `body` field indexed, for the text check: the stored summary, tags and
    categories, and the file's text after its front matter (never the front matter)."""
    meta = stored.get("meta") or {}
    body = body_of(read_text(root, stored))
    return body_field(meta.get("summary", ""), meta.get("tags", ()),
                      meta.get("categories", ()), body)


def read_text(root: Path, stored: dict) -> str:
    """The text of a hit's file ('' when it is gone or unreadable), decoded as the archive
    decodes it (GB18030 and Big5 too).  The file is the article's id unless its name
    on disk differs (bytes that are not UTF-8, another normalization): then the index
    stored it as meta["file"]."""
    name = (stored.get("meta") or {}).get("file") or stored["path"]
    try:
        data = read_regular(Path(root) / name, 4_000_000)[0]  # a pipe would block
    except OSError:
        return ""
    return decode(data)[0]
