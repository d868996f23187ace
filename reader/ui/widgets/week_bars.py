"""The glance screen's bars: per source and per language, the articles of the week with
their unread, the week before and the trend, a row each, names aligned by terminal
cells (a Chinese name takes two a character).  One widget draws both tables, side by
side from `BESIDE` cells, else one under the other."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from reader.session.glance_figures import Row
from reader.ui.text_charts import bar, fit, name_width, trend
from reader.ui.widgets.text_columns import grid, joined

NUMBERS = " {:>6} {:>6} {:>6} {:>6}"  # this week, unread, last week, trend
NUMBER_CELLS = len(NUMBERS.format("", "", "", ""))
BESIDE = 56  # cells a table needs to stand beside the other
GAP = 3
MOST = 10  # rows shown of a table


@dataclass(frozen=True)
class Table:
    """A titled table of rows; `name_of` turns a row's name into what is shown (a
    language code into its name)."""

    title: str
    rows: tuple[Row, ...]
    name_of: Callable[[str], str] = str


class WeekBars(Widget):
    """The tables of the week, as wide as the widget."""

    COMPONENT_CLASSES = {"week-bars--bar"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tables: tuple[Table, ...] = ()

    def show(self, tables: Sequence[Table]) -> None:
        self.tables = tuple(tables)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._lines(width)) or 1

    def render(self) -> Text:
        return joined(self._lines(self.size.width))

    def _lines(self, width: int) -> list[Text]:
        style = self.get_component_rich_style("week-bars--bar")
        column = width if width < 2 * BESIDE + GAP else (width - GAP) // 2
        blocks = [table_lines(t, column, style) for t in self.tables]
        return grid(blocks, width, BESIDE, GAP, between=1)


def table_lines(table: Table, width: int, bar_style: Style) -> list[Text]:
    """A table's title and header line, then a bar a row (the longest bar: the most
    this week or the week before), `width` cells wide."""
    shown = table.rows[:MOST]
    names = [table.name_of(r.name) or "(none)" for r in shown]
    cells = name_width(names, max(6, width // 3))
    bars = max(1, width - cells - 1 - NUMBER_CELLS)
    top = max((max(r.this_week, r.last_week) for r in shown), default=0)
    head = Text(fit(table.title, cells + 1 + bars), style="bold")
    head.append(NUMBERS.format("week", "unread", "before", "trend"), style="italic")
    out = [head]
    if not shown:
        out.append(Text("nothing these two weeks", style="italic"))
    for row, name in zip(shown, names):
        line = Text(fit(name, cells) + " ")
        line.append(bar(row.this_week, top, bars), style=bar_style)
        line.append(NUMBERS.format(f"{row.this_week:,}", f"{row.unread:,}",
                                   f"{row.last_week:,}", trend(row.trend)))
        out.append(line)
    if len(table.rows) > MOST:
        out.append(Text(f"… and {len(table.rows) - MOST:,} more", style="italic"))
    return out
