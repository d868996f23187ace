"""Saved searches: the `[[searches]]` tables of the config file, as held query groups.

A saved search is a name and a query of the query language (reader/config.py
reads them, reader/session/searches_file.py writes them back); its node in the
tree is the query group ("search", name) of reader/session/groups.py, whose
members are the query's hits, exactly those of `newsreader search QUERY
--limit 0`.  A query with an `is:` term of the marks is refused: the members are
held paths, kept by the archive's deltas, not by the marks, and the node already
counts its unread and starred (the Unread and Starred nodes, or `is:unread`
typed within the node, narrow by the marks).  `is:new` and `added:` dates can be
saved (`is:new source:reuters`): what is new only grows within a session, by the
arrivals the deltas bring, and is found afresh at the next start; but not
`added:today`, which would have to drop members at midnight.

The counts are found in a worker from a complete index, never before: until then
a node says it is counting rather than show a count of a half-built index.  At a
warm start (the last update was complete) they are found as soon as the cache's
catalog is loaded, from the index as it is (Services.groups_at_start), before the
start's scan; then again by `after_index`, the index worker's last step (every
search after a whole update, reading only the segments it added: the text checks
are kept per segment, reader/index/kept_checks.py; the searches a delta touched
after a delta).  `SavedSearches` is
owned by the event loop (the list, the edits, `take`); its workers read a
snapshot of the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import tzinfo
from pathlib import Path
from typing import Iterable

from reader.archive.model import Delta
from reader.config import SavedSearch, search_problem
from reader.index.query import ParsedQuery, QueryError, parse_query
from reader.session.searches_file import write_searches
from reader.state.groups import Key, PathGroup

KIND = "search"
COUNTING = "counting…"  # a node's note until the index is complete and searched


def search_key(name: str) -> Key:
    return (KIND, name)


def parse_saved(query: str, tz: tzinfo) -> ParsedQuery:
    """A saved search's query, parsed (once: the index searches with it); QueryError
    says why it cannot be a saved search."""
    parsed = parse_query(query, tz)
    if parsed.states:
        raise QueryError("is: terms cannot be saved: a saved search counts its unread and "
                         "starred itself (type is:unread within its node)")
    if any(f.moving for f in parsed.filters):
        raise QueryError("added:today and added:yesterday cannot be saved: they move at "
                         "midnight, a saved search's members do not (give the date)")
    if parsed.empty:
        raise QueryError("the query is empty")
    return parsed


def query_problem(query: str, tz: tzinfo) -> str:
    """Why `query` cannot be a saved search ("" when it can)."""
    try:
        parse_saved(query, tz)
    except QueryError as exc:
        return str(exc)
    return ""


@dataclass
class Found:
    """Query groups found in a worker (`groups`), for `take`; `problems`: the saved
    searches whose query cannot be searched, and why."""

    groups: list[PathGroup] = field(default_factory=list)
    problems: dict[Key, str] = field(default_factory=dict)
    whole: bool = False  # every saved search was looked for (the counts are complete)


class SavedSearches:
    """The saved searches in their order, as the tree shows them."""

    def __init__(self, services, searches: Iterable[SavedSearch], config_path: Path) -> None:
        self.services = services
        services.groups.hold_kind(KIND)
        self.searches: list[SavedSearch] = list(searches)
        self.config_path = config_path
        self.counted = False  # the counts have been found once (the index was complete)
        self.problems: dict[Key, str] = {}

    def keys(self) -> list[Key]:
        return [search_key(s.name) for s in self.searches]

    def by_key(self, key: Key) -> SavedSearch | None:
        return next((s for s in self.searches if search_key(s.name) == key), None)

    def note(self, key: Key) -> str:
        """What a node shows instead of its count ("" when it has one)."""
        if key in self.problems:
            return self.problems[key]
        return "" if key in self.services.groups else COUNTING

    # -- finding the members (in a worker) ------------------------------------------

    def find(self, searches: Iterable[SavedSearch] | None = None) -> Found:
        """The query group of each saved search (all of them by default)."""
        found = Found(whole=searches is None)
        for search in list(self.searches) if searches is None else searches:
            key = search_key(search.name)
            try:
                parsed = parse_saved(search.query, self.services.settings.tzinfo)
                found.groups.append(self.services.query_group(key, search.query, parsed))
            except QueryError as exc:
                found.problems[key] = str(exc)
        self.services.searcher.groups_index.keep_checks()  # the text checks, for next time
        return found

    def after_index(self, delta: Delta | None) -> Found:
        """Once the index has taken a whole update (`delta` None) or a delta: every saved
        search looked for, or only within the paths the delta touched."""
        if delta is None or not self.counted:
            return self.find()
        paths = {a.path for a in (*delta.added, *delta.changed)} | set(delta.removed)
        return Found(self.services.regroup(paths))

    # -- on the event loop ----------------------------------------------------------

    def take(self, found: Found) -> list[Key]:
        """Hold the groups found that are still of a saved search with that query (the
        user may have edited meanwhile); returns the keys whose counts changed."""
        queries = {search_key(s.name): s.query for s in self.searches}
        fresh = [g for g in found.groups
                 if queries.get(g.key) == getattr(g.definition, "query", None)]
        self.services.take_groups(fresh)
        for key, problem in found.problems.items():
            if key in queries:
                self.services.counts.drop(key)
                self.problems[key] = problem
        for group in fresh:
            self.problems.pop(group.key, None)
        self.counted = self.counted or found.whole
        return [g.key for g in fresh] + list(found.problems)

    def add(self, name: str, query: str) -> SavedSearch:
        """Save a new search (written to the config file first); raises ValueError with
        the reason when it cannot be saved.  Its group is found by `find([search])`."""
        name, query = name.strip(), query.strip()
        self._check(name, query)
        search = SavedSearch(name, query)
        self._write([*self.searches, search])
        return search

    def rename(self, key: Key, name: str) -> SavedSearch:
        """A new name for a saved search (its members and counts go with it)."""
        name, search = name.strip(), self._of(key)
        if name == search.name:
            return search
        self._check(name, search.query, search)
        renamed = replace(search, name=name)
        self._write([renamed if s is search else s for s in self.searches],
                    renamed_from=search.name)
        group = self.services.groups.group(key) if key in self.services.groups else None
        self.services.counts.drop(key)
        if group is not None:
            self.services.take_groups([PathGroup(search_key(name), group.paths,
                                                 group.definition)])
        if key in self.problems:
            self.problems[search_key(name)] = self.problems.pop(key)
        return renamed

    def edit(self, key: Key, query: str) -> SavedSearch:
        """A new query for a saved search: its old members go (found again by `find`)."""
        query, search = query.strip(), self._of(key)
        self._check(search.name, query, search)
        edited = replace(search, query=query)
        self._write([edited if s is search else s for s in self.searches])
        self.services.counts.drop(key)
        self.problems.pop(key, None)
        return edited

    def move(self, key: Key, step: int) -> bool:
        """One place up (-1) or down (+1); False at the end of the list."""
        i = self.searches.index(self._of(key))
        j = i + step
        if not 0 <= j < len(self.searches):
            return False
        order = list(self.searches)
        order[i], order[j] = order[j], order[i]
        self._write(order)
        return True

    def delete(self, key: Key) -> None:
        search = self._of(key)
        self._write([s for s in self.searches if s is not search])
        self.services.counts.drop(key)
        self.problems.pop(key, None)

    def _of(self, key: Key) -> SavedSearch:
        search = self.by_key(key)
        if search is None:
            raise ValueError("no such saved search")
        return search

    def _check(self, name: str, query: str, was: SavedSearch | None = None) -> None:
        """ValueError unless `name` and `query` can be a saved search beside the others
        (all but `was`, the one being renamed or edited): the config's own rules
        (reader/config.py `search_problem`), then the query's."""
        others = {s.name: s for s in self.searches if s is not was}
        problem = search_problem({"name": name, "query": query}, others)
        if problem:
            raise ValueError(f"the saved search {problem}")
        problem = query_problem(query, self.services.settings.tzinfo)
        if problem:
            raise ValueError(f"cannot save {query!r}: {problem}")

    def _write(self, searches: list[SavedSearch], renamed_from: str | None = None) -> None:
        """Write the new list to the config file, unless its searches are no longer those
        the reader holds (the user edited them meanwhile: ConfigError, nothing changed;
        the file is read once, so no hand edit slips in between the check and the
        write), then make it the list."""
        was = [renamed_from if renamed_from and search_key(s.name) not in set(self.keys())
               else s.name for s in searches]
        write_searches(self.config_path, searches, was, expected=self.searches)
        self.searches = searches
