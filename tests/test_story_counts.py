"""Counts by story (reader/session/story_counts.py, `count_by = "stories"`): in every
group a story counts once, unread while one of its copies is; by article, each copy."""

from __future__ import annotations

from itertools import combinations

from reader.archive.model import Delta
from reader.session.story_counts import StoryCounts, stories_in, story_read
from reader.state import GroupCounts
from reader.state.counts import Count
from reader.state.groups import ALL, STARRED, UNREAD
from tests.test_stories import ARTICLES, article, build

# Stories of the sample: a/zh.md, b/hk.md, f/copy.md (sources a, b, f); c/en.md, d/en.md;
# e/en.md alone.  Six articles, three stories.
ALL_ARTICLES = [a for a, _ in ARTICLES.values()]


def by_story(read=(), starred=(), stories=None, by_path=None):
    stories = stories or build(ARTICLES)
    by_path = by_path if by_path is not None else {a.path: a for a in ALL_ARTICLES}
    counts = GroupCounts(list(by_path.values()), set(read), set(starred))
    return StoryCounts(lambda: (counts, stories.view, by_path)), counts


def test_a_story_counts_once_and_each_copy_counts_by_article():
    stories, articles = by_story()
    assert stories[ALL] == Count(3, 3, 0) and articles[ALL] == Count(6, 6, 0)
    assert stories[UNREAD] == Count(3, 3, 0)
    assert stories[("source", "a")] == Count(1, 1, 0)  # a group with one copy: one story


def test_a_story_is_unread_while_one_copy_is():
    stories, articles = by_story(read={"a/zh.md"})
    assert stories[ALL] == Count(3, 3, 0) and articles[ALL] == Count(6, 5, 0)
    articles.apply_read(ARTICLES["b/hk.md"][0], True)
    articles.apply_read(ARTICLES["f/copy.md"][0], True)
    assert stories[ALL] == Count(3, 2, 0) and stories[UNREAD] == Count(2, 2, 0)
    assert articles[ALL] == Count(6, 3, 0)


def test_starred_stories_count_once_in_starred_and_unread():
    stories, _ = by_story(starred={"a/zh.md", "b/hk.md", "c/en.md"})
    assert stories[STARRED] == Count(2, 2, 2) and stories[ALL] == Count(3, 3, 2)
    assert stories[UNREAD] == Count(3, 3, 2)


def test_counts_follow_files_that_arrive_and_go():
    grouped, by_path = build(ARTICLES), {a.path: a for a in ALL_ARTICLES}
    stories, articles = by_story(stories=grouped, by_path=by_path)
    new = article("g/again.md", "英伟达财报超预期", 3)
    grouped.apply(Delta(added=(new,)), {new.path: ARTICLES["a/zh.md"][1]})
    articles.add([new], set(), set())
    by_path[new.path] = new
    assert stories[ALL] == Count(3, 3, 0) and articles[ALL] == Count(7, 7, 0)
    grouped.apply(Delta(removed=("c/en.md",)))
    articles.remove([by_path.pop("c/en.md")])
    assert stories[ALL] == Count(3, 3, 0) and articles[ALL] == Count(6, 6, 0)  # d alone now


def snapshot(stories: StoryCounts) -> dict:
    return {key: stories[key] for key in (*stories.keys(), ALL, UNREAD, STARRED)}


def test_counts_kept_by_delta_equal_counts_made_afresh_and_redo_only_what_changed():
    """After each change (a copy arriving, a file going, a mark, a held group) the
    counts equal a StoryCounts made afresh; and an arrival redoes its own story's share
    only, not every story's (7 ms a thousand members, at every burst)."""
    from reader.session import story_counts
    from reader.state.groups import PathGroup

    grouped, by_path = build(ARTICLES), {a.path: a for a in ALL_ARTICLES}
    stories, articles = by_story(stories=grouped, by_path=by_path)

    def fresh() -> dict:
        return snapshot(StoryCounts(lambda: (articles, grouped.view, by_path)))

    assert snapshot(stories) == fresh()
    shares, added = [], story_counts.Excess._add

    def counted_add(excess, story):
        shares.append(story.id)
        added(excess, story)

    story_counts.Excess._add = counted_add
    try:
        new = article("g/again.md", "英伟达财报超预期", 3)
        grouped.apply(Delta(added=(new,)), {new.path: ARTICLES["a/zh.md"][1]})
        articles.add([new], set(), set())
        by_path[new.path] = new
        assert snapshot(stories) == fresh()
        assert shares.count(grouped.view[new.path].id) == 2  # (ours, and fresh()'s)
        assert len(shares) == 1 + len({id(s) for s in grouped.view.values()}) == 3
        # (ours: its story alone; fresh(): both stories)
        articles.apply_read(by_path["c/en.md"], True)
        articles.hold(PathGroup(("new", ""), frozenset({"d/en.md", new.path})))
        assert snapshot(stories) == fresh()
        grouped.apply(Delta(removed=("c/en.md",)))
        articles.remove([by_path.pop("c/en.md")])
        articles.forget({"c/en.md"})
        assert snapshot(stories) == fresh()
    finally:
        story_counts.Excess._add = added


def test_stories_in_a_set_of_paths_are_counted_as_in_a_list_and_read_once_all_are():
    """A list's hits are kept as a set to count them again after a change: looked up
    from the stories' side when those are the fewer, the same count.  A story is read
    when every copy of it in the group is."""
    view = build(ARTICLES).view
    paths = [a.path for a in ALL_ARTICLES]
    for size in range(len(paths) + 1):
        for chosen in combinations(paths + ["z/alone.md"], size):
            assert stories_in(set(chosen), view) == stories_in(list(chosen), view)
    story = view["a/zh.md"]
    by_path = {a.path: a for a in ALL_ARTICLES}
    assert not story_read(story, {"a/zh.md"}, by_path, None)
    assert story_read(story, set(story.members), by_path, None)
    assert story_read(story, {"a/zh.md"}, by_path, lambda a: a.path == "a/zh.md")
