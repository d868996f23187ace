"""Turning raw front-matter values into clean Article fields.

Real archives put anything in front matter: strings or lists, numbers where
text belongs, HTML entities, empty values.  Each function here takes whatever
YAML, TOML or JSON produced and returns one clean value, never raising.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timezone, tzinfo
from pathlib import PurePosixPath

_SPACE = re.compile(r"\s+")
_LANG = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")
_LINK_LINE = re.compile(r"^\s*\[([^\]\n]*)\]\((\S+?)\)\s*$")
_URL = re.compile(r"^(?:https?|mailto):", re.I)
_DATE_FORMS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%Y%m%d")


MAX_TITLE = 1_000  # characters kept of a title (the 10k corpus: at most 283)
MAX_SUMMARY = 10_000  # ... of a summary (the corpus: 2,198)
MAX_ITEMS = 100  # tags, categories or translations kept (the corpus: 1)
MAX_ITEM = 200  # characters kept of each
MAX_URL = 4_000  # a longer link or thumbnail is left out


def clean_text(value: object, limit: int = MAX_SUMMARY) -> str:
    """A one-line text: entities decoded, white space collapsed, at most `limit` long."""
    return _clean(value, limit)[0]


def _clean(value: object, limit: int) -> tuple[str, bool]:
    """clean_text, and whether it was cut.  Only the first 8 x `limit` characters are
    looked at, so that the work is bounded whatever the value."""
    if value is None or isinstance(value, (list, tuple, dict, set)):
        return "", False
    raw = _as_str(value)
    cut = len(raw) > 8 * limit
    text = html.unescape(raw[:8 * limit])
    if not text.isprintable() or "  " in text:  # else its only white space is single
        text = _SPACE.sub(" ", text)  # spaces (\s is printable only as " "): nothing to do
    text = text.strip()
    if len(text) > limit:
        text, cut = text[:limit].rstrip(), True
    return text, cut


def _as_str(value: object) -> str:
    try:
        return str(value)
    except ValueError:  # an integer too long to write out (over 4,300 digits)
        return ""


def clean_list(value: object, limit: int = MAX_ITEMS) -> tuple[str, ...]:
    """Categories, tags, translations: a string or a list (or a mapping's keys); empties and
    repeats dropped, the first `limit` kept."""
    return _clean_items(value, limit)[0]


def _clean_items(value: object, limit: int) -> tuple[tuple[str, ...], bool, bool]:
    """clean_list, whether items were left out, and whether an item was cut (at MAX_ITEM).
    Linear: a dict keeps what is seen, and the walk stops at item `limit` + 1."""
    kept: dict[str, None] = {}
    cut = False
    for item in _items(value):
        if isinstance(item, (list, tuple, dict)):
            continue
        text, item_cut = _clean(item, MAX_ITEM)
        if not text or text in kept:
            continue
        if len(kept) == limit:
            return tuple(kept), True, cut
        kept[text] = None
        cut = cut or item_cut
    return tuple(kept), False, cut


def _items(value: object):
    if value is None or value is False:
        return ()
    if isinstance(value, (dict, list, tuple, set)):
        return value  # a mapping: its keys
    return (value,)


class Limited:
    """Fields cleaned within the limits of what is kept; `notes` says what was cut."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def text(self, value: object, name: str, limit: int) -> str:
        text, cut = _clean(value, limit)
        if cut:
            self.notes.append(f"{name} longer than {limit:,} characters: cut")
        return text

    def items(self, value: object, name: str) -> tuple[str, ...]:
        items, more, cut = _clean_items(value, MAX_ITEMS)
        if more:
            given = f" of {len(value):,}" if isinstance(value, (list, dict)) else ""
            self.notes.append(f"{name}: the first {MAX_ITEMS}{given} kept")
        if cut:
            self.notes.append(f"{name} longer than {MAX_ITEM} characters: cut")
        return items

    def url(self, value: object, name: str) -> str:
        if isinstance(value, str) and len(value) > MAX_URL:
            self.notes.append(f"{name} longer than {MAX_URL:,} characters: left out")
            return ""
        return clean_text(value, MAX_URL)


def preview(value: object, width: int = 40) -> str:
    """A short, safe description of any front-matter value (for a notice)."""
    if isinstance(value, (str, int, float)):
        return repr(_as_str(value)[:width])
    return f"a {type(value).__name__}"


# Dates outside these years are taken as no date: Hugo writes 0001-01-01 for "unset",
# and a moment in year 1 or 9999 can leave datetime's range when shown in another zone.
USABLE_YEARS = range(2, 9999)


def parse_date(value: object, tz: tzinfo) -> datetime | None:
    """Every form Hugo accepts; `tz` where the value names no zone; None if not a date or
    not a usable one (see USABLE_YEARS)."""
    moment = _parse_date(value, tz)
    return moment if moment is not None and moment.year in USABLE_YEARS else None


def _parse_date(value: object, tz: tzinfo) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=tz)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return _date_from_number(value, tz)
    if isinstance(value, str) and len(value) <= 100:  # the longest form is about 35
        return _date_from_text(value.strip(), tz)
    return None


