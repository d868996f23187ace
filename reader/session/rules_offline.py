"""The rules applied outside the reader (the CLI: `newsreader search`, `searches`,
`rules test`): each rule's members from the index, as `newsreader search QUERY
--limit 0` finds them, and the marks as the rules make them, under the user's
(reader/state/rule_marks.py), exactly as the reader counts them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import AbstractSet, Iterable

from reader.config import ACTIONS, Rule
from reader.index.query import QueryError
from reader.session.rule_match import parse_rule
from reader.state.model import READ, STAR
from reader.state.rule_marks import RuleMarks


@dataclass(frozen=True)
class RuleMatches:
    """One rule and what it matches now (`problem`: why it matches nothing)."""

    rule: Rule
    paths: frozenset[str] = frozenset()
    problem: str = ""


@dataclass
class RuledState:
    """The reading state with the rules applied: the effective marks (what `is:` terms
    and the printed marks see) and the hidden paths."""

    read: set[str] = field(default_factory=set)
    starred: set[str] = field(default_factory=set)
    hidden: frozenset[str] = frozenset()

    def read_set(self) -> set[str]:
        return self.read

    def starred_set(self) -> set[str]:
        return self.starred


def rule_matches(rules: Iterable[Rule], index) -> list[RuleMatches]:
    """Each rule's members in the index now (a query of `is:` terms, or one that does not
    parse, matches nothing and says why)."""
    out = []
    for rule in rules:
        try:
            parsed = parse_rule(rule.query, index.tz)
        except QueryError as exc:
            out.append(RuleMatches(rule, problem=str(exc)))
            continue
        results = index.hit_set(parsed)  # as the reader finds a rule's: a set
        out.append(RuleMatches(rule, frozenset(results.paths), results.error or ""))
    return out


def ruled_state(matches: Iterable[RuleMatches], state) -> RuledState:
    """The user's reading state (`state`: read_set, starred_set and, for a state store,
    `decided`) with the rules' marks under it and the hide rules' union."""
    union: dict[str, set[str]] = {action: set() for action in ACTIONS}
    for match in matches:
        union[match.rule.action] |= match.paths
    decided = getattr(state, "decided", None)
    marks = RuleMarks()
    if decided is not None:
        marks.decided = {READ: decided(READ), STAR: decided(STAR)}
    marks.flips(READ, frozenset(union["read"]))
    marks.flips(STAR, frozenset(union["star"]))
    return RuledState(marks.effective(READ, state.read_set()),
                      marks.effective(STAR, state.starred_set()), frozenset(union["hide"]))


def visible(paths: Iterable[str], hidden: AbstractSet[str]) -> list[str]:
    """The paths less the hidden ones, in their order."""
    return [p for p in paths if p not in hidden]


def applied(rules: Iterable[Rule], index, state) -> tuple[list[RuleMatches], RuledState]:
    """Each rule's matches and the reading state they make (`state` None: unreadable,
    no marks)."""
    matches = rule_matches(rules, index)
    return matches, ruled_state(matches, state if state is not None else RuledState())


def search_visible(index, query: str, limit: int, sort: str, state, hidden: AbstractSet[str]):
    """`index.search` with the hidden articles left out of the hits and the total: every
    hit's path is listed (no records), then records are asked for until `limit`
    visible hits are in (0: every one)."""
    if not hidden:
        return index.search(query, limit=limit, sort=sort, state=state)
    listing = index.search(query, limit=0, sort=sort, state=state, paths_only=True)
    if listing.error:
        return listing
    total = len(visible(listing.paths, hidden))
    want = total if limit == 0 else min(limit, total)
    asked = 0 if limit == 0 else max(want, 1)
    while True:
        results = index.search(query, limit=asked, sort=sort, state=state)
        hits = [h for h in results.hits if h.path not in hidden]
        if asked == 0 or len(hits) >= want or asked >= len(listing.paths):
            break
        asked = min(len(listing.paths), asked * 2 + len(hidden & set(listing.paths[:asked])))
    results.hits, results.total, results.total_exact = hits[:want], total, True
    return results
