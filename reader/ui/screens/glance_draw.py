"""What the glance screen draws from the figures (reader/session/glance_figures.py): the
head lines, the charts, the tables and the top names of the week.  When what arrived
is shown over days that do not end today (the days to the newest article), every
title says which days it covers; your reading is always the days to today."""

from __future__ import annotations

from rich.text import Text

from reader.session.glance_figures import Figures, arrivals_span, notice
from reader.session.glance_stories import Covered
from reader.ui.sanitize import clean_line
from reader.ui.widgets.glance_charts import Chart
from reader.ui.widgets.top_names import Names
from reader.ui.widgets.week_bars import Table
from reader.ui.wording import LANGUAGE_NAMES

COUNTING = Text("Counting…", style="italic")
HELD = Text("Counts once the hide rules are applied", style="italic")  # no figure until


def head(shown: Figures, tz, window_key: str) -> Text:
    """The totals and the days shown; what to say of days that hold nothing, and the
    key (`window_key`) that shows the days to the newest article."""
    line = Text(f"{shown.total:,} articles · {shown.unread:,} unread · "
                f"{shown.starred:,} starred", style="bold")
    today = f"{shown.today:%Y-%m-%d} ({tz})"
    if shown.moved:
        line.append(f"   what arrived: {arrivals_span(shown)}; your reading: the "
                    f"{len(shown.reading_days)} days to today, {today}", style="italic")
    else:
        line.append(f"   the {len(shown.days)} days to {today}", style="italic")
    said = notice(shown)
    if said and shown.newest is not None and shown.newest != shown.until:
        said += f"; {window_key} shows the {len(shown.days)} days to it"
    if said:
        line.append("\n" + said[0].upper() + said[1:], style="bold italic")
    return line


def week_of(shown: Figures) -> str:
    return "this week" if not shown.moved else f"the week to {shown.until:%m-%d}"


def charts(shown: Figures, hour_now: int | None) -> list[Chart]:
    """Per day and per hour (the cursor on `hour_now`, else on the last hour with
    articles), read per day and the backlog (sharing the day cursor when their days
    are those of what arrived)."""
    days = tuple(f"{d:%a %m-%d}" for d in shown.days)
    reading = tuple(f"{d:%a %m-%d}" for d in shown.reading_days)
    moved = shown.moved
    busy = [h for h, n in enumerate(shown.hours) if n]
    hour = hour_now if hour_now is not None else (busy[-1] if busy else 23)
    series = "reading" if moved else "days"
    to_today = " to today" if moved else ""
    return [
        Chart(f"Per day to {shown.until:%m-%d}" if moved else "Per day", shown.arrived, days,
              f"usual {shown.usual:,.1f}"),
        Chart(f"{shown.until:%m-%d} by hour" if moved else "Today by hour", shown.hours,
              tuple(f"{h:02d}:00" for h in range(24)), series="hours", start=hour),
        Chart(f"Read per day{to_today}", shown.read, reading, series=series),
        Chart(f"Unread backlog{to_today}", shown.backlog, reading, series=series),
    ]


def tables(shown: Figures) -> list[Table]:
    week = week_of(shown)
    return [Table(f"Sources, {week}", shown.sources),
            Table(f"Languages, {week}", shown.langs, lambda code: LANGUAGE_NAMES.get(code, code))]


def names(shown: Figures) -> list[Names]:
    week = week_of(shown)
    return [Names("category", f"Categories, {week}", shown.categories),
            Names("tag", f"Tags, {week}", shown.tags)]


def stories(covered: list[Covered], day) -> Text:
    """`Most-covered stories, 02-20` and a line a story: `×3 title  reuters, investing`."""
    text = Text(f"Most-covered stories, {day:%m-%d}", style="bold")
    for story in covered:
        text.append(f"\n×{story.copies} ", style="bold")
        text.append(clean_line(story.title) or "(untitled)")
        text.append(f"  {', '.join(map(clean_line, story.sources))}", style="dim")
    return text
