"""The main screen's part for the saved searches: their tree nodes, and saving,
renaming, editing, moving and deleting them (the palette, and `b` to save).

The searches, their groups and the config file are the session's
(reader/session/saved_searches.py); this part asks the user, shows the answer in
the tree and the status, and finds a new or edited search's members in a worker.
Each edit is written to the config file first: if that fails, nothing changes.
"""

from __future__ import annotations

from typing import Callable

from textual.screen import Screen

from reader.config import SavedSearch
from reader.session.saved_searches import COUNTING, Found, search_key
from reader.state.groups import ALL, Key
from reader.ui.screens.ask import ask, attempt

REFUSED = "bad query"  # a node's note when its query is refused (the status says why)


class SearchNodes:
    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.saved = screen.services.saved

    def show(self) -> None:
        """The tree's Searches section as the list and counts are now."""
        saved = self.saved
        notes = {key: (COUNTING if note == COUNTING else REFUSED)
                 for key in saved.keys() if (note := saved.note(key))}
        self.screen.tree.set_searches([(search_key(s.name), s.name) for s in saved.searches],
                                      notes)

    def why_empty(self, key: Key) -> str:
        """Why a saved search's node lists nothing yet ("" when it is simply empty)."""
        note = self.saved.note(key) if self.saved.by_key(key) else ""
        if note == COUNTING:
            return "This saved search is listed once the index is complete (see the status)."
        return f"This saved search cannot be listed: {note}" if note else ""

    def take(self, found: Found | None) -> None:
        """Groups found in a worker: held, counted, shown (the list too, if it is one)."""
        if found is None:
            return
        keys = self.saved.take(found)
        self.screen.tree.counts = self.screen.services.tree_counts
        self.show()
        for key, problem in found.problems.items():
            search = self.saved.by_key(key)
            if search is not None:
                self.screen.notify(f"Saved search {search.name!r}: {problem}",
                                   severity="warning", timeout=8)
        if self.screen.group in keys:
            self.screen.refresh_list()

    def find(self, search: SavedSearch) -> None:
        """Find one saved search's members in a worker (the index is complete: the
        counts are right; until it is, `after_index` finds them all)."""
        if not self.saved.counted:
            return

        def work() -> None:
            found = self.saved.find([search])
            self.screen.from_worker(self.take, found)

        self.screen.run_worker(work, thread=True, group="saved-search")

    # -- the commands ---------------------------------------------------------------

    def save_current(self) -> None:
        query = self.screen.search_text.strip()
        if not query:
            self.screen.notify("Type a search first (/), then save it.", timeout=3)
            return
        self._ask(f"Save the search {query!r} as:", query,
                  lambda name: self._added(self.saved.add(name, query)))

    def _added(self, search: SavedSearch) -> None:
        self.show()
        self.find(search)
        self.screen.notify(f"Saved search {search.name!r}: in the tree's Searches and "
                           f"in {self.saved.config_path}", timeout=4)

    def rename(self, key: Key) -> None:
        search = self.saved.by_key(key)
        if search is not None:
            self._ask(f"Rename the saved search {search.name!r} to:", search.name,
                      lambda name: self._renamed(key, name))

    def _renamed(self, key: Key, name: str) -> None:
        self.saved.rename(key, name)
        self.show()
        if self.screen.group == key:
            self.screen.group = search_key(name.strip())
            self.screen.tree.select_key(self.screen.group)

    def edit(self, key: Key) -> None:
        search = self.saved.by_key(key)
        if search is not None:
            self._ask(f"The query of {search.name!r}:", search.query,
                      lambda query: self._edited(key, query))

    def _edited(self, key: Key, query: str) -> None:
        self.find(self.saved.edit(key, query))
        self.show()
        if self.screen.group == key:
            self.screen.refresh_list()

    def move(self, key: Key, step: int) -> None:
        self._try(lambda: self.saved.move(key, step) and self.show())

    def delete(self, key: Key) -> None:
        search = self.saved.by_key(key)
        if search is None:
            return

        def deleted() -> None:
            self.saved.delete(key)
            self.show()
            self.screen.notify(f"Deleted the saved search {search.name!r} "
                               f"(query: {search.query!r}).", timeout=5)
            if self.screen.group == key:
                self.screen.tree.select_key(ALL)

        self._try(deleted)

    def _ask(self, prompt: str, default: str, then: Callable[[str], None]) -> None:
        ask(self.screen, prompt, default, then)

    def _try(self, action: Callable[[], object]) -> None:
        """Do an edit; say why when it cannot be done (nothing changed then)."""
        attempt(self.screen, action)
