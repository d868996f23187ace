"""The search box: every keystroke is a search; escape clears it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input


class SearchBox(Input):
    """An Input whose enter hands focus on to the list and whose escape clears the query
    first.

    Both are priority bindings that move the focus at once, while the app handles the
    key: a terminal delivers a fast typist's "enter j j" in one burst, and the app
    forwards each key to the widget focused *when it dispatches it*.  Moving the focus
    later, from a Submitted message, sent the "j j" into the box."""

    BINDINGS = [
        Binding("enter", "leave", "Back to the list", show=False, priority=True,
                id="search.submit"),
        Binding("escape", "clear", "Clear search", show=False, priority=True,
                id="search.clear"),
    ]

    # Every key changes the text's width: the box repaints, the screen is not reflowed
    # (Widget's virtual_size reflows it; the box is one line whatever it holds).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0))

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

    def action_leave(self) -> None:
        self.screen.focus_next()  # the article list, below the box
        self.post_message(self.Submitted(self, self.value))

    def action_clear(self) -> None:
        self.value = ""
        self.screen.focus_next()
        self.post_message(self.Cleared(self))
