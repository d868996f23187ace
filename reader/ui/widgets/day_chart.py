"""A sparkline with a cursor: the glance screen's per day and per hour charts.

Textual's `Sparkline` draws the values; each value gets the same whole number of
cells (the sparkline is sized to a multiple of their count), so the marker line
under it points at exactly the value the caption names.  Focused, left and right
move the cursor (home/end: the first and last), and the caption reads that value.
"""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Sparkline, Static


class DayChart(Vertical, can_focus=True):
    """A titled sparkline of `values` (each named by `labels`), the cursor on the last."""

    BINDINGS = [
        Binding("left,h", "move(-1)", "Previous", id="chart.previous", show=False),
        Binding("right,l", "move(1)", "Next", id="chart.next", show=False),
        Binding("home", "move(-10000)", "First", id="chart.first", show=False),
        Binding("end", "move(10000)", "Last", id="chart.last", show=False),
    ]
    DEFAULT_CSS = """
    DayChart { height: auto; }
    DayChart > .chart-caption { height: 1; }
    DayChart > Sparkline { height: 2; }
    DayChart > .chart-marker { height: 1; color: $text-muted; }
    DayChart:focus > .chart-marker { color: $reader-focus; }
    DayChart:focus > .chart-caption { text-style: bold; }
    """
    cursor = reactive(-1, init=False)

    def __init__(self, title: str, unit: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title, self.unit = title, unit
        self.values: tuple[int, ...] = ()
        self.labels: tuple[str, ...] = ()
        self.note = ""

    def compose(self) -> ComposeResult:
        yield Static(classes="chart-caption")
        yield Sparkline([], summary_function=max)
        yield Static(classes="chart-marker")

    def show(self, values: Sequence[int], labels: Sequence[str], note: str = "",
             start: int = -1) -> None:
        """New figures; the cursor stays on its place (at first on `start`, else the
        last value)."""
        self.values, self.labels, self.note = tuple(values), tuple(labels), note
        if not 0 <= self.cursor < len(self.values):
            self.cursor = start if 0 <= start < len(values) else len(self.values) - 1
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def watch_cursor(self) -> None:
        self._draw()

    def action_move(self, step: int) -> None:
        if self.values:
            self.cursor = max(0, min(len(self.values) - 1, self.cursor + step))

    @property
    def cells(self) -> int:
        """The cells each value takes (at least one)."""
        return max(1, self.size.width // max(1, len(self.values)))

    def _draw(self) -> None:
        if not self.is_mounted:
            return
        sparkline = self.query_one(Sparkline)
        sparkline.styles.width = self.cells * len(self.values) or 1
        sparkline.data = list(self.values) or [0]
        self.query_one(".chart-caption", Static).update(self._caption())
        self.query_one(".chart-marker", Static).update(self._marker())

    def _caption(self) -> Text:
        caption = Text(self.title, style="bold")
        if 0 <= self.cursor < len(self.values):
            figure = self.values[self.cursor]
            caption.append(f"  {self.labels[self.cursor]}: {figure:,} {self.unit}")
        if self.note:
            caption.append(f"  {self.note}", style="italic")
        return caption

    def _marker(self) -> Text:
        if not 0 <= self.cursor < len(self.values):
            return Text("")
        cells = self.cells
        return Text(" " * (self.cursor * cells) + "▔" * cells)
