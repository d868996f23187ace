"""Every group's counts (field groups, All, Unread, Starred and held path groups) equal a
brute-force count of its definition after any sequence of deltas, marks and membership
changes, as the reader applies them (Services.take: remove, add, forget)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from reader.archive.model import Article
from reader.state import ALL, STARRED, UNREAD, Count, GroupCounts, Groups, PathGroup
from reader.state.groups import FIELD_KINDS, KIND
from test_state_support import START

NAMES = st.sampled_from(["", "Tech", "Oil", "科技", " Gold"])
PATHS = st.sampled_from([f"p{i}.md" for i in range(12)])
HELD = st.sampled_from([("search", "Nvidia"), ("search", "Oil"), ("new", "")])


@st.composite
def records(draw) -> Article:
    hours = draw(st.integers(0, 9))
    return Article(path=draw(PATHS), title="t", date=START + timedelta(hours=hours),
                   categories=tuple(draw(st.lists(NAMES, max_size=2))),
                   tags=tuple(draw(st.lists(NAMES, max_size=3))),
                   lang=draw(st.sampled_from(["", "en", "zh-CN"])),
                   source=draw(st.sampled_from(["wire", "daily"])))


def in_field(article: Article, kind: str, name: str) -> bool:
    if kind in ("category", "tag"):
        names = article.categories if kind == "category" else article.tags
        return bool(name) and name in names
    return getattr(article, kind) == name


class Reader(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.live: dict[str, Article] = {}
        self.read: set[str] = set()
        self.starred: set[str] = set()
        self.held: dict[tuple[str, str], frozenset[str]] = {}
        self.counts = GroupCounts([], set(), set(), Groups())

    @rule(incoming=st.lists(records(), max_size=4), gone=st.lists(PATHS, max_size=3))
    def delta(self, incoming, gone):
        incoming = list({a.path: a for a in incoming if a.path not in gone}.values())
        gone = {p for p in gone if p in self.live}
        outgoing = [self.live[p] for p in {*gone, *(a.path for a in incoming)} if p in self.live]
        self.counts.remove(outgoing)
        self.counts.add(incoming, self.read, self.starred)
        self.counts.forget(frozenset(gone))
        for path in gone:
            del self.live[path]
            self.read.discard(path), self.starred.discard(path)
        self.live.update((a.path, a) for a in incoming)
        self.held = {k: v - gone for k, v in self.held.items()}

    @rule(path=PATHS, read=st.booleans())
    def mark(self, path, read):
        if path in self.live:
            (self.read.add if read else self.read.discard)(path)
            self.counts.apply_read(self.live[path], read)

    @rule(path=PATHS, starred=st.booleans())
    def star(self, path, starred):
        if path in self.live:
            (self.starred.add if starred else self.starred.discard)(path)
            self.counts.apply_star(self.live[path], starred)

    @rule(key=HELD, members=st.sets(PATHS))
    def hold(self, key, members):
        paths = frozenset(members) & self.live.keys()
        self.held[key] = paths
        self.counts.hold(PathGroup(key, paths, definition="q"))

    @rule(key=HELD)
    def drop(self, key):
        self.held.pop(key, None)
        self.counts.drop(key)

    def brute(self, key) -> Count:
        if key == ALL:
            members = list(self.live.values())
        elif key == UNREAD:
            members = [a for a in self.live.values() if a.path not in self.read]
        elif key == STARRED:
            members = [a for a in self.live.values() if a.path in self.starred]
        elif key in self.held:
            members = [self.live[p] for p in self.held[key]]
        else:
            members = [a for a in self.live.values() if in_field(a, *key)]
        return Count(len(members), sum(a.path not in self.read for a in members),
                     sum(a.path in self.starred for a in members))

    @invariant()
    def every_group_counts_its_definition(self):
        fields = {(f.kind, n) for a in self.live.values() for f in FIELD_KINDS
                  for n in f.values(a)}
        assert set(self.counts.keys()) == {ALL, UNREAD, STARRED, *fields, *self.held}
        for key in self.counts.keys():
            assert self.counts[key] == self.brute(key), key

    @invariant()
    def every_group_lists_its_definition(self):
        groups = self.counts.groups
        for key in [*self.counts.keys(), *(("section", f.kind) for f in FIELD_KINDS)]:
            keep = groups.group(key).member(self.read, self.starred)
            listed = {a.path for a in self.live.values() if keep is None or keep(a)}
            if key in self.held:
                assert listed == self.held[key]
            elif key[0] == "section":
                field = KIND[key[1]]
                assert listed == {a.path for a in self.live.values() if any(field.values(a))}
            else:
                assert len(listed) == self.brute(key).total, key


Reader.TestCase.settings = settings(max_examples=120, stateful_step_count=25, deadline=None)
TestGroupCounts = Reader.TestCase
