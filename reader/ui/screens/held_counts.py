"""The main screen's held counts: while what the counts count is not known yet, no count
is shown (the tree's nodes say "…", the list's title too, the status says why) and the
rows stay listed meanwhile.  Two things hold them:

- a hide rule not yet applied: any count might include what it will hide;
- the stories not yet loaded, where the tree counts by story (`count_by = "stories"`,
  grouping on): until they are, each count is of articles, and every one jumped when
  they came (by +3,200 and back, 1-3 s after a warm start at 100,000 articles).  A
  story grouping that takes long (a first grouping, or more than a batch of changed
  files to group) or that fails (an error) lets them go: the counts are then the
  articles', and the tree's title says "by article" until the stories are there.

This part is the one owner of the hold: the rules' part and the stories' part say
when their reason ends (`show`, `stories_loaded`), and every count asks `why`.
"""

from __future__ import annotations

from textual.screen import Screen

HELD_COUNT = "…"  # a tree node's count, and the list title's, while the counts are held
BY_RULES = "counts once the hide rules are applied"  # the status's, meanwhile
BY_STORIES = "counts once the stories are loaded"


class HeldCounts:
    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.services = screen.services
        self.stories_pending = self.services.counting == "stories"  # until they load
        self._held: str | None = None  # the reason the counts shown are held for

    @property
    def why(self) -> str | None:
        """Why the counts are held ("counts once …"), None when they are not."""
        if self.services.rules.hiding_pending:
            return BY_RULES
        return BY_STORIES if self.stories_pending else None

    def stories_loaded(self, by_article: bool = False) -> None:
        """The stories are there (or will not be soon: `by_article`, the counts are the
        articles' and the tree says so meanwhile)."""
        if self.stories_pending:
            self.stories_pending = False
            if by_article:
                self.screen.tree.count_by("articles")
            self.show()

    def show(self) -> None:
        """Hold or release every count, as `why` says now."""
        why = self.why
        if why == self._held:
            return
        was, self._held = self._held, why
        screen = self.screen
        if (was is None) != (why is None):
            screen.tree.hold_counts(HELD_COUNT if why else None)
            screen.article_list.hold_count(why is not None)
        if screen.loaded.is_set():
            screen.listing.show_counts()
