"""The glance screen's bars: a source's or a language's articles this week, with its
unread, the week before and the trend, a row each, names aligned by terminal cells
(a Chinese name takes two a character), as wide as the widget."""

from __future__ import annotations

from typing import Callable, Sequence

from rich.text import Text
from textual.widget import Widget

from reader.session.glance_figures import Row
from reader.ui.text_charts import bar, fit, name_width, trend

NUMBERS = " {:>6} {:>6} {:>6} {:>6}"  # this week, unread, last week, trend
NUMBER_CELLS = len(NUMBERS.format("", "", "", ""))


class WeekBars(Widget):
    """Rows of bars; `name_of` turns a row's name into what is shown (a language code
    into its name)."""

    COMPONENT_CLASSES = {"week-bars--bar"}
    DEFAULT_CSS = """
    WeekBars { height: auto; }
    WeekBars > .week-bars--bar { color: $reader-focus; }
    """

    def __init__(self, title: str, name_of: Callable[[str], str] = str, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.title, self.name_of = title, name_of
        self.rows: tuple[Row, ...] = ()
        self.most = 10

    def show(self, rows: Sequence[Row]) -> None:
        self.rows = tuple(rows)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return 1 + max(1, min(len(self.rows), self.most)) + (len(self.rows) > self.most)

    def render(self) -> Text:
        width = self.size.width
        shown = self.rows[:self.most]
        names = [self.name_of(r.name) for r in shown]
        cells = name_width(names, max(6, width // 3))
        bars = max(1, width - cells - 1 - NUMBER_CELLS)
        top = max((max(r.this_week, r.last_week) for r in shown), default=0)
        bar_style = self.get_component_rich_style("week-bars--bar")
        out = Text(fit(self.title, cells + 1 + bars), style="bold", no_wrap=True,
                   overflow="crop")
        out.append(NUMBERS.format("week", "unread", "before", "trend"), style="italic")
        if not shown:
            out.append("\nnothing these two weeks", style="italic")
        for row, name in zip(shown, names):
            out.append("\n" + fit(name, cells) + " ")
            out.append(bar(row.this_week, top, bars), style=bar_style)
            out.append(NUMBERS.format(f"{row.this_week:,}", f"{row.unread:,}",
                                      f"{row.last_week:,}", trend(row.trend)))
        if len(self.rows) > self.most:
            out.append(f"\n… and {len(self.rows) - self.most:,} more", style="italic")
        return out
