"""Counts in words ("1 hit", "2 hits", "1,234 articles") and dates in local time."""

from __future__ import annotations

from datetime import datetime, tzinfo


def plural(count: int, word: str, prefix: str = "") -> str:
    """`count` and `word`, with an s unless the count is one (`prefix`: "about ", ...)."""
    return f"{prefix}{count:,} {word}{'' if count == 1 else 's'}"


def local_date(moment: datetime, tz: tzinfo, form: str) -> str:
    """`moment` in the reader's zone, formatted; as stored where the zone would take it out
    of datetime's range (a date in year 1 or 9999 from an older cache)."""
    try:
        moment = moment.astimezone(tz)
    except (OverflowError, ValueError):
        pass
    return moment.strftime(form.replace("%Y", f"{moment.year:04d}"))  # year 999: 0999
