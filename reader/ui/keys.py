"""Every key of the reader in one place: the bindings, their ids and the help text.

A binding's id is what the config file's [keys] table names, e.g.

    [keys]
    next_unread = "n,ctrl+n"
    quit = "q,ctrl+c"
"""

from __future__ import annotations

from typing import Iterable, Mapping

from textual.binding import Binding

from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticlePane
from reader.ui.widgets.glance_charts import GlanceCharts
from reader.ui.widgets.top_names import TopNames
from reader.ui.widgets.group_tree import GroupTree
from reader.ui.widgets.search_box import SearchBox

RELATED_KEYS = "67890"  # the keys of related articles 1-5 (after the copies' 1-5)

# Keys of the main screen; the footer shows those with show=True.
SCREEN_BINDINGS = [
    Binding("question_mark", "help", "Help", id="help", key_display="?"),
    Binding("slash", "search", "Search", id="search", key_display="/"),
    Binding("escape", "clear_search", "Clear search", id="clear_search", show=False,
            key_display="esc"),
    Binding("n", "next_unread", "Next unread", id="next_unread"),
    Binding("p", "previous_unread", "Prev unread", id="previous_unread"),
    Binding("m", "toggle_read", "Read/unread", id="toggle_read"),
    Binding("s", "toggle_star", "Star", id="toggle_star"),
    Binding("A", "mark_all_read", "All read", id="mark_all_read"),
    Binding("c", "chord('catch_up')", "Mark read... (then n: below, p: above, a: in view)",
            id="catch_up", show=False),
    Binding("S", "chord('star_many')", "Star... (then n: below, p: above, a: in view)",
            id="star_many", show=False),
    Binding("u", "undo", "Undo", id="undo"),
    Binding("ctrl+r", "redo", "Redo what u undid", id="redo", show=False),
    Binding("o", "open_link", "Open link", id="open_link"),
    Binding("y", "copy_link", "Copy link", id="copy_link"),
    Binding("r", "rescan", "Rescan", id="rescan"),
    Binding("N", "jump_newest", "Newest", id="jump_newest"),
    Binding("b", "save_search", "Save this search (bookmark it in the tree)", id="save_search",
            show=False),
    Binding("f", "zoom", "Full screen", id="zoom"),
    Binding("t", "toggle_tree", "Tree", id="toggle_tree", show=False),
    Binding("d", "toggle_order", "Order", id="toggle_order", show=False),
    Binding("R", "toggle_relevance", "Search hits by relevance / date",
            id="toggle_relevance", show=False),
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
    Binding("i", "glance", "Archive at a glance", id="glance"),
    *(Binding(str(n), f"open_copy({n})", f"Open copy {n} of the story (listed under the "
              "article)", id=f"open_copy_{n}", show=False) for n in range(1, 6)),
    *(Binding(key, f"open_related({n})", f"Open related article {n} (listed after the "
              "article)", id=f"open_related_{n}", show=False)
      for n, key in enumerate(RELATED_KEYS, 1)),
    Binding("q", "quit", "Quit", id="quit"),
]

APP_BINDINGS = [Binding("ctrl+c", "quit", "Quit", show=False, id="quit_ctrl_c")]

# Keys of the `?` screen (reader/ui/screens/help.py).
HELP_BINDINGS = [
    Binding("escape,q,question_mark", "dismiss", "Close", id="help.close",
            key_display="escape,q,?"),
    Binding("j,down", "scroll('down')", "Down", show=False, id="help.down"),
    Binding("k,up", "scroll('up')", "Up", show=False, id="help.up"),
    Binding("g,home", "scroll('home')", "Top", show=False, id="help.top"),
    Binding("G,end", "scroll('end')", "Bottom", show=False, id="help.bottom"),
    Binding("space,pagedown", "scroll('page_down')", "Page down", show=False,
            id="help.page_down"),
    Binding("pageup", "scroll('page_up')", "Page up", show=False, id="help.page_up"),
]

# Keys of the "Archive at a glance" screen (reader/ui/screens/glance.py); its charts' own
# (left/right, up/down) are GlanceCharts', its lists' TopNames'.
GLANCE_WINDOW = Binding("n", "window", "What arrived: the days to the newest article / to today",
                        id="glance.window")
GLANCE_BINDINGS = [
    Binding("escape,q,i", "dismiss", "Close", id="glance.close", key_display="escape,q,i"),
    GLANCE_WINDOW,
]

