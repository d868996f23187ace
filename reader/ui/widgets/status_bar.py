"""The status line: counts, the search's hits, and the progress of background work."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

ORDER = ("view", "new", "search", "scan", "index", "state")


class StatusBar(Static):
    """Named parts shown side by side; the screen sets and clears them."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts: dict[str, str] = {}

    def set_part(self, name: str, text: str) -> None:
        if text:
            self.parts[name] = text
        else:
            self.parts.pop(name, None)
        names = [n for n in ORDER if n in self.parts] + [n for n in self.parts if n not in ORDER]
        # One line, always: a new text never changes the layout, so no reflow of the
        # screen (the status changes at every keystroke of a search).
        self.update(Text(" │ ".join(self.parts[n] for n in names), no_wrap=True,
                         overflow="ellipsis"), layout=False)
