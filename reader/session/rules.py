"""Rules: the `[[rules]]` tables of the config file, applied to the whole archive.

A rule is a query and an action (reader/config.py reads them,
reader/session/rules_file.py writes them back).  Its members are the query's
hits, kept by the archive's deltas as a saved search's are
(reader/session/saved_searches.py): a rule of filters only is decided from the
catalog's records (reader/session/rule_match.py) at once and for each new file
as it is listed (`on_change`, in the same turn of the event loop that lists it,
so a hidden source never shows); a rule with words is found in a worker once
the index is complete and found again within a delta's paths after each delta
(`after_index`).  Until a rule's members are found it is "applying…".

What the rules do together (`apply`, on the event loop):

    hide       the union of their members is the held group HIDDEN: counted there
               only (reader/state/counts.py), listed nowhere else (Services.member)
    read/star  marks of the rules' own, under the user's (reader/state/rule_marks.py):
               never written to the state store, undone when the rule goes
    highlight  the article list colours those rows

Nothing is deleted or marked by a hide rule: removing it brings every article and
count back, by deltas.  `Rules` is owned by the event loop; workers read a
snapshot of the list and return what they found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from reader.archive.model import Article, Delta
from reader.config import ACTIONS, ConfigError, Rule
from reader.index.query import ParsedQuery, QueryError
from reader.session.groups import QueryDefinition, reclassified
from reader.session.rule_match import (matching, newest, parse_rule, parsed_test, query_problem,
                                       record_test)
from reader.session.rules_file import file_rules, write_rules
from reader.state.groups import PathGroup
from reader.state.model import READ, STAR
from reader.state.rule_marks import HIDDEN, HIDDEN_KIND, RuleMarks

KIND = "rule"
APPLYING = "applying…"  # a rule's note until its members are found
SAMPLE = 10  # titles a preview shows


@dataclass
class RulesFound:
    """Rules' members found in a worker: by name, with the query they are of (the rule
    may be edited meanwhile), and the rules whose query cannot be searched."""

    members: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    whole: bool = False  # every rule that needs the index was looked for in a complete one


@dataclass(frozen=True)
class Preview:
    """What a rule's query matches now, before it is saved: how many, the newest few,
    and whether that is final (`note` says why not, or what is wrong)."""

    query: str
    action: str
    paths: frozenset[str] = frozenset()
    sample: tuple[Article, ...] = ()
    note: str = ""
    problem: str = ""


class Rules:
    """The rules in the config file's order, their members and what they do."""

    def __init__(self, services, rules: Iterable[Rule], config_path: Path) -> None:
        self.services = services
        services.groups.hold_kind(HIDDEN_KIND)
        self.rules: list[Rule] = list(rules)
        self.config_path = config_path
        self.members: dict[str, frozenset[str]] = {}  # rule name -> paths, once found
        # a query that cannot be a rule's is known at once (it is skipped: never applying)
        self.problems: dict[str, str] = {r.name: problem for r in self.rules if (
            problem := query_problem(r.query, self.tz))}
        self.counted = False  # the word rules were found once in a complete index
        self.marks = RuleMarks()
        self.highlighted: frozenset[str] = frozenset()

    @property
    def tz(self):
        return self.services.settings.tzinfo

    def is_highlighted(self, path: str) -> bool:
        return path in self.highlighted

    def by_name(self, name: str) -> Rule | None:
        return next((r for r in self.rules if r.name == name), None)

    def pending(self, action: str | None = None) -> list[Rule]:
        """The rules (of one action) whose members are not found yet."""
        return [r for r in self.rules if r.name not in self.members
                and r.name not in self.problems and action in (None, r.action)]

    @property
    def hiding_pending(self) -> bool:
        """Whether a hide rule's members are not known yet: until they are, any count may
        include what it will hide (the reader holds its counts meanwhile)."""
        return bool(self.pending("hide"))

    def warnings(self) -> list[str]:
        """What to warn of when the reader starts: each rule skipped and why."""
        return [f"{self.config_path.name}: rule {name!r} skipped: {problem}"
                for name, problem in self.problems.items()]

    def note(self, rule: Rule) -> str:
        """What a rule's state is in words ("" once applied)."""
        return self.problems.get(rule.name, "") or (APPLYING if rule in self.pending() else "")

    # -- finding the members (in a worker, or for a few records on the loop) --------------

    def by_records(self, articles: Sequence[Article], rules: Iterable[Rule] | None = None
                   ) -> RulesFound:
        """The members of the rules of filters only, from these records (the catalog)."""
        found = RulesFound()
        for rule in list(self.rules) if rules is None else rules:
            test = self._test(rule, found)
            if test is not None:
                found.members[rule.name] = (rule.query, matching(articles, test))
        return found

    def hidden_by(self, found: RulesFound, by_path) -> frozenset[str]:
        """In the load worker: what the hide rules hide in a new catalog (`by_path`), the
        rules of filters only by `found`, the others as they are now."""
        members = dict(self.members)  # (a snapshot: the loop may replace it meanwhile)
        members.update({name: paths for name, (_, paths) in found.members.items()})
        return frozenset(p for r in list(self.rules) if r.action == "hide"
                         for p in members.get(r.name, ()) if p in by_path)

    def shown(self, articles: Sequence[Article]) -> list[Article]:
        """These records less those a hide rule of filters only hides (the first page,
        shown before the catalog is loaded: a hidden source never flashes)."""
        hidden = set().union(*(paths for _, paths in self.by_records(
            articles, [r for r in list(self.rules) if r.action == "hide"]).members.values()))
        return [a for a in articles if a.path not in hidden]

    def find(self, rules: Iterable[Rule] | None = None) -> RulesFound:
        """The members of the rules with words (all by default), from the index."""
        found = RulesFound(whole=rules is None)
        for rule in list(self.rules) if rules is None else rules:
            parsed = self._parsed(rule, found)  # once: the index searches with it
            if parsed is not None and parsed_test(parsed) is None:
                try:
                    group = self.services.query_group((KIND, rule.name), rule.query, parsed)
                    found.members[rule.name] = (rule.query, group.paths)
                except QueryError as exc:
                    found.problems[rule.name] = str(exc)
        self.services.searcher.groups_index.keep_checks()  # the text checks, for next time
        return found

    def after_index(self, delta: Delta | None) -> RulesFound:
        """Once the index has taken a whole update (`delta` None) or a delta: the rules with
        words looked for, everywhere or only within the delta's paths."""
        if delta is None or not self.counted:
            return self.find()
        paths = {a.path for a in (*delta.added, *delta.changed)} | set(delta.removed)
        services, groups = self.services, []
        for rule in self.rules:
            parsed = self._parsed(rule, RulesFound()) if rule.name in self.members else None
            if parsed is not None and parsed_test(parsed) is None:
                definition = QueryDefinition(rule.query, parsed)
                groups.append(PathGroup((KIND, rule.name), self.members[rule.name],
                                        definition))
        again = reclassified(groups, paths, services.searcher.groups_index, services,
                             services.catalog.by_path)
        return RulesFound({g.key[1]: (g.definition.query, g.paths) for g in again})

    def _test(self, rule: Rule, found: RulesFound):
        """The record test of a rule (None: it needs the index, or cannot be searched:
        then `found.problems` says why)."""
        parsed = self._parsed(rule, found)
        return None if parsed is None else parsed_test(parsed)

    def _parsed(self, rule: Rule, found: RulesFound) -> ParsedQuery | None:
        """A rule's query parsed (None: it cannot be a rule's, `found.problems` says why)."""
        try:
            return parse_rule(rule.query, self.tz)
        except QueryError as exc:
            found.problems[rule.name] = str(exc)
            return None

    def preview(self, query: str, action: str) -> Preview:
        """In a worker: what `query` would match as a rule now, and a sample."""
        query = query.strip()
        problem = query_problem(query, self.tz) or (
            "" if action in ACTIONS else f"the action must be one of {', '.join(ACTIONS)}")
        if problem:
            return Preview(query, action, problem=problem)
        catalog, note = self.services.catalog, ""
        test = record_test(query, self.tz)
        if test is not None:
            paths = matching(catalog.articles, test)
        else:
            try:
                paths = self.services.query_group((KIND, query), query).paths
            except QueryError as exc:  # no index yet, or an unreadable one
                return Preview(query, action, note=f"{exc}: found once the index is ready")
            note = "" if self.counted else "the index is not complete: more may match"
        sample = newest(paths, catalog.by_path, catalog.rank, SAMPLE)
        return Preview(query, action, paths, tuple(sample), note)

    # -- on the event loop -----------------------------------------------------------

    def take(self, found: RulesFound | None) -> set[str]:
        """Hold the members found that are still of a rule with that query, and apply the
        rules; returns the paths whose marks, hiding or highlight changed."""
        if found is None:
            return set()
        queries = {r.name: r.query for r in self.rules}
        known = self.services.catalog.by_path.keys()
        for name, (query, paths) in found.members.items():
            if queries.get(name) == query:
                self.members[name] = frozenset(known & paths)
                self.problems.pop(name, None)
        for name, problem in found.problems.items():
            if name in queries:
                self.problems[name] = problem
                self.members.pop(name, None)
        self.counted = self.counted or found.whole
        return self.apply()

    def take_loaded(self, found: RulesFound | None) -> set[str]:
        """A whole new catalog: every rule lets go of what it no longer holds, and the rules
        of filters only take what its records say."""
        known = self.services.catalog.by_path.keys()
        self.members = {name: frozenset(known & paths) for name, paths in self.members.items()}
        return self.take(found) if found is not None else self.apply()

    def on_change(self, gone: Iterable[str], incoming: Sequence[Article]) -> set[str]:
        """After a delta was taken: the rules of filters only decide the incoming records
        at once; every rule lets the gone paths go.  Returns what `apply` changed."""
        gone, fresh = frozenset(gone), self.by_records(incoming)
        incoming_paths = {a.path for a in incoming}
        for name, paths in list(self.members.items()):
            if name in fresh.members:
                paths = (paths - incoming_paths) | fresh.members[name][1]
            self.members[name] = paths - gone
        return self.apply()

    def apply(self) -> set[str]:
        """Make what the rules do together so: the hidden group, the rules' marks, the
        highlighted rows.  Returns the paths that changed."""
        union = {action: frozenset().union(*(self.members.get(r.name, ()) for r in self.rules
                                             if r.action == action)) for action in ACTIONS}
        services, changed = self.services, set()
        hidden = union["hide"]
        if hidden != services.counts.hidden:
            changed |= hidden ^ services.counts.hidden
            services.counts.hold(PathGroup(HIDDEN, hidden), services.catalog.by_path)
        elif services.groups.group(HIDDEN).paths != hidden:  # counted so by `load`
            services.groups.hold(PathGroup(HIDDEN, hidden))
        for field_, action in ((READ, "read"), (STAR, "star")):
            changed |= self._mark(field_, *self.marks.flips(field_, union[action]))
        changed |= union["highlight"] ^ self.highlighted
        self.highlighted = union["highlight"]
        return changed

    def _mark(self, field_: int, on: set[str], off: set[str]) -> set[str]:
        """The rules' marks of `field_` set on and off, in the marks and the counts."""
        services = self.services
        marks = services.read if field_ == READ else services.starred
        count = services.counts.apply_read if field_ == READ else services.counts.apply_star
        by_path, changed = services.catalog.by_path, set()
        for paths, value in ((on, True), (off, False)):
            for path in paths:
                if (path in marks) != value:
                    (marks.add if value else marks.discard)(path)
                    changed.add(path)
                    if path in by_path:
                        count(by_path[path], value)
        return changed

    def after_undo(self, marks: Sequence[tuple[str, int, bool]]) -> set[str]:
        """An undo put these marks back: a ruled path it left with no mark of the user's
        takes the rule's mark again."""
        store = self.services.store
        out = set()
        for field_ in (READ, STAR):
            ruled = {p for p, f, _ in marks if f == field_} & self.marks.ruled[field_]
            if ruled and store is not None:
                undecided = ruled - store.decided(field_, ruled)
                self.marks.undecide(field_, undecided)
                out |= self._mark(field_, undecided, set())
        return out

    # -- editing (the config file first) ----------------------------------------------

    def add(self, query: str, action: str, members: frozenset[str] | None = None,
            name: str = "") -> tuple[Rule, set[str]]:
        """Save a new rule (to the config file first; ValueError or ConfigError: nothing
        changed); `members`: a preview's, taken at once.  Returns it and what changed."""
        query = query.strip()
        rule = Rule(name.strip() or query, query, action)
        self._check(rule)
        self._write([*self.rules, rule])
        return rule, self._took(rule, members)

    def edit(self, name: str, query: str, action: str,
             members: frozenset[str] | None = None) -> tuple[Rule, set[str]]:
        """A new query or action for the rule `name` (a rule named by its query is named by
        the new one); returns it and what changed."""
        rule, query = self._of(name), query.strip()
        edited = Rule(query if rule.name == rule.query else rule.name, query, action)
        self._check(edited, renaming=edited.name != name)
        self._write([edited if r is rule else r for r in self.rules],
                    [name if r is rule else r.name for r in self.rules])
        self.members.pop(name, None)
        self.problems.pop(name, None)
        return edited, self._took(edited, members)

    def delete(self, name: str) -> set[str]:
        rule = self._of(name)
        self._write([r for r in self.rules if r is not rule])
        self.members.pop(name, None)
        self.problems.pop(name, None)
        return self.apply()

    def _took(self, rule: Rule, members: frozenset[str] | None) -> set[str]:
        """A rule saved: its members are a preview's where that is final (else it waits
        to be found), and the rules are applied."""
        if members is not None and (self.counted or record_test(rule.query, self.tz)):
            self.members[rule.name] = frozenset(self.services.catalog.by_path.keys() & members)
        return self.apply()

    def _of(self, name: str) -> Rule:
        rule = self.by_name(name)
        if rule is None:
            raise ValueError(f"no rule named {name!r}")
        return rule

    def _check(self, rule: Rule, renaming: bool = True) -> None:
        if rule.action not in ACTIONS:
            raise ValueError(f"a rule's action is one of {', '.join(ACTIONS)}")
        if renaming and self.by_name(rule.name) is not None:
            raise ValueError(f"a rule is already named {rule.name!r}")
        problem = query_problem(rule.query, self.tz)
        if problem:
            raise ValueError(f"cannot make a rule of {rule.query!r}: {problem}")

    def _write(self, rules: list[Rule], was: Sequence[str] = ()) -> None:
        """Write the new list to the config file (ConfigError: nothing changed), then make
        it the list; never over what the user wrote there meanwhile."""
        if file_rules(self.config_path) != self.rules:
            raise ConfigError(f"{self.config_path}: its [[rules]] were changed since the "
                              "reader read them; restart the reader to edit them here")
        write_rules(self.config_path, rules, was)
        self.rules = rules
