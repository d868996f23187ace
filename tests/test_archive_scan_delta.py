"""Every full scan says what it changed as a Delta of records, built from what it stored
(no re-read of the cache), and keeps the parsed bodies of a small scan."""

from __future__ import annotations

import os

from conftest import article_text

from reader.archive import Archive, Delta

A, B, C = "news/w/a.md", "news/w/b.md", "news/w/c.md"


def _archive(archive_factory, settings, files=None):
    root = archive_factory(files or {A: article_text("Alpha"), B: article_text("Beta")})
    return root, Archive.open(root, settings)


def _no_full_read(archive, monkeypatch):
    def refuse():
        raise AssertionError("the delta must not re-read every record")
    monkeypatch.setattr(archive.cache, "articles", refuse)


def test_a_first_scan_adds_every_article_and_keeps_their_bodies(archive_factory, settings):
    _, archive = _archive(archive_factory, settings)
    result = archive.scan()
    assert sorted(a.path for a in result.delta.added) == [A, B]
    assert result.delta.changed == () and result.delta.removed == ()
    assert result.parsed[A].body.strip() == "Body." and result.parsed[A].article.title == "Alpha"


def test_an_edit_a_new_file_and_a_deletion_are_a_delta_of_records(archive_factory, settings,
                                                                   monkeypatch):
    root, archive = _archive(archive_factory, settings)
    archive.scan()
    (root / A).write_text(article_text("Alpha, a new title"))
    (root / C).write_text(article_text("Gamma"))
    (root / B).unlink()
    _no_full_read(archive, monkeypatch)
    delta = archive.scan().delta
    assert [a.title for a in delta.changed] == ["Alpha, a new title"]
    assert [a.path for a in delta.added] == [C] and delta.removed == (B,)


def test_an_unchanged_archive_scans_to_an_empty_delta(archive_factory, settings):
    _, archive = _archive(archive_factory, settings)
    archive.scan()
    result = archive.scan()
    assert result.delta == Delta() and not result.delta and result.parsed == {}


def test_a_file_that_becomes_unreadable_is_removed_and_one_that_reads_again_added(
        archive_factory, settings):
    root, archive = _archive(archive_factory, settings)
    archive.scan()
    (root / A).write_bytes(b"\x00\x01binary\x00" * 10)
    gone = archive.scan()
    assert gone.delta.removed == (A,) and not gone.delta.added and not gone.delta.changed
    assert [p.path for p in gone.problems] == [A]
    (root / A).write_text(article_text("Alpha is back"))
    back = archive.scan().delta
    assert [a.title for a in back.added] == ["Alpha is back"] and not back.changed


def test_an_unreadable_file_that_stays_unreadable_changes_nothing_in_the_catalog(
        archive_factory, settings):
    root, archive = _archive(archive_factory, settings, {A: b"\x00binary\x00"})
    first = archive.scan()
    assert first.delta == Delta() and first.added == [A]  # stored, but no article
    (root / A).write_bytes(b"\x00other binary\x00, longer")
    assert archive.scan().delta == Delta()


def test_a_large_scan_in_worker_processes_keeps_no_bodies(archive_factory, settings,
                                                          monkeypatch):
    import reader.archive.scan as scan

    monkeypatch.setattr(scan, "_PARALLEL_MIN", 4)  # two batches of 2: in workers
    monkeypatch.setattr(scan, "_BATCH", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    files = {f"news/w/{i}.md": article_text(f"T{i}") for i in range(5)}
    _, archive = _archive(archive_factory, settings, files)
    result = archive.scan()
    assert len(result.delta.added) == 5 and result.parsed == {}
