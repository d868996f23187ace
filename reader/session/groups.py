"""Groups as the index sees them: a tree group handed to a search as a `Scope`.

The groups themselves (keys, membership, the registry) are reader/state/groups.py;
this module is what needs the index, which lies beside the state, not under it.
A group narrows a search structurally, never as a query string parsed back:

    All, a section heading      nothing (a heading's rows are checked exactly)
    Unread, Starred             the reading state (`is:` as the index applies it)
    a field group               the index's term of that field, folded as indexed
    a query group               its query, parsed once, which the hits must match too
    another held group          its paths (their docnums, kept per searcher)

A field value that folds to nothing ("", spaces) has no term in the index: such a
group is searched in All and its rows checked exactly (reader/session/listing.py),
as every group's are.

A query group (what a saved search is) is a held group whose definition is a
query: its members are the query's hits in the index, exactly those of
`newsreader search QUERY --limit 0`.  It is made once from the index
(`query_group`, in a worker), then kept by deltas: a removed article leaves
it at once (`GroupCounts.forget`), and the articles a delta brings or changes
are looked for again once the index has them (`reclassified`: the query within
those paths only), so nothing is searched over the archive for a change.  Its
counts are set operations against the marks (reader/state/counts.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import AbstractSet, Iterable, Mapping

from reader.archive.model import Article
from reader.index.query import Filter, ParsedQuery, QueryError, Scope
from reader.index.schema import fold_value
from reader.index.searcher import SearchIndex
from reader.state.groups import FieldGroup, Group, Key, MarkGroup, PathGroup


def scope_of(group: Group) -> Scope | None:
    """How `group` narrows a search (None: it does not)."""
    if isinstance(group, MarkGroup):
        return Scope(states=((group.state, False),))
    if isinstance(group, FieldGroup):
        value = fold_value(group.name)
        return Scope(filters=(Filter(group.field.kind, value),)) if value else None
    if isinstance(group, PathGroup) and isinstance(group.definition, QueryDefinition):
        parsed = group.definition.parsed
        return Scope(tuple(parsed.filters), tuple(parsed.states), text=parsed.text)
    if isinstance(group, PathGroup):
        return Scope(paths=group.paths)
    return None


@dataclass(frozen=True)
class QueryDefinition:
    """A held group's definition: its members are the hits of `query` (`parsed`: as the
    index reads it, which a search within the group must match too)."""

    query: str
    parsed: ParsedQuery = field(compare=False, hash=False, repr=False)


def query_group(key: Key, definition: QueryDefinition, index: SearchIndex, state,
                by_path: Mapping[str, Article]) -> PathGroup:
    """The group of the query's hits in the index now, of the articles in `by_path` (the
    catalog's); `state` gives the marks to `is:` terms.  Raises QueryError."""
    return PathGroup(key, _hits(index, definition.parsed, state, by_path), definition)


def reclassified(groups: Iterable[PathGroup], paths: AbstractSet[str], index: SearchIndex,
                 state, by_path: Mapping[str, Article]) -> list[PathGroup]:
    """The query groups among `groups` whose members among `paths` (articles a delta
    brought, changed or removed, now in the index) changed, each with its members found
    again there."""
    paths = frozenset(paths)
    within = frozenset(p for p in paths if p in by_path)
    out = []
    for group in groups:
        if isinstance(group.definition, QueryDefinition):
            found = _hits(index, group.definition.parsed, state, by_path, within)
            members = (group.paths - paths) | found
            if members != group.paths:
                out.append(PathGroup(group.key, members, group.definition))
    index.keep_checks()
    return out


def _hits(index: SearchIndex, parsed: ParsedQuery, state, by_path: Mapping[str, Article],
          within: frozenset[str] | None = None) -> frozenset[str]:
    """Every hit's path (within these paths, when given) that the catalog holds, as the
    catalog's own string (a million paths are not held twice)."""
    if within is not None and not within:
        return frozenset()
    results = index.hit_set(parsed, state, Scope(paths=within) if within is not None else None)
    if results.error:
        raise QueryError(results.error)
    return frozenset(by_path[p].path for p in results.paths if p in by_path)
