"""Every key of the reader in one place: the bindings, their ids and the help text.

A binding's id is what the config file's [keys] table names, e.g.

    [keys]
    next_unread = "n,ctrl+n"
    quit = "q,ctrl+c"
"""

from __future__ import annotations

from typing import Iterable, Mapping

from textual.binding import Binding

# Keys of the main screen; the footer shows those with show=True.
SCREEN_BINDINGS = [
    Binding("question_mark", "help", "Help", id="help", key_display="?"),
    Binding("slash", "search", "Search", id="search", key_display="/"),
    Binding("n", "next_unread", "Next unread", id="next_unread"),
    Binding("p", "previous_unread", "Prev unread", id="previous_unread"),
    Binding("m", "toggle_read", "Read/unread", id="toggle_read"),
    Binding("s", "toggle_star", "Star", id="toggle_star"),
    Binding("A", "mark_all_read", "All read", id="mark_all_read"),
    Binding("u", "undo", "Undo", id="undo"),
    Binding("o", "open_link", "Open link", id="open_link"),
    Binding("y", "copy_link", "Copy link", id="copy_link"),
    Binding("r", "rescan", "Rescan", id="rescan"),
    Binding("f", "zoom", "Full screen", id="zoom"),
    Binding("t", "toggle_tree", "Tree", id="toggle_tree", show=False),
    Binding("d", "toggle_order", "Order", id="toggle_order", show=False),
    Binding("space", "page_down", "Page down", id="page_down", show=False),
    Binding("pagedown", "page_down", "Page down", id="article_page_down", show=False),
    Binding("pageup,shift+space", "page_up", "Page up", id="page_up", show=False),
    Binding("tab", "focus_next_pane", "Next pane", id="next_pane", show=False),
    Binding("shift+tab", "focus_previous_pane", "Previous pane", id="previous_pane",
            show=False),
    Binding("left_square_bracket", "resize_tree(-4)", "Narrower tree", id="tree_narrower",
            show=False, key_display="["),
    Binding("right_square_bracket", "resize_tree(4)", "Wider tree", id="tree_wider",
            show=False, key_display="]"),
    Binding("left_curly_bracket", "resize_list(-2)", "Shorter list", id="list_shorter",
            show=False, key_display="{"),
    Binding("right_curly_bracket", "resize_list(2)", "Taller list", id="list_taller",
            show=False, key_display="}"),
    Binding("q", "quit", "Quit", id="quit"),
]

# Keys that act on one pane (see the widgets' BINDINGS), listed for the help screen.
PANE_KEYS = [
    ("j / down, k / up", "next / previous row in the focused pane (scrolls the article)"),
    ("g / home, G / end", "first / last article (top / bottom of the article)"),
    ("enter", "open the article under the cursor (marks it read)"),
    ("enter", "in the search box: back to the list, keeping the search"),
    ("escape", "in the search box: clear the search"),
    ("ctrl+p", "command palette: every command, themes, jump to an article"),
    ("mouse", "click a row or a group; double-click opens; wheel scrolls"),
]


def key_display(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The keys of a binding as the user configured them."""
    keys = keymap.get(binding.id or "", None)
    if keys is None:
        return binding.key_display or binding.key
    return keys


def help_rows(keymap: Mapping[str, str]) -> Iterable[tuple[str, str, str]]:
    """(keys, what it does, binding id) for every key of the main screen, then the pane keys."""
    for binding in SCREEN_BINDINGS:
        yield key_display(binding, keymap).replace(",", ", "), binding.description, binding.id or ""
    for keys, what in PANE_KEYS:
        yield keys, what, ""
