"""The date terms of the query language: `after:`, `before:`, `date:` and `added:`
values as spans of epoch seconds in the archive's time zone (reader/index/query.py
says what each form means)."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta


class DateError(ValueError):
    """A date term that is not a date; the message is the query's error."""


_YEAR_OR_MONTH = re.compile(r"([0-9]{1,4})(?:-([0-9]{1,2}))?")  # date:YYYY, date:YYYY-MM


def date_range(name: str, value: str, tz) -> tuple[int | None, int | None]:
    """[start, end) in epoch seconds for after:, before: and date: values; the end is None
    when the span reaches 9999-12-31, the last day a date can have."""
    first, end = _date_span(value, name)
    start = _day_start(first, tz)
    if name == "after":
        return start, None
    if name == "before":
        return None, start
    return start, None if end is None else _day_start(end, tz)


def _day_start(day: date, tz) -> int:
    """Epoch seconds of the day's first moment in `tz` (no overflow in year 1 or 9999)."""
    return int(datetime.combine(day, datetime.min.time(), tz).timestamp())


def _date_span(value: str, name: str) -> tuple[date, date | None]:
    """The span's first day and the day after its last (None after 9999-12-31)."""
    year_or_month = _YEAR_OR_MONTH.fullmatch(value) if name == "date" else None
    try:
        if year_or_month:
            first, last = _year_or_month_span(*year_or_month.groups())
        else:
            first = last = date.fromisoformat(value)
    except ValueError:
        forms = "YYYY, YYYY-MM or YYYY-MM-DD" if name == "date" else "YYYY-MM-DD"
        raise DateError(f"{name}:{value}: not a date (use {forms})") from None
    return first, None if last == date.max else last + timedelta(days=1)


def _year_or_month_span(year: str, month: str | None) -> tuple[date, date]:
    """The first and last day of a year, or of a month when one is given."""
    if month is None:
        return date(int(year), 1, 1), date(int(year), 12, 31)
    first = date(int(year), int(month), 1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


_COMPARED = re.compile(r"(>=|<=|>|<)(.+)", re.S)  # added:>=2026-11-01
_MOVING = {"today": 0, "yesterday": 1}  # days back from today
_NOTHING = 2 ** 62  # a start after every moment: `added:>9999` finds nothing
ADDED_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, today or yesterday; >D, >=D, <D, <=D or D..D"


def added_range(value: str, tz) -> tuple[tuple[int | None, int | None], bool]:
    """`added:`'s [start, end) in epoch seconds (None: open), and whether it moves with
    the clock (today, yesterday)."""
    compared = _COMPARED.fullmatch(value)
    first, sep, last = value.partition("..")
    try:
        if compared:
            operator, day = compared.groups()
            start, end = _span_seconds(day, tz)
            span = {">": (_NOTHING if end is None else end, None), ">=": (start, None),
                    "<": (None, start), "<=": (None, end)}[operator]
        elif sep and (first or last):
            span = (_span_seconds(first, tz)[0] if first else None,
                    _span_seconds(last, tz)[1] if last else None)
        else:
            span = _span_seconds(value, tz)
    except ValueError:
        raise DateError(f"added:{value}: not a date (use {ADDED_FORMS})") from None
    return span, any(part.lower() in _MOVING for part in (value.lstrip("<>="), first, last))


def _span_seconds(value: str, tz) -> tuple[int, int | None]:
    """A day, month or year (or today, yesterday) as [start, end) epoch seconds; the end
    None past 9999-12-31.  Raises ValueError."""
    back = _MOVING.get(value.strip().lower())
    if back is not None:
        first = last = datetime.now(tz).date() - timedelta(days=back)
    elif year_or_month := _YEAR_OR_MONTH.fullmatch(value):
        first, last = _year_or_month_span(*year_or_month.groups())
    else:
        first = last = date.fromisoformat(value)
    return _day_start(first, tz), None if last == date.max else \
        _day_start(last + timedelta(days=1), tz)
