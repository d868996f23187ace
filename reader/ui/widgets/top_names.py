"""The glance screen's top categories and tags of the week, two lists in one widget (side
by side where they fit), a cursor on one name: up and down move it in its list, left
and right go to the other list, enter (or a click) posts `TopNames.Chosen` with the
name's kind and name, which the screen turns into that group of the tree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from reader.ui.sanitize import clean_line
from reader.ui.widgets.text_columns import columns_of, grid, joined, padded

GAP = 3
LEAST = 28  # cells a list needs to stand beside the other


@dataclass(frozen=True)
class Names:
    """A titled list of (name, articles), most first; `kind`: the group kind of a name."""

    kind: str
    title: str
    counts: tuple[tuple[str, int], ...]


class TopNames(Widget, can_focus=True):
    BINDINGS = [
        Binding("up,k", "move(0, -1)", "Up", id="names.up", show=False),
        Binding("down,j", "move(0, 1)", "Down", id="names.down", show=False),
        Binding("left,h", "move(-1, 0)", "Other list", id="names.left", show=False),
        Binding("right,l", "move(1, 0)", "Other list", id="names.right", show=False),
        Binding("enter", "choose", "Open its list", id="names.open", show=False),
    ]
    COMPONENT_CLASSES = {"top-names--cursor", "top-names--cursor-blurred"}

    @dataclass
    class Chosen(Message):
        kind: str
        name: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lists: tuple[Names, ...] = ()
        self.at = (0, 0)  # (list, row)

    def show(self, lists: Sequence[Names]) -> None:
        self.lists = tuple(lists)
        self._place(*self.at)
        self.refresh(layout=True)

    def _place(self, column: int, row: int) -> None:
        column = max(0, min(len(self.lists) - 1, column))
        rows = len(self.lists[column].counts) if self.lists else 0
        self.at = (column, max(0, min(rows - 1, row)))

    def action_move(self, columns: int, rows: int) -> None:
        self._place(self.at[0] + columns, self.at[1] + rows)
        self.refresh()

    def action_choose(self) -> None:
        column, row = self.at
        if self.lists and row < len(self.lists[column].counts):
            names = self.lists[column]
            self.post_message(self.Chosen(names.kind, names.counts[row][0]))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        count, width = columns_of(self.size.width, LEAST, GAP)
        if count > 1:
            column, row = min(count - 1, event.x // (width + GAP)), event.y - 1
        else:  # one under the other: a title, its rows, a blank line
            first = len(self.lists[0].counts) + 2 if self.lists else 0
            column, row = (0, event.y - 1) if event.y < first else (1, event.y - first - 1)
        if self.lists and 0 <= row < len(self.lists[min(column, len(self.lists) - 1)].counts):
            self._place(column, row)
            self.action_choose()

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._lines(width)) or 1

    def render(self) -> Text:
        return joined(self._lines(self.size.width))

    def _lines(self, width: int) -> list[Text]:
        column = columns_of(width, LEAST, GAP)[1]
        blocks = [self._block(i, names, column) for i, names in enumerate(self.lists)]
        return grid(blocks, width, LEAST, GAP, between=1)

    def _block(self, index: int, names: Names, column: int) -> list[Text]:
        out = [Text(names.title, style="bold")]
        if not names.counts:
            return out + [Text("none", style="italic")]
        width = max(cell_len(f"{c:,}") for _, c in names.counts)
        cursor = self.get_component_rich_style(
            "top-names--cursor" if self.has_focus else "top-names--cursor-blurred")
        for row, (name, count) in enumerate(names.counts):
            line = Text(f"{count:>{width},}  ") + Text(clean_line(name))
            if (index, row) == self.at:
                line = padded(line, column)
                line.stylize(cursor)
            out.append(line)
        return out
