"""The index backlog merges the deltas of scans made while the index was busy."""

from __future__ import annotations

from datetime import datetime, timezone

from reader.archive.model import Article, Delta, ParsedArticle
from reader.session.backlog import IndexBacklog

WHEN = datetime(2025, 1, 1, tzinfo=timezone.utc)


def art(path: str, title: str = "t") -> Article:
    return Article(path, title, WHEN)


def parsed(article: Article) -> ParsedArticle:
    return ParsedArticle(article, f"body of {article.title}")


def test_an_empty_backlog_is_false_and_gives_an_empty_delta():
    backlog = IndexBacklog()
    assert not backlog
    assert backlog.take() == (Delta(), {})


def test_the_last_change_of_a_path_wins_and_an_added_then_removed_path_is_only_removed():
    backlog = IndexBacklog()
    a1, a2, b = art("a", "one"), art("a", "two"), art("b")
    backlog.add(Delta(added=(a1, b)), {"a": parsed(a1), "b": parsed(b)})
    backlog.add(Delta(changed=(a2,)), {"a": parsed(a2)})
    backlog.add(Delta(removed=("b", "c")))
    delta, bodies = backlog.take()
    assert delta.added == (a2,) and sorted(delta.removed) == ["b", "c"]
    assert bodies == {"a": parsed(a2)}
    assert not backlog


def test_a_removed_path_that_comes_back_is_indexed_again_without_its_old_body():
    backlog = IndexBacklog()
    a = art("a")
    backlog.add(Delta(added=(a,)), {"a": parsed(a)})
    backlog.add(Delta(removed=("a",)))
    backlog.add(Delta(added=(a,)))  # back, parsed by nobody this time
    delta, bodies = backlog.take()
    assert delta.added == (a,) and delta.removed == () and bodies == {}


def test_a_whole_update_wanted_takes_the_place_of_the_deltas():
    backlog = IndexBacklog()
    backlog.add(Delta(added=(art("a"),)))
    backlog.want_full()
    assert backlog
    assert backlog.take() == (None, {})
    assert not backlog
