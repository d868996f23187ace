"""The main screen's part for the rules: the Hidden node and the status while rules are
being applied, what a rule changed shown in the tree and the list, and adding,
editing and deleting a rule from the palette, each previewed before it is saved.

The rules, their members and the config file are the session's
(reader/session/rules.py); this part asks the user, shows the preview (found in
a worker), and shows the answer.  Each edit is written to the config file first:
if that fails, nothing changes.
"""

from __future__ import annotations

from typing import Callable, Iterable

from textual.screen import Screen

from reader.archive.model import Article
from reader.config import ACTIONS, Rule
from reader.session.rules import APPLYING, Preview, RulesFound
from reader.state.groups import field_keys
from reader.state.rule_marks import HIDDEN
from reader.ui.screens.ask import ask, attempt
from reader.ui.screens.changes import edited_rows
from reader.ui.screens.rule_preview import VERBS, RulePreviewScreen
from reader.ui.wording import plural



class RuleNodes:
    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.services = screen.services
        self.rules = screen.services.rules

    def show(self) -> None:
        """The Hidden node (while there are hide rules) and the status of rules not yet
        applied (those with words wait for the index).  While a hide rule is not yet
        applied, no count is shown (the tree's, the list's, the status's): each might
        include what it will hide (reader/ui/screens/held_counts.py); the rows stay
        listed meanwhile."""
        rules = self.rules
        hiding = any(r.action == "hide" for r in rules.rules)
        self.screen.tree.set_hidden(hiding, APPLYING if rules.pending("hide") else "")
        self.screen.held.show()
        waiting = len(rules.pending())
        self.screen.status.set_part(
            "rules", f"{plural(waiting, 'rule')} {APPLYING} (once the index is complete)"
            if waiting else "")

    def take(self, found: RulesFound | None) -> None:
        """Members found in a worker: applied and shown."""
        if found is not None:
            self.changed(self.rules.take(found))

    def changed(self, paths: Iterable[str]) -> None:
        """The rules hid, marked or highlighted these paths anew (or stopped): the tree's
        counts of their groups, the list and the glance (reader/ui/screens/glance.py)."""
        self.show()
        for observer in tuple(self.services.observers):
            if hasattr(observer, "rules_changed"):
                observer.rules_changed()
        by_path, groups = self.services.catalog.by_path, self.services.groups
        articles = [by_path[p] for p in paths if p in by_path]
        if not articles:
            return
        keys = {k for a in articles for k in (*field_keys(a), *groups.keys_of(a))}
        self.screen.tree.update_groups(self.services.tree_counts, keys | {HIDDEN})
        self._edit_rows(articles)
        self.screen.refresh_list()
        self.screen.show_view_counts()

    def _edit_rows(self, articles: list[Article]) -> None:
        """The rows the rules now hide leave the list, and those they hide no longer (a
        rule removed or edited) come back, in the frame the counts change: the list's
        new computation, in a worker, came up to a second later, so that a node's count
        and its list disagreed meanwhile (in Hidden the other way round).  A search's
        rows come back only where they are its hits."""
        screen, listing = self.screen, self.screen.listing
        outcome = listing.outcome
        if not listing.is_current() or (outcome.paths is not None and not outcome.complete):
            return  # (the list is computed again anyway)
        keep = self.services.member(screen.group)
        hits = None if outcome.paths is None else set(outcome.paths)
        rows = screen.article_list.rows
        listed = {a.path for a in rows}
        shown = [a for a in articles if (keep is None or keep(a))
                 and (hits is None or a.path in hits)]
        staying = {a.path for a in shown}
        going = [a for a in articles if a.path in listed and a.path not in staying]
        coming = [a for a in shown if a.path not in listed]
        if not going and not coming:
            return
        if listing.by_relevance and hits is not None:  # back in the hits' order
            place = {p: i for i, p in enumerate(outcome.paths)}
            gone = {a.path for a in going}
            new = sorted([a for a in rows if a.path not in gone] + coming,
                         key=lambda a: place.get(a.path, len(place)))
        else:
            new = edited_rows(rows, going, coming, screen.newest_first, False,
                              bool(self.services.expanded))
        screen.article_list.update_rows(new)

    def find(self, rule: Rule) -> None:
        """Find a rule's members in a worker where a preview could not give them (its
        words wait for the complete index, which finds every rule)."""
        if rule.name in self.rules.members or not self.rules.counted:
            return

        def work() -> None:
            found = self.rules.find([rule])
            self.screen.from_worker(self.take, found)

        self.screen.run_worker(work, thread=True, group="rules")

    # -- the commands ---------------------------------------------------------------

    def add(self, action: str) -> None:
        """A new rule of `action`, its query the current search's to begin with."""
        ask(self.screen, f"A rule to {VERBS[action]} the articles matching:",
            self.screen.search_text.strip(),
            lambda query: self._preview(query, action, self._added))

    def _added(self, preview: Preview) -> None:
        rule, changed = self.rules.add(preview.query, preview.action, preview.paths)
        self.find(rule)
        self.changed(changed)
        self.screen.notify(f"Rule {rule.name!r} ({rule.action}) saved in "
                           f"{self.rules.config_path}", timeout=4)

    def edit_query(self, name: str) -> None:
        rule = self.rules.by_name(name)
        if rule is not None:
            ask(self.screen, f"The query of the rule {name!r} ({rule.action}):", rule.query,
                lambda query: self._preview(query, rule.action,
                                            lambda p: self._edited(name, p)))

    def set_action(self, name: str, action: str) -> None:
        rule = self.rules.by_name(name)
        if rule is not None:
            self._preview(rule.query, action, lambda p: self._edited(name, p))

    def _edited(self, name: str, preview: Preview) -> None:
        rule, changed = self.rules.edit(name, preview.query, preview.action, preview.paths)
        self.find(rule)
        self.changed(changed)

    def delete(self, name: str) -> None:
        rule = self.rules.by_name(name)
        if rule is None:
            return

        def deleted() -> None:
            self.changed(self.rules.delete(name))
            self.screen.notify(f"Deleted the rule {name!r} ({rule.action}: {rule.query!r}): "
                               "what it did is undone.", timeout=5)

        attempt(self.screen, deleted)

    def _preview(self, query: str, action: str, then: Callable[[Preview], None]) -> None:
        """Find what the rule would match in a worker, show it, and `then` it if the user
        saves it."""
        def work() -> None:
            preview = self.rules.preview(query, action)
            self.screen.from_worker(self._show_preview, preview, then)

        self.screen.run_worker(work, thread=True, group="rule-preview", exclusive=True)

    def _show_preview(self, preview: Preview, then: Callable[[Preview], None]) -> None:
        def answered(save: bool | None) -> None:
            if save:
                attempt(self.screen, lambda: then(preview))

        tz = self.services.settings.tzinfo
        self.screen.app.push_screen(RulePreviewScreen(preview, tz), answered)


def other_actions(rule: Rule) -> list[str]:
    return [action for action in ACTIONS if action != rule.action]
