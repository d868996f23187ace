"""The catalog: a delta applied to a snapshot gives what a fresh build of the result gives,
and the older snapshot is left as it was."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings, strategies as st

from reader.archive.model import Article, Delta
from reader.session.catalog import Catalog
from test_state_support import START


def art(i: int, hours: int, title: str = "") -> Article:
    return Article(path=f"p/{i:04d}.md", title=title or f"Title {i}",
                   date=START + timedelta(hours=hours))


def same(a: Catalog, b: Catalog) -> None:
    assert a.articles == b.articles
    assert a.by_path == b.by_path and a.rank == b.rank
    assert a.titles == b.titles


@pytest.mark.parametrize("size", [5, 400])  # one by one, and in bulk
def test_a_delta_gives_the_catalog_a_fresh_build_gives(size):
    base = [art(i, i % 37) for i in range(size)]  # dates repeat: the path breaks ties
    old = Catalog.of(base)
    added = [art(size + i, i % 11) for i in range(size)]
    changed = [replace(base[1], title="Edited 銀行"), replace(base[2], date=START - timedelta(days=1))]
    removed = [base[3].path, "p/unknown.md"]
    new = old.apply(Delta(tuple(added), tuple(changed), tuple(removed)))
    expected = [a for a in base if a.path not in {base[1].path, base[2].path, base[3].path}]
    same(new, Catalog.of(expected + added + changed))
    assert new.folded[base[1].path] == "edited 银行"
    assert old.articles == tuple(Catalog.of(base).articles)  # the old snapshot is untouched


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 30), max_size=20), st.lists(st.integers(0, 30), max_size=20),
       st.sets(st.integers(0, 9)))  # removed: never a path the delta adds
def test_any_delta_matches_a_fresh_build(base_hours, new_hours, removed):
    base = [art(i, h) for i, h in enumerate(base_hours)]
    added = [art(i + 10, h) for i, h in enumerate(new_hours)]  # some known: changed
    catalog = Catalog.of(base).apply(Delta(tuple(added), (), tuple(f"p/{i:04d}.md" for i in removed)))
    final = {a.path: a for a in base}
    final.update({a.path: a for a in added})
    for i in removed:
        final.pop(f"p/{i:04d}.md", None)
    same(catalog, Catalog.of(final.values()))


def test_an_empty_delta_is_the_same_snapshot():
    catalog = Catalog.of([art(1, 1)])
    assert catalog.apply(Delta()) is catalog
    assert catalog.apply(Delta(removed=("nothing.md",))) is catalog
