"""Groups handed to the index as a structured scope: a field term, a reading state, a set
of paths; never a query string parsed back."""

from __future__ import annotations

import threading
from datetime import timezone

import pytest
from conftest import article_text

from reader.archive import Archive
from reader.index.query import Filter, Scope, parse_query
from reader.session.groups import QueryDefinition, scope_of
from reader.session.listing import ListQuery
from reader.session.services import Services
from reader.state import Count, Groups, PathGroup

EN = "content/en/news/{}/{}.en.md"
ODD_TAG = 'say "hi"'  # a quote: no query can name it


def test_each_kind_of_group_narrows_a_search_structurally():
    groups = Groups([PathGroup(("search", "x"), frozenset({"a.md"}))])
    assert scope_of(groups.group(("all", ""))) is None
    assert scope_of(groups.group(("section", "tag"))) is None
    assert scope_of(groups.group(("unread", ""))) == Scope(states=(("unread", False),))
    assert scope_of(groups.group(("starred", ""))) == Scope(states=(("starred", False),))
    assert scope_of(groups.group(("category", "科技 新闻"))) == \
        Scope(filters=(Filter("category", "科技 新闻"),))
    assert scope_of(groups.group(("lang", "zh-HK"))) == Scope(filters=(Filter("lang", "zh-hk"),))
    assert scope_of(groups.group(("tag", ODD_TAG))) == Scope(filters=(Filter("tag", 'say "hi"'),))
    assert scope_of(groups.group(("source", ""))) is None  # no term: rows checked exactly
    assert scope_of(groups.group(("search", "x"))) == Scope(paths=frozenset({"a.md"}))
    query = query_group_definition("bank -central source:wire")
    scope = scope_of(PathGroup(("search", "q"), frozenset(), query))
    assert scope.filters == (Filter("source", "wire"),) and scope.text == query.parsed.text
    with pytest.raises(KeyError):
        groups.group(("nonsense", "x"))


@pytest.fixture
def services(archive_factory, settings):
    files = {EN.format("wire", i): article_text(f"Report {i}", tags=["odd"] if i < 3 else [])
             .replace('"odd"', f"'{ODD_TAG}'") for i in range(8)}
    files.update({EN.format("daily", i): article_text(f"Daily report {i}") for i in range(4)})
    services = Services(Archive.open(archive_factory(files), settings), settings)
    services.open_state()
    services.set_articles(services.scan().articles)
    services.update_index(lambda done, total: None, threading.Event())
    yield services
    services.close()


def test_a_group_no_query_can_name_is_narrowed_by_the_index(services):
    """The old encoding wrote the group as `tag:"..."` and gave up on a quote: the index
    searched All, and the total said 12 hits for the 3 rows."""
    outcome = services.search("report", ("tag", ODD_TAG), limit=100)
    assert outcome.total == 3 and len(services.rows(outcome, _query(("tag", ODD_TAG)))) == 3


def test_a_held_group_narrows_by_its_paths_and_follows_its_members(services):
    daily = sorted(p for p in services.by_path if "/daily/" in p)
    services.counts.hold(PathGroup(("search", "d"), frozenset(daily[:3])))
    outcome = services.search("report", ("search", "d"), limit=100)
    assert sorted(outcome.paths) == daily[:3] and outcome.total == 3
    services.counts.hold(PathGroup(("search", "d"), frozenset(daily[1:])))
    assert sorted(services.search("report", ("search", "d"), limit=100).paths) == daily[1:]
    services.set_read([services.by_path[daily[1]]])
    assert sorted(services.search("report", ("search", "d")).paths) == daily[1:]
    assert services.counts[("search", "d")].unread == 2


def test_a_source_group_and_unread_narrow_the_index_together(services):
    services.set_read([services.by_path[EN.format("wire", 0)]])
    assert services.search("report", ("source", "wire"), limit=100).total == 8
    assert services.search("report is:unread", ("source", "wire"), limit=100).total == 7
    assert services.search("report", ("unread", ""), limit=100).total == 11


def query_group_definition(query: str) -> QueryDefinition:
    return QueryDefinition(query, parse_query(query, timezone.utc))


def _query(key):
    return ListQuery(group=key)


def test_an_empty_scope_finds_nothing_also_by_relevance(services):
    """Whoosh takes an empty filter for no filter: `report is:starred` by relevance with
    nothing starred listed every report (and the CLI's default order is relevance)."""
    index = services.searcher.index
    for query in ("report is:starred", '"daily report" is:starred'):
        results = index.search(query, limit=0, sort="relevance", state=services)
        assert results.paths == [] and results.total == 0, query
    services.counts.hold(PathGroup(("search", "none"), frozenset()))
    assert services.search("report", ("search", "none"), sort="relevance").paths == []


def test_a_whole_new_catalog_keeps_the_held_groups_within_it(services):
    daily = sorted(p for p in services.by_path if "/daily/" in p)
    services.take_groups([PathGroup(("search", "d"), frozenset(daily))])
    services.set_articles([a for a in services.articles if a.path != daily[0]])
    assert services.counts.groups.group(("search", "d")).paths == frozenset(daily[1:])
    assert services.counts[("search", "d")] == Count(3, 3, 0)
