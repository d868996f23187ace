"""`Archive.scan_paths`: a scan of only the paths a watcher reported, by the rules of the
full walk, that never walks the archive nor reads every cached record."""

from __future__ import annotations

import os
import shutil
import unicodedata

import pytest
from conftest import article_text

import reader.archive.scan as scan_module
import reader.archive.scan_paths as scan_paths_module
from reader.archive import Archive
from reader.config import Settings

A, B = "news/w/a.md", "news/w/b.md"


@pytest.fixture
def archive(archive_factory, settings, monkeypatch):
    root = archive_factory({A: article_text("Alpha"), B: article_text("Beta"),
                            "news/x/c.md": article_text("Gamma")})
    archive = Archive.open(root, settings)
    archive.scan()
    _refuse_whole_archive(archive, monkeypatch)
    return archive


def _refuse_whole_archive(archive, monkeypatch):
    """scan_paths may walk a folder it was given, never the archive, nor read every row."""
    real_walk = scan_paths_module.walk

    def walk(root, problems, follow, folder=""):
        assert folder, "scan_paths walked the whole archive"
        return real_walk(root, problems, follow, folder)

    def refuse(*_args):
        raise AssertionError("scan_paths read every cached row")

    monkeypatch.setattr(scan_paths_module, "walk", walk)
    monkeypatch.setattr(scan_module, "walk", refuse)
    monkeypatch.setattr(archive.cache, "stamps", refuse)
    monkeypatch.setattr(archive.cache, "articles", refuse)


@pytest.fixture
def like_a_full_scan(monkeypatch, tmp_path):
    return lambda archive: _like_a_full_scan(archive, tmp_path, monkeypatch)


def _like_a_full_scan(archive, tmp_path, monkeypatch):
    """The cache equals what a fresh full scan of the folder stores."""
    monkeypatch.undo()  # the fresh scan walks its archive
    fresh = Archive.open(archive.root, Settings(data_root=tmp_path / "fresh",
                                                config_path=tmp_path / "none.toml"))
    expected = sorted(fresh.scan().articles, key=lambda a: a.path)
    got = sorted(p for p, known in archive.cache.known_under("news").items() if known[3])
    assert got == [a.path for a in expected]
    assert [archive.cache.article(p) for p in got] == expected


def test_a_new_and_an_edited_file_are_parsed_once_with_their_bodies(archive, like_a_full_scan):
    (archive.root / "news/w/new.md").write_text(article_text("New one", body="Fresh text.\n"))
    (archive.root / A).write_text(article_text("Alpha, edited"))
    result = archive.scan_paths(["news/w/new.md", A, B])  # B is unchanged: not parsed
    assert [a.title for a in result.delta.added] == ["New one"]
    assert [a.title for a in result.delta.changed] == ["Alpha, edited"]
    assert result.parsed_count == 2 and set(result.parsed) == {"news/w/new.md", A}
    assert result.parsed["news/w/new.md"].body.strip() == "Fresh text."
    like_a_full_scan(archive)


def test_a_deleted_file_and_a_deleted_folder_are_removed(archive, like_a_full_scan):
    (archive.root / A).unlink()
    shutil.rmtree(archive.root / "news/x")
    result = archive.scan_paths([A, "news/x"])
    assert result.delta.removed == (A, "news/x/c.md") and result.parsed_count == 0
    like_a_full_scan(archive)


@pytest.mark.parametrize("reported", ["folder", "files", "both"])
def test_a_folder_copied_in_is_taken_whether_the_folder_or_its_files_are_reported(
        archive, tmp_path, like_a_full_scan, reported):
    source = tmp_path / "elsewhere"
    for i in range(3):
        (source / "deep").mkdir(parents=True, exist_ok=True)
        (source / "deep" / f"{i}.md").write_text(article_text(f"Copied {i}"))
    shutil.copytree(source, archive.root / "news/copied")
    files = [f"news/copied/deep/{i}.md" for i in range(3)]
    paths = {"folder": ["news/copied"], "files": files, "both": ["news/copied", *files]}
    result = archive.scan_paths(paths[reported])
    assert sorted(a.path for a in result.delta.added) == files and result.parsed_count == 3
    like_a_full_scan(archive)


