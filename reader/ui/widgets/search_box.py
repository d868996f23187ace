"""The search box: every keystroke is a search; escape clears it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class SearchBox(Input):
    """An Input whose escape key clears the query and hands focus back."""

    BINDINGS = [Binding("escape", "clear", "Clear search", show=False, id="search.clear")]

    DEFAULT_CSS = """
    SearchBox { border: none; height: 1; padding: 0 1; }
    SearchBox:focus { border: none; }
    """

    @dataclass
    class Cleared(Message):
        """The user cleared the search with escape."""

        search_box: "SearchBox"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="/ search: words, \"a phrase\", 中文",
                         id=id)

    def action_clear(self) -> None:
        self.value = ""
        self.post_message(self.Cleared(self))
