"""The glance screen's charts, all in one widget: what arrived per day and per hour, your
reading per day and the unread backlog, as columns of eighths of a cell (▁▂▃▄▅▆▇█) two
lines high (five on a tall terminal), two charts a row where they fit.

One widget draws them all, as one Rich renderable: a Textual Sparkline and two
Statics a chart made the screen's open cost a second (issue 15).  Each value takes
the same whole number of cells, so the marker line under a chart points at exactly
the value its caption names.  The charts of one series (the days) share a cursor:
left and right move it (home/end: the first and last) and each day chart's caption
reads that day; up and down pick the chart the keys move; a click picks a chart and
a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

from reader.ui.text_charts import SPARKS
from reader.ui.widgets.text_columns import Block, columns_of, grid, joined, padded

GAP = 3  # cells between two charts of a row
LEAST = 24  # cells a chart needs to stand beside another


@dataclass(frozen=True)
class Chart:
    """A titled chart of `values`, each named by a label; the charts of one `series`
    share a cursor, which starts on `start` (else the last value)."""

    title: str
    values: tuple[int, ...]
    labels: tuple[str, ...]
    note: str = ""
    series: str = "days"
    start: int = -1


class GlanceCharts(Widget, can_focus=True):
    """Charts in rows; `bar_rows`: the lines each chart's columns take."""

    BINDINGS = [
        Binding("left,h", "move(-1)", "Previous", id="chart.previous", show=False),
        Binding("right,l", "move(1)", "Next", id="chart.next", show=False),
        Binding("home", "move(-10000)", "First", id="chart.first", show=False),
        Binding("end", "move(10000)", "Last", id="chart.last", show=False),
        Binding("up,k", "pick(-1)", "Chart before", id="chart.up", show=False),
        Binding("down,j", "pick(1)", "Chart after", id="chart.down", show=False),
    ]
    COMPONENT_CLASSES = {"glance-charts--bar", "glance-charts--cursor",
                         "glance-charts--marker", "glance-charts--picked"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.charts: tuple[Chart, ...] = ()
        self.cursors: dict[str, int] = {}
        self.picked = 0
        self.bar_rows = 2

    def show(self, charts: Sequence[Chart]) -> None:
        """New figures; each series' cursor stays where it is (at first on its start)."""
        self.charts = tuple(charts)
        for chart in self.charts:
            count, at = len(chart.values), self.cursors.get(chart.series, -1)
            if not 0 <= at < count:
                self.cursors[chart.series] = chart.start if 0 <= chart.start < count else count - 1
        self.picked = min(self.picked, max(0, len(self.charts) - 1))
        self.refresh(layout=True)

    def cursor(self, chart: Chart) -> int:
        return self.cursors.get(chart.series, -1)

    def action_move(self, step: int) -> None:
        if self.charts and self.charts[self.picked].values:
            chart = self.charts[self.picked]
            at = self.cursor(chart) + step
            self.cursors[chart.series] = max(0, min(len(chart.values) - 1, at))
            self.refresh()

    def action_pick(self, step: int) -> None:
        self.picked = max(0, min(len(self.charts) - 1, self.picked + step))
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- layout ---------------------------------------------------------------------

    def _columns(self, width: int) -> tuple[int, int]:
        return columns_of(width, LEAST, GAP)

    def get_content_height(self, container, viewport, width: int) -> int:
        count = self._columns(width)[0]
        rows = -(-len(self.charts) // count) if self.charts else 1
        return rows * (self.bar_rows + 2)

    def cells(self, chart: Chart, width: int | None = None) -> int:
        """The cells each of a chart's values takes (at least one)."""
        width = self._columns(self.size.width)[1] if width is None else width
        return max(1, width // max(1, len(chart.values)))

    def on_click(self, event: events.Click) -> None:
        """Pick the chart clicked, and its value under the pointer."""
        count, width = self._columns(self.size.width)
        row, x = event.y // (self.bar_rows + 2), event.x
        index = row * count + min(count - 1, x // (width + GAP))
        if not 0 <= index < len(self.charts):
            return
        self.picked, chart = index, self.charts[index]
        value = (x - (index % count) * (width + GAP)) // self.cells(chart, width)
        if 0 <= value < len(chart.values):
            self.cursors[chart.series] = value
        self.refresh()

    # -- drawing ----------------------------------------------------------------------

    def render(self) -> Text:
        width = self._columns(self.size.width)[1]
        blocks = [self._block(i, chart, width) for i, chart in enumerate(self.charts)]
        return joined(grid(blocks, self.size.width, LEAST, GAP))

    def _block(self, index: int, chart: Chart, width: int) -> Block:
        picked = index == self.picked and self.has_focus
        cells, at = self.cells(chart, width), self.cursor(chart)
        bar = self.get_component_rich_style("glance-charts--bar")
        cursor = self.get_component_rich_style("glance-charts--cursor")
        lines = [padded(self._caption(chart, at, picked), width)]
        top = max(chart.values, default=0)
        for row in range(self.bar_rows):  # three runs a line: before the cursor, it, after
            chars = [_column(v, top, row, self.bar_rows) * cells for v in chart.values]
            cut = at if at >= 0 else len(chars)
            line = Text("".join(chars[:cut]), style=bar)
            line.append("".join(chars[cut:cut + 1]), style=cursor)
            line.append("".join(chars[cut + 1:]), style=bar)
            lines.append(line)
        marker = "glance-charts--picked" if picked else "glance-charts--marker"
        lines.append(Text(" " * (max(0, at) * cells)) + Text(
            "▔" * cells if at >= 0 else "", style=self.get_component_rich_style(
                marker)))
        return lines

    def _caption(self, chart: Chart, at: int, picked: bool) -> Text:
        style = Style(bold=True)
        if picked:
            style = self.get_component_rich_style("glance-charts--picked") + style
        caption = Text(chart.title, style=style)
        if 0 <= at < len(chart.values):
            caption.append(f"  {chart.labels[at]}: {chart.values[at]:,}")
        if chart.note:
            caption.append(f"  {chart.note}", style="italic")
        return caption


def _column(value: int, top: int, row: int, rows: int) -> str:
    """The character of a value's column in `row` (0 the top) of `rows`: blank for
    zero, at least an eighth for any other value."""
    if value <= 0 or top <= 0:
        return " "
    eighths = max(1, round(value * rows * 8 / top))
    filled = min(8, eighths - (rows - 1 - row) * 8)
    return SPARKS[filled - 1] if filled > 0 else " "