def test_a_renamed_file_and_a_renamed_folder_move_their_articles(archive, like_a_full_scan):
    os.rename(archive.root / A, archive.root / "news/w/renamed.md")
    os.rename(archive.root / "news/x", archive.root / "news/y")
    result = archive.scan_paths([A, "news/w/renamed.md", "news/x", "news/y"])
    assert sorted(a.path for a in result.delta.added) == ["news/w/renamed.md", "news/y/c.md"]
    assert sorted(result.delta.removed) == [A, "news/x/c.md"]
    like_a_full_scan(archive)


def test_what_the_walk_skips_is_skipped(archive, like_a_full_scan):
    files = {".git/x.md": "x", "news/.hidden/h.md": "h", "news/_index.md": "s",
             "README.md": "r", "news/w/a.md~": "t", "news/w/.a.md.swp": "s"}
    for rel, text in files.items():
        (archive.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (archive.root / rel).write_text(article_text(text))
    result = archive.scan_paths([*files, "news/.hidden"])
    assert not result.delta and result.parsed_count == 0 and result.problems == []
    like_a_full_scan(archive)


def test_an_unreadable_file_is_a_problem_and_leaves_the_catalog(archive, like_a_full_scan):
    (archive.root / A).write_bytes(b"\x00binary\x00" * 5)
    result = archive.scan_paths([A])
    assert result.delta.removed == (A,) and [p.path for p in result.problems] == [A]
    assert [p.path for p in archive.problems()] == [A]
    like_a_full_scan(archive)


def test_a_symlink_out_of_the_archive_is_refused_and_an_alias_inside_skipped(
        archive, tmp_path, like_a_full_scan):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.md").write_text(article_text("Outside"))
    os.symlink(outside, archive.root / "news/out")
    os.symlink(archive.root / "news/x", archive.root / "news/alias")
    result = archive.scan_paths(["news/out", "news/out/o.md", "news/alias", "news/alias/c.md"])
    assert not result.delta and result.parsed_count == 0
    assert {p.path for p in result.problems} >= {"news/out"}
    like_a_full_scan(archive)


def test_a_second_spelling_of_a_name_is_skipped_as_the_walk_skips_it(archive, like_a_full_scan):
    nfc = unicodedata.normalize("NFC", "news/w/café.md")
    nfd = unicodedata.normalize("NFD", "news/w/café.md")
    (archive.root / nfc).write_text(article_text("Composed"))
    archive.scan_paths([nfc])
    (archive.root / nfd).write_text(article_text("Decomposed"))
    result = archive.scan_paths([nfd])
    assert not result.delta and "same id" in result.problems[0].reason
    assert archive.cache.article(nfc).title == "Composed"


def test_the_archive_itself_is_a_full_scan(archive_factory, settings):
    root = archive_factory({A: article_text("Alpha")})
    archive = Archive.open(root, settings)
    assert [a.path for a in archive.scan_paths([".", A]).delta.added] == [A]


def test_a_missing_archive_folder_is_refused_and_nothing_is_forgotten(archive, monkeypatch):
    """Renamed away, its drive unmounted: not every file deleted.  The scan (of paths, or
    the whole archive) refuses, and the cache and its index ledger keep every record."""
    from reader.archive.scan import ArchiveMissing

    monkeypatch.undo()  # the full scan walks
    before = archive.cache.known_under("news")
    archive.root.rename(archive.root.with_name("away"))
    with pytest.raises(ArchiveMissing, match="is missing .*nothing is forgotten"):
        archive.scan_paths([A, "news/x"])
    with pytest.raises(ArchiveMissing):
        archive.scan()
    assert archive.cache.known_under("news") == before and not archive.cache.to_unindex()
    archive.root.with_name("away").rename(archive.root)
    assert not archive.scan().changed  # back: nothing new, nothing to index again
