"""Two newsreaders on one data dir (a reader and `newsreader watch`): whichever scans a
change first stores it in the shared cache, and the other must still see it.  Each
consumer reconciles what it holds (the reader's catalog) with the cache in the scan's
scope, not with its own scan's delta.  "The other process" is a second Archive on the
same data dir: its own cache connection, as another process has."""

from __future__ import annotations

import shutil

import pytest
from conftest import article_text

from reader.archive import Archive
from reader.archive.reconcile import StampDict, reconcile, stamp
from reader.index import update_index
from reader.session.services import Services

COPIED = [f"news/copied/{i:02d}.md" for i in range(5)]


@pytest.fixture
def two(archive_factory, settings):
    """(the reader's Services with its catalog shown, the other process's Archive)."""
    root = archive_factory({"news/w/a.md": article_text("Alpha"),
                            "news/w/b.md": article_text("Beta", "2025-01-01 10:00:00")})
    services = Services(Archive.open(root, settings), settings)
    services.set_articles(services.scan().articles)
    other = Archive.open(root, settings)
    yield services, other
    other.close()
    services.close()


def _copy_in(root):
    for i, rel in enumerate(COPIED):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(article_text(f"Quokka {i}"), encoding="utf-8")


def _take(services, result):
    change = services.apply_scan(result)
    services.take(change)
    return change.delta


def test_files_the_other_process_stored_first_reach_the_catalog(two):
    services, other = two
    _copy_in(other.root)
    other.scan_paths(["news/copied"])  # it sees the burst first
    delta = _take(services, services.scan_paths(["news/copied"]))  # finds all cached already
    assert sorted(a.path for a in delta.added) == COPIED
    assert set(COPIED) <= set(services.by_path)


def test_files_the_other_process_forgot_first_leave_the_catalog_and_the_search(two):
    services, other = two
    _copy_in(other.root)
    _take(services, services.scan_paths(["news/copied"]))
    update_index(other, delta=other.scan_paths(["news/copied"]).delta)
    assert services.search("quokka").paths
    shutil.rmtree(other.root / "news/copied")
    result = other.scan_paths(["news/copied"])
    update_index(other, delta=result.delta)  # the other process's index: the same one
    delta = _take(services, services.scan_paths(["news/copied"]))
    assert sorted(delta.removed) == COPIED
    assert not set(COPIED) & set(services.by_path)
    services.searcher._refresh()
    assert not services.search("quokka").paths


def test_a_full_rescan_reconciles_the_whole_catalog(two):
    """`r`: what the other process changed anywhere, though this scan stored nothing."""
    services, other = two
    _copy_in(other.root)
    (other.root / "news/w/a.md").write_text(article_text("Alpha edited"), encoding="utf-8")
    (other.root / "news/w/b.md").unlink()
    other.scan()
    result = services.scan()
    assert not result.changed  # the cache was up to date: the old delta was empty
    delta = _take(services, result)
    assert (len(delta.added), [a.title for a in delta.changed], delta.removed) == (
        5, ["Alpha edited"], ("news/w/b.md",))
    assert services.by_path["news/w/a.md"].title == "Alpha edited"


def test_records_come_from_the_scan_or_the_cache_and_no_file_is_parsed_again(two,
                                                                              monkeypatch):
    services, other = two
    _copy_in(other.root)
    other.scan_paths(COPIED[:2])
    result = services.scan_paths(COPIED)  # parses the other three
    assert result.parsed_count == 3
    cache, read = services.archive.cache, []
    articles_of = cache.articles_of

    def spied(paths):
        read.extend(paths)
        return articles_of(read)

    monkeypatch.setattr(cache, "articles_of", spied)
    delta = _take(services, result)
    assert sorted(a.path for a in delta.added) == COPIED
    assert sorted(read) == COPIED[:2]  # only the other process's records are read
    ours = {a.path: a for a in result.delta.added}
    assert all(a is ours[a.path] for a in delta.added if a.path in ours)


def test_reconcile_counts_only_what_differs_from_what_the_consumer_holds(two):
    services, other = two
    known = StampDict((a.path, stamp(a)) for a in services.articles)
    assert not reconcile(other.cache, known, None)
    del known["news/w/a.md"]
    known["news/gone.md"] = (1, 1.0)
    delta = reconcile(other.cache, known, None)
    assert ([a.path for a in delta.added], delta.changed, delta.removed) == (
        ["news/w/a.md"], (), ("news/gone.md",))
