"""The tree of groups: Searches (the saved ones, when there are any), All, Unread,
Starred, New (first seen since the previous visit started), then Categories, Tags,
Languages, Sources.

The saved searches are in the user's order (`set_searches`); a node whose count is
not known yet (the index is being completed) or cannot be (its query is refused)
says so in place of the count.

Each node shows unread/total at the right edge; a name too long for the tree's
width is cut with "…", a count never.  A section's children are added in one
go when it is first expanded, so an archive with thousands of tags opens at
once; after a mark changes, only the labels of the groups it touched are
redrawn; after the archive changed, nodes are added, removed and relabelled in
place (`update_groups`), never rebuilt.  A rebuild keeps the cursor on its group (All at first), so the tree
always shows where it is.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from reader.state import GroupCounts
from reader.state.groups import ALL, FIXED, NEW, SECTIONS, STARRED, Key as GroupKey
from reader.state.rule_marks import HIDDEN
from reader.ui.contrast import readable_style
from reader.ui.sanitize import clean_line
from reader.ui.wording import group_name
from reader.ui.widgets.cells import name_and_count

TOP = tuple((key, group_name(key)) for key in (*FIXED, NEW))
TOGGLE_STYLE = Style.from_meta({"toggle": True})  # what Tree's click handler looks for
HIDDEN_NAME = group_name(HIDDEN)  # the node of what the hide rules hide, after Starred


class GroupLabel(Text):
    """A node's label: a name (data, never markup) and its count, kept apart so that
    fitting the label to the tree's width cuts the name only."""

    def __init__(self, name: str, count: str, beside: bool = False) -> None:
        self.name = clean_line(name) or "(none)"
        self.count = count
        self.beside = beside  # the count right after the name, not at the right edge
        super().__init__(f"{self.name} {count}")


def _same_label(shown, label: GroupLabel) -> bool:
    return isinstance(shown, GroupLabel) and (shown.name, shown.count, shown.beside) == (
        label.name, label.count, label.beside)


def group_label(name: str, unread: int, total: int) -> GroupLabel:
    return GroupLabel(name, f"{unread:,}/{total:,}")