def _date_from_number(value: int | float, tz: tzinfo) -> datetime | None:
    if isinstance(value, int) and 19000101 <= value <= 29991231:
        return _date_from_text(str(value), tz)
    if 0 < value < 10_000_000_000:  # seconds since the epoch
        return datetime.fromtimestamp(value, timezone.utc).astimezone(tz)
    return None


def _date_from_text(text: str, tz: tzinfo) -> datetime | None:
    if not text:
        return None
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        parsed = None
        for form in _DATE_FORMS:
            try:
                parsed = datetime.strptime(text, form)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def lang_of(meta_lang: object, rel: str, in_content: bool = False) -> str:
    """Front matter first, then `name.<lang>.md` / `name-en.md`, then `content/<lang>/`
    (`in_content`: `rel` is relative to a Hugo content/ folder itself)."""
    langs = clean_list(meta_lang, limit=1)
    if langs and _LANG.match(langs[0]):
        return langs[0]
    parts = _parts(rel)
    if in_content:
        parts = ("content", *parts)
    stem, lang = _split_lang(parts[-1].rsplit(".", 1)[0])
    if lang:
        return lang
    if stem.endswith("-en"):
        return "en"
    for i, part in enumerate(parts[:-1]):
        if part == "content" and i + 1 < len(parts) - 1 and _LANG.match(parts[i + 1]):
            return parts[i + 1]
    return ""


def source_of(rel: str) -> str:
    """The folder that holds the file: `content/<lang>/news/<source>/<id>.md` gives <source>."""
    parts = _parts(rel)
    return parts[-2] if len(parts) >= 2 else ""


def _parts(rel: str) -> tuple[str, ...]:
    """PurePosixPath(rel).parts, without building the path where `rel` is plain (no empty
    or "." part: no leading, trailing or double slash): a few microseconds a file."""
    parts = rel.split("/")
    if "" in parts or "." in parts:
        return PurePosixPath(rel).parts
    return tuple(parts)


def title_from_name(rel: str) -> str:
    stem, _ = _split_lang(PurePosixPath(rel).name.rsplit(".", 1)[0])
    return clean_text(stem.replace("_", " ")) or PurePosixPath(rel).name


def _split_lang(stem: str) -> tuple[str, str]:
    """`name.zh-CN` -> ("name", "zh-CN"); a stem with no language suffix -> (stem, "")."""
    base, dot, suffix = stem.rpartition(".")
    return (base, suffix) if dot and _LANG.match(suffix) else (stem, "")


def link_of(meta: dict, body: str) -> str:
    """`link`/`url`/`source` keys when they hold a URL, else the `[label](url)` last line."""
    for key in ("link", "url", "source", "original"):
        value = meta.get(key)
        if isinstance(value, str) and len(value) <= MAX_URL and _URL.match(value.strip()):
            return value.strip()
    tail = body[-4000:].rstrip()
    last = tail.rsplit("\n", 1)[-1]
    match = _LINK_LINE.match(last)
    if match and _URL.match(match.group(2)):
        return match.group(2)
    return ""
