"""The rules' layer of the marks: what the `read` and `star` rules mark, under the
user's own marks (no Textual, no index).

A rule's mark is never written to the state store: the store holds only what the
user did.  The user *made* a mark of a field (read, or starred) when the store has
a row whose time of that field is set (`read_at`, `star_at`: marking unread leaves
the row, with read = 0 and the time of the change) or whose value is set (a mark
imported without a time).  Such a path is *decided* for that field: its user value
wins, whatever a rule says.  Every other path is read (starred) exactly when a
rule of that action matches it.  So the effective marks are

    effective = user's marks  |  (ruled - decided)

and a change of the rules (added, edited, removed, or its members found again
after a delta) flips only the undecided paths that joined or left the ruled set
(`flips`); removing a rule undoes its marks, and a user's read or unread stays.

HIDDEN is the key of the held group of the hidden articles (what the hide rules
match): reader/state/counts.py counts them there only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import AbstractSet, Iterable

from reader.state.groups import Key
from reader.state.model import READ, STAR

HIDDEN: Key = ("hidden", "")
HIDDEN_KIND = HIDDEN[0]


@dataclass
class RuleMarks:
    """The paths the user decided per field (`decided`), and the paths the rules mark
    per field (`ruled`: a frozenset, replaced, never edited)."""

    decided: dict[int, set[str]] = field(default_factory=lambda: {READ: set(), STAR: set()})
    ruled: dict[int, frozenset[str]] = field(
        default_factory=lambda: {READ: frozenset(), STAR: frozenset()})

    def decide(self, field_: int, paths: Iterable[str]) -> None:
        """The user marked these paths (`READ` or `STAR`): their own mark wins now."""
        self.decided[field_].update(paths)

    def undecide(self, field_: int, paths: Iterable[str]) -> None:
        """These paths hold no mark of the user any more (an undo put back none)."""
        self.decided[field_].difference_update(paths)

    def by_rule_only(self, field_: int, articles: Iterable) -> list:
        """Those of these articles (marked in `field_`) marked by a rule only: the user
        never decided them."""
        ruled, decided = self.ruled[field_], self.decided[field_]
        return [a for a in articles if a.path in ruled and a.path not in decided]

    def flips(self, field_: int, ruled: frozenset[str]) -> tuple[set[str], set[str]]:
        """Make `ruled` the paths the rules mark in `field_`; returns (to mark, to unmark):
        the undecided paths that joined and left it."""
        before, decided = self.ruled[field_], self.decided[field_]
        self.ruled[field_] = ruled
        return set(ruled - before) - decided, set(before - ruled) - decided

    def effective(self, field_: int, user: AbstractSet[str]) -> set[str]:
        """The effective marks of `field_`, given the user's own marked set."""
        return set(user) | (self.ruled[field_] - self.decided[field_])