class GroupTree(Tree[GroupKey]):
    """The groups of the archive; highlighting one filters the article list."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="tree.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree.up"),
    ]

    COMPONENT_CLASSES = {"group-tree--count"}

    DEFAULT_CSS = """
    GroupTree > .group-tree--count { color: $text-muted; }
    GroupTree:ansi > .tree--cursor { text-style: underline; }
    GroupTree:ansi:focus > .tree--cursor { text-style: bold; }
    """

    @dataclass
    class GroupHighlighted(Message):
        """The cursor moved onto a group: the list should show it."""

        group_tree: "GroupTree"
        key: GroupKey

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Groups", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.counts = GroupCounts([], set(), set())
        self._group_nodes: dict[GroupKey, TreeNode[GroupKey]] = {}
        self._section_nodes: dict[str, TreeNode[GroupKey]] = {}
        self._searches: list[tuple[GroupKey, str]] = []  # saved searches: key, name
        self._notes: dict[GroupKey, str] = {}  # said in place of a search's count
        self._searches_node: TreeNode[GroupKey] | None = None
        self._hidden: str | None = None  # the Hidden node's note, while it is shown
        self._held: str | None = None  # said in place of every count (hold_counts)
        self.counting = ""  # what the counts count, for the title: "stories" or "articles"
        self._partial = False

    def rebuild(self, counts: GroupCounts, partial: bool = False) -> None:
        """Build the tree afresh from new counts; expanded sections stay expanded and the
        cursor stays on its group.  `partial`: the counts of what a first scan has found
        so far (the title says so)."""
        expanded = [kind for kind, node in self._section_nodes.items() if node.is_expanded]
        current = self.cursor_node.data if self.cursor_node is not None else None
        current = current or ALL  # (the Searches heading has no group)
        self._partial = partial
        self.border_title = self._title()
        self.counts = counts
        self.clear()
        self._group_nodes.clear()
        self._section_nodes.clear()
        self._searches_node = None
        self._add_searches()
        for key, name in TOP:
            self._group_nodes[key] = self.root.add_leaf(self._group_label(key, name), data=key)
        if self._hidden is not None:
            self._add_hidden()
        for kind, _title in SECTIONS:
            node = self.root.add(self._section_label(kind), data=("section", kind))
            self._section_nodes[kind] = node
            if kind in expanded:
                self._populate(node)
                node.expand()
        self.select_key(current if self._node_of(current) is not None else ALL)

    def set_searches(self, searches: list[tuple[GroupKey, str]],
                     notes: dict[GroupKey, str]) -> None:
        """The saved searches (key, name) in their order, and what to say instead of the
        count of those not counted; the cursor stays on its group."""
        on = self.cursor_node.data if self.cursor_node is not None else None
        self._notes = dict(notes)
        if searches == self._searches and self._searches_node is not None:
            self.refresh_counts(key for key, _ in searches)
            return
        self._searches = list(searches)
        if self._searches_node is not None:
            for key in [k for k, node in self._group_nodes.items()
                        if node.parent is self._searches_node]:
                del self._group_nodes[key]
            self._searches_node.remove()
            self._searches_node = None
        self._add_searches()
        if on is not None and on[0] == "search":
            self.select_key(on if on in self._group_nodes else ALL)

    def set_hidden(self, shown: bool, note: str = "") -> None:
        """Show the Hidden node (after Starred: what the hide rules hide, beside what is
        shown) while there are hide rules; `note` in place of its count meanwhile."""
        node = self._group_nodes.get(HIDDEN)
        self._hidden = note if shown else None
        if shown and node is None and STARRED in self._group_nodes:  # (else at `rebuild`:
            self._add_hidden()  # a tree of only "Hidden applying…" showed while loading)
        elif node is not None and not shown:
            if self.cursor_node is node:
                self.select_key(ALL)
            node.remove()
            del self._group_nodes[HIDDEN]
        elif node is not None:
            node.set_label(self._group_label(HIDDEN, HIDDEN_NAME))

    def hold_counts(self, note: str | None) -> None:
        """Say `note` in place of every group's count (None: the counts again): while a
        hide rule is being applied, any count may include what it will hide."""
        if note != self._held:
            self._held = note
            self.refresh_all_counts()

    def _add_hidden(self) -> None:
        after = self._group_nodes.get(STARRED)
        self._group_nodes[HIDDEN] = self.root.add_leaf(
            self._group_label(HIDDEN, HIDDEN_NAME), data=HIDDEN, after=after)

    def _add_searches(self) -> None:
        if not self._searches:
            return
        before = self.root.children[0] if self.root.children else None
        label = GroupLabel("Searches", f"({len(self._searches):,})", beside=True)
        node = self.root.add(label, before=before, expand=True)
        self._searches_node = node
        for key, name in self._searches:
            self._group_nodes[key] = node.add_leaf(self._group_label(key, name), data=key)

    def refresh_counts(self, keys: Iterable[GroupKey]) -> None:
        """Redraw the labels of these groups (after marks changed), those whose text
        changed only: each label set is a line drawn again (a mark's count reaches the
        screen in the frame after it, and Starred, Hidden and New seldom change)."""
        for key in dict.fromkeys((*FIXED, NEW, HIDDEN, *keys)):
            node = self._group_nodes.get(key)
            if node is not None:
                label = self._group_label(key, self._display_name(key))
                if not _same_label(node.label, label):
                    node.set_label(label)

    def refresh_all_counts(self) -> None:
        self.refresh_counts(list(self._group_nodes))

    def count_by(self, counting: str) -> None:
        """Say in the title what the counts count ("stories", "articles", "": nothing)."""
        self.counting = counting
        self.border_title = self._title()

    def scan_ended(self) -> None:
        """The counts are the whole archive's now, no longer "so far"."""
        self._partial = False
        self.border_title = self._title()

    def _title(self) -> str:
        by = {"stories": ", by story", "articles": ", by article"}.get(self.counting, "")
        return f"Groups so far{by}" if self._partial else f"Groups{by}"

    def update_groups(self, counts: GroupCounts, keys: Iterable[GroupKey]) -> None:
        """After the archive changed: these groups' counts change in place, a group that
        is new is added in its sorted place, one that emptied is removed (the cursor on
        it goes to its section).  The cursor stays on its group, whatever moved above."""
        self.counts = counts
        keys = set(keys)
        for key in keys:
            if key in counts:
                self._add_group(key)
            else:
                self._remove_group(key)
        self.refresh_counts(keys)
        self._refresh_sections({key[0] for key in keys})

    def _add_group(self, key: GroupKey) -> None:
        """A node for a group that has none yet, in a section already shown."""
        section = self._section_nodes.get(key[0])
        if key in self._group_nodes or section is None or not section.children:
            return  # (a section not yet expanded is filled in when it is)
        children, counts = section.children, self.counts  # (in order: a bisection)
        place = bisect_right(children, _order(counts, key),
                             key=lambda node: _order(counts, node.data))
        label = self._group_label(key, self._display_name(key))
        self._group_nodes[key] = section.add_leaf(
            label, data=key, before=place if place < len(children) else None)

    def _remove_group(self, key: GroupKey) -> None:
        node = self._group_nodes.pop(key, None)
        if node is None:
            return
        if self.cursor_node is node and node.parent is not None:
            self.move_cursor(node.parent)
        node.remove()

    def _refresh_sections(self, kinds: Iterable[str]) -> None:
        for kind in kinds:
            node = self._section_nodes.get(kind)
            if node is not None:
                node.set_label(self._section_label(kind))

    def _section_label(self, kind: str) -> GroupLabel:
        count = self.counts.size(kind)
        return GroupLabel(dict(SECTIONS)[kind], f"({count:,})", beside=True)

    def _group_label(self, key: GroupKey, name: str) -> GroupLabel:
        if key == HIDDEN and self._hidden:
            return GroupLabel(name, self._hidden)
        if key in self._notes:
            return GroupLabel(name, self._notes[key])
        if self._held is not None:
            return GroupLabel(name, self._held)
        count = self.counts[key]
        return group_label(name, count.unread, count.total)

    def _display_name(self, key: GroupKey) -> str:
        return dict(self._searches).get(key) or group_name(key)

    def _populate(self, section: TreeNode[GroupKey]) -> None:
        if section.children:
            return
        kind = section.data[1]
        keys = sorted(self.counts.keys(kind), key=lambda k: _order(self.counts, k))
        for key in keys:
            self._group_nodes[key] = section.add_leaf(self._group_label(key, self._display_name(key)), data=key)

    # -- labels fitted to the width ---------------------------------------------------

    def process_label(self, label: str | Text) -> Text:
        return label if isinstance(label, GroupLabel) else super().process_label(label)

    def render_label(self, node: TreeNode[GroupKey], base_style: Style, style: Style) -> Text:
        """The label in the width the tree leaves it: the count whole at the right edge,
        the name cut with "…" if need be; on the cursor line in readable colours."""
        label = node.label
        if not isinstance(label, GroupLabel):
            return super().render_label(node, base_style, style)
        icon = ""
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        name, count = name_and_count(label.name, label.count,
                                     self._label_width(node) - len(icon), label.beside)
        count_style = Style(color=self.get_component_rich_style("group-tree--count").color)
        text = Text.assemble((name, style), (count, count_style))
        if style.bgcolor is not None:  # the cursor line: one colour, readable on its bar
            text.stylize(readable_style(base_style + style))
        return Text.assemble((icon, base_style + TOGGLE_STYLE), text)

    def _label_width(self, node: TreeNode[GroupKey]) -> int:
        """The cells a node's label has: the tree's width less the indentation guides."""
        depth = 0
        while node.parent is not None and node.parent is not self.root:
            depth, node = depth + 1, node.parent
        return self.scrollable_content_region.width - depth * self.guide_depth

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[GroupKey]) -> None:
        event.stop()
        if event.node.data and event.node.data[0] == "section":
            self._populate(event.node)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[GroupKey]) -> None:
        event.stop()
        key = event.node.data  # a section heading shows every article of its kind
        if key is not None:
            self.post_message(self.GroupHighlighted(self, key))

    def select_key(self, key: GroupKey) -> None:
        """Move the cursor to a group (expanding its section) or a section heading."""
        node = self._node_of(key)
        if node is not None:
            self.call_after_refresh(self.move_cursor, node)

    def _node_of(self, key: GroupKey) -> TreeNode[GroupKey] | None:
        if key[0] == "section":
            return self._section_nodes.get(key[1])
        if key not in self._group_nodes and key[0] in self._section_nodes:
            section = self._section_nodes[key[0]]
            self._populate(section)
            section.expand()
        return self._group_nodes.get(key)


def _order(counts: GroupCounts, key: GroupKey) -> tuple[int, str]:
    """A group's place in its section: the biggest first, then by name."""
    return -counts[key].total, key[1]
