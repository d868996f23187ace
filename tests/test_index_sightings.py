"""The index applies `is:new` and `added:` through the reading state it is given (the
reader's visits), as it does `is:read`; a state that cannot be read is an error of the
state, never damage of the index (which a rebuild would then "repair")."""

from __future__ import annotations

from reader.index.store import damaged_path
from test_index_search import FILES, indexed, names  # noqa: F401

NEW = {"content/en/news/reuters/4.en.md", "content/zh-CN/news/wsj/3.zh-CN.md"}


class Visited:
    """Reading state with two new articles, and 1 and 2 first seen in any span asked."""

    def __init__(self) -> None:
        self.spans: list[tuple] = []

    def read_set(self):
        return {"content/en/news/reuters/4.en.md"}

    starred_set = read_set

    def new_set(self):
        return NEW

    def added_between(self, start, end):
        self.spans.append((start, end))
        return frozenset(p for p in FILES if p.rsplit("/", 1)[1][0] in "12")


def test_is_new_and_added_are_the_states_paths(indexed):
    _, index = indexed
    state = Visited()
    assert names(index.search("is:new", state=state)) == ["3", "4"]
    assert names(index.search("-is:new", state=state)) == ["1", "2", "5"]
    assert names(index.search("is:new is:unread", state=state)) == ["3"]
    assert names(index.search("英 is:new", state=state)) == ["3"]
    assert names(index.search("added:2026-11", state=state)) == ["1", "2"]
    assert names(index.search("-added:>=2026-11-01 lang:en", state=state)) == ["4", "5"]
    assert state.spans[0][1] - state.spans[0][0] == 30 * 86400  # November, as parsed
    assert state.spans[1][1] is None
    assert index.search("is:new").error == "is: and added: filters need the reading state"
    assert index.search("added:2026").error


class Unreadable(Visited):
    def new_set(self):
        raise OSError("disk I/O error")

    read_set = new_set


def test_an_unreadable_state_is_no_damage_of_the_index(indexed):
    archive, index = indexed
    for query in ("is:read nvidia", "is:new nvidia"):
        results = index.search(query, state=Unreadable())
        assert results.error == "the reading state cannot be read: disk I/O error"
        assert not damaged_path(index.index_dir).exists()
    assert names(index.search("nvidia")) == ["4"]
