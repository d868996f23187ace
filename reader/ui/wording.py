"""Counts in words ("1 hit", "2 hits", "1,234 articles"), dates in local time, and the
names of the tree's groups as the user reads them."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Iterable, Sequence

from rich.text import Text

from reader.state.groups import ALL, NEW, SECTIONS, STARRED, UNREAD, Key as GroupKey
from reader.state.rule_marks import HIDDEN
from reader.ui.sanitize import clean_line

LANGUAGE_NAMES = {"en": "English", "zh-CN": "简体中文", "zh-HK": "繁體中文",
                  "zh-TW": "繁體中文"}
TOP_NAMES = {ALL: "All", UNREAD: "Unread", STARRED: "Starred", NEW: "New", HIDDEN: "Hidden"}


def plural(count: int, word: str, prefix: str = "") -> str:
    """`count` and `word`, with an s unless the count is one (`prefix`: "about ", ...)."""
    return f"{prefix}{count:,} {word}{'' if count == 1 else 's'}"


def counted(count: int, unit: str, suffix: str = "") -> str:
    """`count` with what it counts, where that is to be said (`unit`: "stories" or
    "articles", Services.counted; "" says nothing): "13 stories", "1 story", "12".
    `suffix` follows the number ("+": a lower bound)."""
    noun = unit_noun(count != 1 or bool(suffix), unit)
    return f"{count:,}{suffix} {noun}" if noun else f"{count:,}{suffix}"


def unit_noun(many: bool, unit: str) -> str:
    """"story" or "stories", "article" or "articles" (`many`); "" for no `unit`."""
    return {"stories": ("story", "stories"), "articles": ("article", "articles")}.get(
        unit, ("", ""))[many]


def local_date(moment: datetime, tz: tzinfo, form: str) -> str:
    """`moment` in the reader's zone, formatted; as stored where the zone would take it out
    of datetime's range (a date in year 1 or 9999 from an older cache)."""
    try:
        moment = moment.astimezone(tz)
    except (OverflowError, ValueError):
        pass
    return moment.strftime(form.replace("%Y", f"{moment.year:04d}"))  # year 999: 0999


def group_name(key: GroupKey) -> str:
    """A group as the tree names it: "All", "繁體中文", "Categories", a tag ..."""
    kind, name = key
    if key in TOP_NAMES:
        return TOP_NAMES[key]
    if kind == "section":
        return dict(SECTIONS).get(name, name)
    if kind == "lang":
        return LANGUAGE_NAMES.get(name, name)
    return clean_line(name) or "(none)"


def numbered_articles(heading: Text, keys: Iterable[str], articles: Sequence,
                      tz: tzinfo, date_format: str) -> Text:
    """`heading` and a line for each article under it, the key that opens it first:
    `1 02-20 09:00 reuters: Central bank holds rates` (the copies of a story, the
    related articles)."""
    for key, article in zip(keys, articles):
        heading.append(f"\n{key} ", style="bold")
        heading.append(f"{local_date(article.date, tz, date_format)} ", style="dim")
        heading.append(f"{clean_line(article.source)}: " if article.source else "",
                       style="dim")
        heading.append(clean_line(article.title) or "(untitled)")
    return heading
