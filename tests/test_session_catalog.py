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


@pytest.mark.parametrize("size", [5, 400])
@pytest.mark.parametrize("made", [False, True])  # the old snapshot's paths and titles made
def test_a_delta_gives_the_catalog_a_fresh_build_gives(size, made):
    base = [art(i, i % 37) for i in range(size)]  # dates repeat: the path breaks ties
    old = Catalog.of(base).ready() if made else Catalog.of(base)
    added = [art(size + i, i % 11) for i in range(size)]
    changed = [replace(base[1], title="Edited 銀行"), replace(base[2], date=START - timedelta(days=1))]
    removed = [base[3].path, "p/unknown.md"]
    new = old.apply(Delta(tuple(added), tuple(changed), tuple(removed)))
    expected = [a for a in base if a.path not in {base[1].path, base[2].path, base[3].path}]
    same(new, Catalog.of(expected + added + changed))
    assert new.folded[base[1].path] == "edited 银行"
    assert old.articles == tuple(Catalog.of(base).articles)  # the old snapshot is untouched


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 30), max_size=20), st.lists(st.integers(0, 30), max_size=20),
       st.sets(st.integers(0, 9)), st.booleans())  # removed: never a path the delta adds
def test_any_delta_matches_a_fresh_build(base_hours, new_hours, removed, made):
    """`made`: the old snapshot's derived parts (paths, titles) made first, and carried
    over by the delta's splice rather than made anew."""
    base = [art(i, h) for i, h in enumerate(base_hours)]
    added = [art(i + 10, h) for i, h in enumerate(new_hours)]  # some known: changed
    old = Catalog.of(base).ready() if made else Catalog.of(base)
    catalog = old.apply(Delta(tuple(added), (), tuple(f"p/{i:04d}.md" for i in removed)))
    final = {a.path: a for a in base}
    final.update({a.path: a for a in added})
    for i in removed:
        final.pop(f"p/{i:04d}.md", None)
    same(catalog, Catalog.of(final.values()))


def test_an_empty_delta_is_the_same_snapshot():
    catalog = Catalog.of([art(1, 1)])
    assert catalog.apply(Delta()) is catalog
    assert catalog.apply(Delta(removed=("nothing.md",))) is catalog


def big_catalog(size: int) -> Catalog:
    return Catalog.of(art(i, i % 5000) for i in range(size)).ready()


def test_a_burst_is_put_in_by_bisection_not_by_sorting_the_whole_catalog(monkeypatch):
    """1,000 new articles into 20,000: each found its place in about log2(21,000) = 15
    looks at a date, not one per article of the catalog (a sort of 21,000 holds the GIL
    in one C call: the event loop waits for it)."""
    import reader.session.catalog as catalog_module
    import reader.session.listing as listing_module

    old = big_catalog(20_000)
    burst = Delta(tuple(art(30_000 + i, (i * 7) % 5000) for i in range(1000)))
    looks = [0]

    def counted(key):
        def look(article):
            looks[0] += 1
            return key(article)
        return look

    for module, name in ((catalog_module, "order_key"), (listing_module, "_age"),
                         (listing_module, "_path")):
        monkeypatch.setattr(module, name, counted(getattr(module, name)))
    new = old.apply(burst).ready()
    assert looks[0] <= 1000 * 17  # the old filter and re-sort: 2 x 21,000
    monkeypatch.undo()
    same(new, Catalog.of([*old.articles, *burst.added]))


def test_what_a_delta_leaves_alone_is_carried_over_not_made_again():
    """The (path, folded title) pairs of the articles a delta does not touch are the old
    snapshot's own objects: a delta makes as many new ones as it brings."""
    old = big_catalog(2000)
    new = old.apply(Delta((art(5000, 3),), removed=(old.articles[7].path,))).ready()
    old_pairs = {id(pair) for pair in old.titles}
    assert sum(id(pair) not in old_pairs for pair in new.titles) == 1


def test_a_new_snapshot_leaves_no_big_container_in_the_young_generations(monkeypatch):
    """A young collection (every few hundred allocations, often on the event loop) walks
    every container still young with the GIL held: the snapshot's tuples and dicts of
    100,000 references are aged in the worker that made them (catalog.aged)."""
    import gc

    import reader.session.catalog as catalog_module

    monkeypatch.setattr(catalog_module, "_AGED_FROM", 100, raising=False)
    old = big_catalog(500)
    gc.disable()  # no automatic collection: only what apply does itself
    try:
        new = old.apply(Delta((art(5000, 3),)))
        parts = [new.articles, new.by_path, new.paths, new.titles]
        young = {id(o) for o in (*gc.get_objects(0), *gc.get_objects(1))}
    finally:
        gc.enable()
    assert not [type(p).__name__ for p in parts if id(p) in young]
