"""The `?` screen: every key, as the user's keymap has it.

The rows come from the caller (`reader.ui.keys.help_rows`), and this screen's own keys
from `reader.ui.keys` like every other: keys.py never imports a screen.
"""

from __future__ import annotations

from typing import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from reader.index.syntax import QUERY_NOTE, QUERY_SYNTAX
from reader.ui.keys import HELP_BINDINGS


class HelpScreen(ModalScreen[None]):
    """The keys, then the query syntax, in one scroll; escape, q or ? closes it."""

    BINDINGS = HELP_BINDINGS

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 110; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen DataTable { height: auto; }
    """

    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """`rows`: (keys, what they do, binding id) for every key."""
        super().__init__()
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            yield Static(Text("Keys can be changed in the config file's [keys] table "
                              "(id = \"key,key\").", style="dim"))
            yield Static(Text("The tree shows unread/total for each group: Starred 0/1 is "
                              "one starred article, already read.", style="dim"),
                         id="help-counts")
            yield Static(Text("New holds what the reader first saw since its previous session "
                              "began (on a first run: what arrives while it is open); "
                              "is:new searches it, added: by the day first seen.",
                              style="dim"), id="help-new")
            yield DataTable(cursor_type="none", zebra_stripes=True, id="help-keys")
            yield Static(Text("\nSearch (/)", style="bold"))
            yield Static(Text(QUERY_NOTE, style="dim"))
            yield DataTable(cursor_type="none", zebra_stripes=True, id="help-query")

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_columns("Keys", "Id", "Action")
        table.add_rows([(Text(k, style="bold"), Text(i, style="dim"), Text(what))
                        for k, what, i in self.rows])
        query = self.query_one("#help-query", DataTable)
        query.add_columns("You type", "Finds")
        query.add_rows([(Text(form, style="bold"), Text(meaning))
                        for form, meaning in QUERY_SYNTAX])
        for data_table in self.query(DataTable):
            data_table.can_focus = False  # the scroll moves, not a cursor inside a table
        self.query_one(VerticalScroll).focus()

    def action_scroll(self, where: str) -> None:
        """Scroll the whole help (keys and query syntax) one line, a page or to an end."""
        scroll = self.query_one(VerticalScroll)
        actions = {"down": scroll.scroll_down, "up": scroll.scroll_up,
                   "home": scroll.scroll_home, "end": scroll.scroll_end,
                   "page_down": scroll.scroll_page_down, "page_up": scroll.scroll_page_up}
        actions[where](animate=False)

    def action_dismiss(self) -> None:
        self.dismiss(None)
