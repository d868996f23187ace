"""Counts kept by deltas (`add`, `remove`) equal counts built afresh from the same state."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings, strategies as st

from reader.archive.model import Article
from reader.state import GroupCounts
from test_state_support import START

NAMES = st.sampled_from(["", "Tech", "Oil", "Gold", "科技"])


@st.composite
def articles(draw, prefix: str) -> list[Article]:
    count = draw(st.integers(0, 12))
    return [Article(path=f"{prefix}{i}.md", title=f"t{i}", date=START + timedelta(hours=i),
                    categories=tuple(draw(st.lists(NAMES, max_size=2))),
                    tags=tuple(draw(st.lists(NAMES, max_size=3))),
                    lang=draw(st.sampled_from(["en", "zh-CN"])),
                    source=draw(st.sampled_from(["wire", "daily", "new"])))
            for i in range(count)]


def snapshot(counts: GroupCounts) -> dict:
    return {key: counts[key] for key in counts.keys()}


@settings(max_examples=150, deadline=None)
@given(base=articles("a/"), extra=articles("b/"), data=st.data())
def test_added_removed_and_changed_articles_count_as_a_fresh_build(base, extra, data):
    everything = base + extra
    paths = [a.path for a in everything]
    read = set(data.draw(st.lists(st.sampled_from(paths), unique=True))) if paths else set()
    starred = set(data.draw(st.lists(st.sampled_from(paths), unique=True))) if paths else set()
    gone = data.draw(st.lists(st.sampled_from(base), unique_by=lambda a: a.path)) if base else []
    counts = GroupCounts(base, read, starred)
    counts.add(extra, read, starred)
    counts.remove(gone)
    left = [a for a in everything if a not in gone]
    fresh = GroupCounts(left, read, starred)
    assert snapshot(counts) == snapshot(fresh)
    for kind in ("category", "tag", "lang", "source"):  # the sections' sizes, kept
        assert counts.size(kind) == fresh.size(kind) == len(list(fresh.keys(kind)))


def test_a_changed_article_moves_between_groups_and_empty_groups_leave():
    old = Article(path="x.md", title="x", date=START, categories=("Oil",), lang="en",
                  source="wire")
    other = Article(path="y.md", title="y", date=START, categories=("Gold",), lang="en",
                    source="wire")
    counts = GroupCounts([old, other], {"x.md"}, {"x.md"})
    new = Article(path="x.md", title="x2", date=START, categories=("Tech",), lang="en",
                  source="wire")
    counts.remove([old])
    counts.add([new], {"x.md"}, {"x.md"})
    assert ("category", "Oil") not in counts
    assert list(counts.keys("category")) == [("category", "Gold"), ("category", "Tech")]
    assert counts[("category", "Tech")].starred == 1 and counts[("category", "Tech")].unread == 0
