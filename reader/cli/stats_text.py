"""`newsreader stats` on a terminal: the glance figures as sparklines and bars."""

from __future__ import annotations

from reader.session.glance_figures import Figures, Row, arrivals_span, notice
from reader.textsafe import clean_line
from reader.ui.text_charts import bar, fit, name_width, sparkline, trend

LABEL = 18  # cells of a chart's label
ROWS = 12  # sources shown at most


def stats_text(shown: Figures, archive: str, width: int = 80) -> str:
    """The figures as lines of text about `width` cells wide."""
    lines = [f"{clean_line(shown.scope)} in {clean_line(archive)}: {shown.total:,} articles, "
             f"{shown.unread:,} unread, {shown.starred:,} starred", *_windows(shown), ""]
    first, last = shown.days[0], shown.until
    day = "today" if not shown.moved else f"{last:%m-%d}"
    lines += _chart("Articles per day", shown.arrived,
                    f"{day} {shown.arrived[-1]:,}, usual {_usual(shown.usual)}")
    lines.append(" " * LABEL + f"{first:%m-%d} … {last:%m-%d}  (most {max(shown.arrived):,})")
    lines += _chart(f"Per hour {day}", shown.hours, f"most {max(shown.hours):,}")
    lines += _chart("Read per day", shown.read, f"today {shown.read[-1]:,}")
    lines += _chart("Unread backlog", shown.backlog, f"now {shown.backlog[-1]:,}",
                    top=max(shown.backlog, default=0))
    lines += ["", *_rows("Sources", shown.sources, width),
              "", *_rows("Languages", shown.langs, width), ""]
    lines += [_top("Top categories", shown.categories), _top("Top tags", shown.tags)]
    return "\n".join(lines)


def _windows(shown: Figures) -> list[str]:
    """Which days the charts cover, and what to say of days that hold nothing."""
    lines = []
    if shown.moved:
        lines.append(f"What arrived: {arrivals_span(shown)}; your reading: the "
                     f"{len(shown.reading_days)} days to today ({shown.today:%Y-%m-%d})")
    said = notice(shown)
    if said and shown.newest is not None and shown.newest != shown.until:
        said += " (--until newest shows the days to it)"
    return lines + ([said[0].upper() + said[1:]] if said else [])


def _usual(mean: float) -> str:
    return f"{mean:,.0f}" if mean >= 10 else f"{mean:.1f}"


def _chart(label: str, values, note: str, top: int | None = None) -> list[str]:
    return [f"{label:<{LABEL}}{sparkline(values, top)}  {note}"]


def _rows(title: str, rows: tuple[Row, ...], width: int) -> list[str]:
    """A bar per name (this week), with unread, the week before and the trend."""
    if not rows:
        return [f"{title}: nothing these two weeks"]
    shown = rows[:ROWS]
    names = name_width([r.name or "(none)" for r in shown], 20)
    bars = max(8, width - names - 40)
    top = max(max(r.this_week, r.last_week) for r in shown)
    out = [f"{title} (this week, unread, last week, trend)"]
    for row in shown:
        out.append(f"  {fit(row.name or '(none)', names)} {bar(row.this_week, top, bars)} "
                   f"{row.this_week:>6,} {row.unread:>6,} unread {row.last_week:>6,} "
                   f"{trend(row.trend):>6}")
    if len(rows) > ROWS:
        out.append(f"  … and {len(rows) - ROWS:,} more")
    return out


def _top(title: str, counts) -> str:
    if not counts:
        return f"{title} of the week: none"
    return f"{title} of the week: " + ", ".join(f"{clean_line(n)} {c:,}" for n, c in counts)
