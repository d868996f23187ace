"""A big delta indexed by two processes (reader/index/parts.py): the same results as one
writer and as a fresh index, both halves in the ledger, changed articles replaced."""

from __future__ import annotations

import shutil

import pytest
from conftest import article_text
from test_index_delta import EN, arrive, hits, make

from reader.archive import Archive
from reader.config import Settings
from reader.index import index_dir_of, update_index
from reader.index import parts
from reader.index.store import open_index

QUERIES = ["harvest", "central bank", "report", "new", "unicorn OR harvest", "title:new"]


@pytest.fixture
def split_small(monkeypatch):
    monkeypatch.setattr(parts, "PARALLEL_MIN", 4)
    monkeypatch.setattr(parts.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(parts.os, "getloadavg", lambda: (0.5, 0.5, 0.5))


def segments(archive) -> int:
    return len(list(open_index(index_dir_of(archive)).reader().leaf_readers()))


def live_count(archive) -> int:
    return open_index(index_dir_of(archive)).doc_count()


def test_a_split_delta_searches_as_a_fresh_index(archive_factory, settings, split_small,
                                                tmp_path):
    archive = make(archive_factory, settings, 6)
    before = segments(archive)
    delta, parsed = arrive(archive, [f"n{i}" for i in range(10)])
    summary = update_index(archive, delta=delta, parsed=parsed)
    assert (summary.added, summary.updated, summary.parsed, summary.error) == (10, 0, 0, "")
    assert segments(archive) == before + 2  # one per half: written by two processes
    assert archive.cache.to_index() == []  # both halves recorded in the ledger
    assert not list(index_dir_of(archive).glob("part-*"))  # the part's folder removed
    fresh = Archive.open(shutil.copytree(archive.root, tmp_path / "fresh"),
                         Settings(data_root=tmp_path / "fresh-data",
                                  config_path=tmp_path / "config.toml"))
    assert update_index(fresh).added == 16
    for query in QUERIES:
        assert hits(archive, query) == hits(fresh, query), query


def test_changed_articles_in_the_part_replace_their_older_versions(archive_factory, settings,
                                                                  split_small):
    archive = make(archive_factory, settings, 8)
    for i in range(8):  # every article changed: the part's half too
        (archive.root / EN.format(i)).write_text(
            article_text(f"Report {i}", body="Unicorn sighting.\n"), encoding="utf-8")
    result = archive.scan()
    summary = update_index(archive, delta=result.delta, parsed=result.parsed)
    assert (summary.added, summary.updated, summary.error) == (0, 8, "")
    assert hits(archive, "unicorn") == sorted(EN.format(i) for i in range(8))
    assert hits(archive, "central") == []  # no older version left in any segment
    assert live_count(archive) == 8


def test_a_cancelled_update_leaves_the_parts_articles_to_index(archive_factory, settings,
                                                              split_small):
    import threading

    archive = make(archive_factory, settings, 4)
    delta, parsed = arrive(archive, [f"n{i}" for i in range(6)])
    cancel = threading.Event()
    cancel.set()
    update_index(archive, delta=delta, parsed=parsed, cancel=cancel)
    assert len(archive.cache.to_index()) == 6  # nothing recorded: all done next time
    assert update_index(archive).added == 6
    assert hits(archive, "harvest") == sorted(EN.format(f"n{i}") for i in range(6))


def test_the_writers_path_lookup_agrees_with_whoosh_across_segments(archive_factory, settings):
    from reader.index.writer import live_docnum

    archive = make(archive_factory, settings, 3)
    for batch in (["n1", "n2"], ["n3"]):  # more segments
        delta, parsed = arrive(archive, batch)
        update_index(archive, delta=delta, parsed=parsed)
    (archive.root / EN.format(1)).write_text(article_text("Report 1", body="Changed.\n"))
    result = archive.scan()  # article 1 replaced: its first version deleted in its segment
    update_index(archive, delta=result.delta, parsed=result.parsed)
    searcher = open_index(index_dir_of(archive)).searcher()
    paths = [EN.format(i) for i in range(3)] + [EN.format(f"n{i}") for i in (1, 2, 3)]
    assert [live_docnum(searcher, p) for p in paths] == \
        [searcher.document_number(path=p) for p in paths]
    assert live_docnum(searcher, EN.format("absent")) is None
    assert searcher.stored_fields(live_docnum(searcher, EN.format(1)))["path"] == EN.format(1)


def test_the_progress_of_a_split_delta_counts_both_halves(archive_factory, settings,
                                                          split_small):
    """Not `Indexing 5/5` then a long silence for a delta of 10: the part's articles
    count too, up to the whole delta."""
    archive = make(archive_factory, settings, 6)
    delta, parsed = arrive(archive, [f"n{i}" for i in range(10)])
    seen = []
    update_index(archive, lambda phase, done, total: seen.append((phase, done, total)),
                 delta=delta, parsed=parsed)
    counted = [(done, total) for phase, done, total in seen if phase == "index"]
    assert {total for _done, total in counted} == {10}
    assert max(done for done, _total in counted) == 10
    assert ("finalize", 10, 10) in seen


def test_a_delta_is_not_split_while_no_core_is_spare(archive_factory, settings, split_small,
                                                     monkeypatch):
    """At a load of the cores or more, a second process only adds CPU the two share."""
    archive = make(archive_factory, settings, 6)
    before = segments(archive)
    monkeypatch.setattr(parts.os, "getloadavg", lambda: (2.0, 2.0, 2.0))
    delta, parsed = arrive(archive, [f"n{i}" for i in range(10)])
    summary = update_index(archive, delta=delta, parsed=parsed)
    assert (summary.added, summary.error) == (10, "")
    assert segments(archive) == before + 1  # one writer, one segment
    assert archive.cache.to_index() == []
