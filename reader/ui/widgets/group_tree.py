"""The tree of groups: All, Unread, Starred, then Categories, Tags, Languages, Sources.

Each node shows unread/total.  A section's children are added in one go when
it is first expanded, so an archive with thousands of tags opens at once;
after a mark changes, only the labels of the groups it touched are redrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from reader.state import GroupCounts
from reader.ui.listing import ALL, SECTIONS, STARRED, UNREAD, GroupKey
from reader.ui.sanitize import clean_line
from reader.ui.wording import group_name

TOP = ((ALL, "All"), (UNREAD, "Unread"), (STARRED, "Starred"))


def group_label(name: str, unread: int, total: int) -> Text:
    """A node's label as Text (names are data, never markup)."""
    label = Text(clean_line(name) or "(none)")
    label.append(f" {unread:,}/{total:,}", style="dim")
    return label


class GroupTree(Tree[GroupKey]):
    """The groups of the archive; highlighting one filters the article list."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="tree.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree.up"),
    ]

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

    def rebuild(self, counts: GroupCounts) -> None:
        """Build the tree afresh from new counts; expanded sections stay expanded."""
        expanded = [kind for kind, node in self._section_nodes.items() if node.is_expanded]
        self.counts = counts
        self.clear()
        self._group_nodes.clear()
        self._section_nodes.clear()
        for key, name in TOP:
            self._group_nodes[key] = self.root.add_leaf(self._group_label(key, name), data=key)
        for kind, title in SECTIONS:
            count = sum(1 for _ in counts.keys(kind))
            node = self.root.add(Text(f"{title} ({count:,})"), data=("section", kind))
            self._section_nodes[kind] = node
            if kind in expanded:
                self._populate(node)
                node.expand()

    def refresh_counts(self, keys: Iterable[GroupKey]) -> None:
        """Redraw the labels of these groups (after marks changed)."""
        for key in (ALL, UNREAD, STARRED, *keys):
            node = self._group_nodes.get(key)
            if node is not None:
                node.set_label(self._group_label(key, self._display_name(key)))

    def refresh_all_counts(self) -> None:
        self.refresh_counts(list(self._group_nodes))

    def _group_label(self, key: GroupKey, name: str) -> Text:
        count = self.counts[key]
        return group_label(name, count.unread, count.total)

    @staticmethod
    def _display_name(key: GroupKey) -> str:
        return group_name(key)

    def _populate(self, section: TreeNode[GroupKey]) -> None:
        if section.children:
            return
        kind = section.data[1]
        keys = sorted(self.counts.keys(kind),
                      key=lambda k: (-self.counts[k].total, k[1]))
        for key in keys:
            self._group_nodes[key] = section.add_leaf(self._group_label(key, self._display_name(key)), data=key)

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
        """Move the cursor to a group (expanding its section)."""
        if key not in self._group_nodes and key[0] in self._section_nodes:
            section = self._section_nodes[key[0]]
            self._populate(section)
            section.expand()
        node = self._group_nodes.get(key)
        if node is not None:
            self.call_after_refresh(self.move_cursor, node)
