"""Unread and starred counts per group: right against brute force, kept right as the user reads."""

from __future__ import annotations

import random

import pytest

from reader.state import ALL, STARRED, UNREAD, Count, GroupCounts, StateStore
from reader.state.groups import field_keys as groups_of
from test_state_support import make_article, make_articles

ARTICLES = make_articles(3000, seed=11)


def brute_force(articles, read, starred, key):
    if key == ALL:
        members = articles
    elif key == UNREAD:
        members = [a for a in articles if a.path not in read]
    elif key == STARRED:
        members = [a for a in articles if a.path in starred]
    else:
        members = [a for a in articles if key in set(groups_of(a))]
    return Count(len(members), sum(a.path not in read for a in members),
                 sum(a.path in starred for a in members))


def all_keys(articles):
    keys = {ALL, UNREAD, STARRED}
    for a in articles:
        keys.update(groups_of(a))
    return keys


@pytest.mark.parametrize("seed, read_share", [(1, 0.4), (2, 0.8), (3, 0.0), (4, 1.0)])
def test_counts_match_brute_force_on_a_random_state(seed, read_share):
    rng = random.Random(seed)
    read = {a.path for a in ARTICLES if rng.random() < read_share}
    starred = {a.path for a in ARTICLES if rng.random() < 0.1}
    counts = GroupCounts(ARTICLES, read, starred)
    keys = all_keys(ARTICLES)
    assert set(counts.keys()) == keys
    for key in keys:
        assert counts[key] == brute_force(ARTICLES, read, starred, key), key


def test_incremental_updates_stay_equal_to_a_rebuild():
    rng = random.Random(5)
    read, starred = set(), set()
    counts = GroupCounts(ARTICLES, read, starred)
    for _ in range(500):
        article = rng.choice(ARTICLES)
        if rng.random() < 0.7:
            value = rng.random() < 0.8
            changed = counts.apply_read(article, value)
            assert changed == ((article.path in read) != value)
            (read.add if value else read.discard)(article.path)
        else:
            value = rng.random() < 0.5
            counts.apply_star(article, value)
            (starred.add if value else starred.discard)(article.path)
    rebuilt = GroupCounts(ARTICLES, read, starred)
    for key in all_keys(ARTICLES):
        assert counts[key] == rebuilt[key] == brute_force(ARTICLES, read, starred, key), key


def test_special_nodes_count_their_own_members():
    a, b, c = (make_article(f"{n}.md", lang="en", source="s") for n in "abc")
    counts = GroupCounts([a, b, c], read={"a.md"}, starred={"a.md", "b.md"})
    assert counts[ALL] == Count(3, 2, 2)
    assert counts[UNREAD] == Count(2, 2, 1)
    assert counts[STARRED] == Count(2, 1, 2)
    counts.apply_read(b, True)
    assert counts[UNREAD] == Count(1, 1, 0) and counts[STARRED] == Count(2, 0, 2)


def test_repeated_and_empty_names_count_once_or_not_at_all():
    article = make_article("x.md", categories=("news", "news", ""), tags=("oil", "oil"),
                           lang="en", source="s")
    counts = GroupCounts([article], read=set(), starred=set())
    assert counts[("category", "news")] == Count(1, 1, 0)
    assert counts[("tag", "oil")] == Count(1, 1, 0)
    assert ("category", "") not in counts
    counts.apply_read(article, True)
    assert counts[("tag", "oil")] == Count(1, 0, 0)


def test_marks_of_articles_no_longer_in_the_archive_are_not_counted():
    counts = GroupCounts(ARTICLES[:10], read={"gone.md"}, starred={"gone.md"})
    assert counts[ALL] == Count(10, 10, 0)


def test_counts_follow_the_store_through_a_bulk_mark_and_undo(tmp_path):
    with StateStore.open(tmp_path / "state.sqlite3") as store:
        finance = [a for a in ARTICLES if "finance" in a.categories]
        store.mark_read([a.path for a in finance])
        counts = GroupCounts(ARTICLES, store.read_set(), store.starred_set())
        assert counts[("category", "finance")].unread == 0
        assert counts[ALL].unread == len(ARTICLES) - len(finance)
        store.undo()
        counts = GroupCounts(ARTICLES, store.read_set(), store.starred_set())
        assert counts[("category", "finance")].unread == len(finance)


def test_counting_in_chunks_gives_the_same_counts_as_one_pass(monkeypatch):
    import reader.state.counts as counts_module
    rng = random.Random(5)
    read = {a.path for a in ARTICLES if rng.random() < 0.3}
    starred = {a.path for a in ARTICLES if rng.random() < 0.2}
    whole = GroupCounts(ARTICLES, read, starred)
    monkeypatch.setattr(counts_module, "_CHUNK", 7)  # 3000 articles: many chunks, a ragged last
    chunked = GroupCounts(ARTICLES, read, starred)
    keys = all_keys(ARTICLES)
    assert set(chunked.keys()) == keys
    assert all(chunked[key] == whole[key] for key in keys)
