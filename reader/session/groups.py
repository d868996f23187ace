"""Groups as the index sees them: a tree group handed to a search as a `Scope`.

The groups themselves (keys, membership, the registry) are reader/state/groups.py;
this module is what needs the index, which lies beside the state, not under it.
A group narrows a search structurally, never as a query string parsed back:

    All, a section heading      nothing (a heading's rows are checked exactly)
    Unread, Starred             the reading state (`is:` as the index applies it)
    a field group               the index's term of that field, folded as indexed
    a held group                its paths (their docnums, kept per searcher)

A field value that folds to nothing ("", spaces) has no term in the index: such a
group is searched in All and its rows checked exactly (reader/session/listing.py),
as every group's are.
"""

from __future__ import annotations

from reader.index.query import Filter, Scope
from reader.index.schema import fold_value
from reader.state.groups import FieldGroup, Group, MarkGroup, PathGroup


def scope_of(group: Group) -> Scope | None:
    """How `group` narrows a search (None: it does not)."""
    if isinstance(group, MarkGroup):
        return Scope(states=((group.state, False),))
    if isinstance(group, FieldGroup):
        value = fold_value(group.name)
        return Scope(filters=(Filter(group.field.kind, value),)) if value else None
    if isinstance(group, PathGroup):
        return Scope(paths=group.paths)
    return None
