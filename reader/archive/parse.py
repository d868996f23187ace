"""One file in, one record out: `parse_file` never raises for bad content.

A file that cannot be read at all (missing, unreadable, binary, a folder) raises
`UnreadableFile` with the reason; everything else yields a `ParsedArticle`
whose `article.problem` says what was wrong with what could be read.
"""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import datetime, tzinfo
from pathlib import Path

from reader.archive import fields
from reader.archive.frontmatter_io import decode, looks_binary, split
from reader.archive.model import Article, ParsedArticle
from reader.archive.safe_open import NotRegularFile, read_regular

# Bodies beyond this are cut (with a notice) so that a 50 MB file never freezes anything.
MAX_BODY_CHARS = 2_000_000
MAX_READ_BYTES = 8 * MAX_BODY_CHARS
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # a byte os.fsdecode could not decode


class UnreadableFile(Exception):
    """The file could not be read as text; str() is the reason."""


def normalize_rel(rel: str) -> str:
    """The stable id form of a relative path: POSIX separators, NFC, and each byte that
    is not UTF-8 written %XX (so that two such names stay two ids)."""
    rel = rel.replace(os.sep, "/")
    if not rel.isascii() and _ESCAPED_BYTE.search(rel):  # os.fsdecode's surrogateescape
        rel = "".join(f"%{ord(ch) - 0xDC00:02X}" if "\udc80" <= ch <= "\udcff" else ch
                      for ch in rel)
    return unicodedata.normalize("NFC", rel)


def read_bytes(path: str | os.PathLike) -> tuple[bytes, os.stat_result]:
    """The file's first MAX_READ_BYTES, never blocking: regular files only."""
    try:
        return read_regular(path, MAX_READ_BYTES)
    except NotRegularFile as exc:
        raise UnreadableFile(str(exc)) from None
    except FileNotFoundError:
        raise UnreadableFile("file not found (deleted or moved since the scan)") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from None


def parse_file(root: Path, rel: str, tz: tzinfo) -> ParsedArticle:
    """Read and parse `root/rel`.  Raises UnreadableFile only when nothing can be shown."""
    data, st = read_bytes(os.path.join(root, rel))  # (a Path costs 5 us more a file)
    if looks_binary(data):
        raise UnreadableFile("binary data, not text")
    truncated = st.st_size > len(data)
    text, note = decode(data)
    return parse_text(normalize_rel(rel), text, tz, st.st_size, st.st_mtime, note, truncated,
                      in_content=Path(root).name == "content")


def parse_text(
    rel: str,
    text: str,
    tz: tzinfo,
    size: int = 0,
    mtime: float = 0.0,
    note: str = "",
    truncated: bool = False,
    in_content: bool = False,  # rel is relative to a Hugo content/ folder
) -> ParsedArticle:
    meta, body, problem = split(text)
    if len(body) > MAX_BODY_CHARS:
        body, truncated = body[:MAX_BODY_CHARS], True
    problems = [p for p in (note, problem) if p] + _shape_notes(text, meta, body, problem)
    date = _date_of(meta, tz, mtime, problems)
    kept = fields.Limited()  # what is cut to its limit is noted
    article = Article(
        path=rel,
        title=kept.text(meta.get("title"), "title", fields.MAX_TITLE)
        or fields.title_from_name(rel),
        date=date,
        summary=kept.text(meta.get("summary") or meta.get("description"), "summary",
                          fields.MAX_SUMMARY),
        categories=kept.items(meta.get("categories"), "categories"),
        tags=kept.items(meta.get("tags"), "tags"),
        lang=fields.lang_of(meta.get("lang") or meta.get("language"), rel, in_content),
        translations=kept.items(meta.get("translations"), "translations"),
        thumbnail=kept.url(meta.get("thumbnail") or meta.get("image"), "thumbnail"),
        link=fields.link_of(meta, body),
        source=fields.source_of(rel),
        size=size,
        mtime=mtime,
        problem="; ".join(problems + kept.notes),
    )
    return ParsedArticle(article, body, truncated)


def _shape_notes(text: str, meta: dict, body: str, problem: str) -> list[str]:
    """What `newsreader doctor` should say about a file that reads but is not a whole
    article: empty, no front matter, nothing after it, fields of the wrong shape."""
    if _blank(text):
        return ["empty file"]
    notes = []
    if not meta and not problem:
        notes.append("no front matter: title from the file name, date from the file time")
    elif meta and _blank(body):
        notes.append("no text after the front matter")
    for key in ("title", "summary"):
        if isinstance(meta.get(key), (list, dict)):
            notes.append(f"{key} is a {type(meta[key]).__name__}: shown as text")
    for key in ("categories", "tags"):
        value = meta.get(key)
        if isinstance(value, dict):
            notes.append(f"{key} is a mapping: its keys are used")
        elif isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value):
            notes.append(f"{key} holds lists or mappings: those are left out")
    return notes


def _blank(text: str) -> bool:
    """`not text.strip()` without copying the text (strip and isspace agree on white space)."""
    return not text or text.isspace()


def _date_of(meta: dict, tz: tzinfo, mtime: float, problems: list[str]) -> datetime:
    """`date`, else Hugo's other date keys, else the file's mtime (noted when `date` was
    there but unreadable)."""
    for key in ("date", "publishDate", "pubdate", "published", "lastmod"):
        date = fields.parse_date(meta.get(key), tz)
        if date is not None:
            return date
    if meta.get("date") not in (None, ""):
        problems.append(f"unreadable date {fields.preview(meta['date'])}: file time used")
    return datetime.fromtimestamp(mtime or 0, tz)