# Two-key commands (as TT-RSS's `c n` / `c p`): the binding of the first key (above, its
# id rebindable) waits for the second, which picks the action; any other key cancels.
CHORDS = {
    "catch_up": {"n": ("mark_read('below')", "Mark read everything below the cursor"),
                 "p": ("mark_read('above')", "Mark read everything above the cursor"),
                 "a": ("mark_read('view')", "Mark read everything in view (as A)")},
    "star_many": {"n": ("star_many('below')", "Star everything below the cursor (unstar, "
                                              "when all of it is starred)"),
                  "p": ("star_many('above')", "Star everything above the cursor (unstar, "
                                              "when all of it is starred)"),
                  "a": ("star_many('view')", "Star everything in view (unstar, when all "
                                             "of it is starred)")},
}

# What the help screen lists besides the bindings.
OTHER_KEYS = [
    ("enter, space", "Tree: expand / collapse a section"),
    ("ctrl+p", "command palette: every command, themes, jump to an article"),
    ("mouse", "click a row or a group; double-click opens; wheel scrolls"),
]


PANES = ("List", "Article", "Tree")  # where the reader's own keys work too


def binding_scopes() -> dict[str, list[Binding]]:
    """Every rebindable binding, by where it acts."""
    return {"": SCREEN_BINDINGS + APP_BINDINGS, "List": ArticleList.BINDINGS,
            "Article": ArticlePane.BINDINGS, "Tree": GroupTree.BINDINGS,
            "Search box": SearchBox.BINDINGS, "Help": HELP_BINDINGS,
            "Glance": GLANCE_BINDINGS, "Glance chart": GlanceCharts.BINDINGS,
            "Glance lists": TopNames.BINDINGS}


def key_display(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The keys of a binding as the user configured them."""
    keys = keymap.get(binding.id or "", None)
    if keys is None:
        return binding.key_display or binding.key
    return keys


def help_rows(keymap: Mapping[str, str]) -> Iterable[tuple[str, str, str]]:
    """(keys, what it does, binding id) for every binding, the reader's own first, then
    the other keys."""
    for scope, bindings in binding_scopes().items():
        for binding in bindings:
            what = f"{scope}: {binding.description.lower()}" if scope else binding.description
            yield key_display(binding, keymap).replace(",", ", "), what, binding.id or ""
    for keys, (_, what) in chord_rows(keymap):
        yield keys, what, ""
    for keys, what in OTHER_KEYS:
        yield keys, what, ""


def chord_rows(keymap: Mapping[str, str]) -> Iterable[tuple[str, tuple[str, str]]]:
    """("c n", (action, what it does)) for every two-key command, as the keymap has the
    first key (its first key, when it names several)."""
    bindings = {b.id: b for b in SCREEN_BINDINGS}
    for chord, seconds in CHORDS.items():
        first = key_display(bindings[chord], keymap).split(",")[0].strip()
        for second, (action, what) in seconds.items():
            yield f"{first} {second}", (action, what)


def keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """What is wrong with the config's [keys]: ids that name no binding, and keys the
    user bound to an action that another action of the same place (or the reader's own,
    in a pane of the main screen) already uses."""
    scopes = binding_scopes()
    known = {b.id for bindings in scopes.values() for b in bindings}
    problems = [f"[keys] {name!r} is no key id (the ? screen lists them)"
                for name in keymap if name not in known]
    reader_keys = _keys_of(scopes[""], keymap)
    for scope, bindings in scopes.items():
        mine = _keys_of(bindings, keymap)
        for key, ids in mine.items():
            clashing = ids | (reader_keys.get(key, set()) if scope in PANES else set())
            if len(clashing) > 1 and clashing & set(keymap):
                problems.append(f"[keys] {key!r} is bound to {' and '.join(sorted(clashing))}")
    return sorted(set(problems))


def _keys_of(bindings: list[Binding], keymap: Mapping[str, str]) -> dict[str, set[str]]:
    """key -> the ids of the bindings that use it, with the user's keymap applied."""
    out: dict[str, set[str]] = {}
    for binding in bindings:
        keys = keymap.get(binding.id or "", binding.key)
        for key in (k.strip() for k in keys.split(",")):
            if key:
                out.setdefault(key, set()).add(binding.id or binding.action)
    return out
