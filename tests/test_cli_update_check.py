"""The command line's update check: with nothing changed since the last scan it lists no
folder and opens no article file (reader/archive/folder_stamps.py); a file added,
removed or renamed changes its folder and is found; a file rewritten in place is
found by `newsreader index --full`."""

from __future__ import annotations

import builtins
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import article_text

from reader.archive import folder_stamps
from reader.cli import index_cmds
from reader.cli.main import main

FILES = {f"news/{source}/{n}.md": article_text(f"{source} story {n}", body=f"nvidia {n}")
         for source in ("wsj", "ft") for n in range(3)}
PAST_NS = 1_600_000_000 * 10**9


@pytest.fixture
def trusted(monkeypatch):
    """Stamps taken now are trusted (a real archive's folders were not all just made)."""
    monkeypatch.setattr(folder_stamps, "RACY_NS", 0)


@contextmanager
def looking_at(root: Path):
    """Every folder listed and every file opened below `root` meanwhile, by path."""
    seen: list[str] = []
    inside = str(root.resolve())

    def noted(fn):
        def wrapper(path, *args, **kwargs):
            text = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else ""
            if text.startswith(inside):
                seen.append(f"{fn.__name__} {text}")
            return fn(path, *args, **kwargs)
        wrapper.__name__ = fn.__name__
        return wrapper

    patched = [(os, "scandir"), (os, "listdir"), (os, "open"), (builtins, "open")]
    originals = [getattr(module, name) for module, name in patched]
    for (module, name), original in zip(patched, originals):
        setattr(module, name, noted(original))
    try:
        yield seen
    finally:
        for (module, name), original in zip(patched, originals):
            setattr(module, name, original)


def index(capsys, data: Path, root: Path, *extra: str) -> str:
    assert main(["--data-dir", str(data), "index", str(root), "-q", *extra]) == 0
    return capsys.readouterr().out


def test_index_with_nothing_changed_lists_no_folder_and_reads_no_article(
        capsys, tmp_path, archive_factory, trusted):
    root = archive_factory(FILES)
    assert "6 added" in index(capsys, tmp_path / "d", root)
    with looking_at(root) as seen:
        out = index(capsys, tmp_path / "d", root)
    assert out.startswith("0 added, 0 updated, 0 removed") and seen == []


def test_the_update_check_before_a_search_lists_no_folder_and_reads_no_article(
        capsys, tmp_path, archive_factory, trusted, monkeypatch):
    root = archive_factory(FILES)
    index(capsys, tmp_path / "d", root)
    checks: list[list[str]] = []
    update = index_cmds._update

    def watched(*args, **kwargs):
        with looking_at(root) as seen:
            result = update(*args, **kwargs)
        checks.append(seen)
        return result

    monkeypatch.setattr(index_cmds, "_update", watched)
    assert main(["--data-dir", str(tmp_path / "d"), "search", "nvidia", "--archive",
                 str(root)]) == 0
    assert "6 of 6 matches" in capsys.readouterr().out
    assert checks == [[]]  # the check ran once, and looked at no file


def test_a_file_added_removed_or_renamed_is_found_without_a_full_index(
        capsys, tmp_path, archive_factory, trusted):
    root = archive_factory(FILES)
    data = tmp_path / "d"
    index(capsys, data, root)
    folder = root / "news" / "wsj"
    (folder / "new.md").write_text(article_text("a new one", body="nvidia"), encoding="utf-8")
    os.utime(folder, ns=(PAST_NS, PAST_NS))  # its mtime differs whatever the clock's tick
    assert index(capsys, data, root).startswith("1 added, 0 updated, 0 removed")
    (folder / "0.md").rename(folder / "renamed.md")
    (root / "news" / "ft" / "1.md").unlink()
    assert index(capsys, data, root).startswith("1 added, 0 updated, 2 removed")


def test_a_new_folder_is_found(capsys, tmp_path, archive_factory, trusted):
    root = archive_factory(FILES)
    index(capsys, tmp_path / "d", root)
    (root / "news" / "nyt").mkdir()
    (root / "news" / "nyt" / "a.md").write_text(article_text("nyt"), encoding="utf-8")
    os.utime(root / "news", ns=(PAST_NS, PAST_NS))
    assert index(capsys, tmp_path / "d", root).startswith("1 added")


def test_a_file_rewritten_in_place_is_found_by_index_full(
        capsys, tmp_path, archive_factory, trusted):
    root = archive_factory(FILES)
    data = tmp_path / "d"
    index(capsys, data, root)
    path = root / "news" / "ft" / "2.md"
    path.write_text(article_text("ft story 2, corrected", body="nvidia"), encoding="utf-8")
    os.utime(path, ns=(PAST_NS, PAST_NS))  # its own stamp changed; its folder's did not
    assert index(capsys, data, root).startswith("0 added, 0 updated")  # the design's limit
    assert index(capsys, data, root, "--full").startswith("0 added, 1 updated")


def test_folders_changed_just_before_the_scan_are_checked_again(
        capsys, tmp_path, archive_factory):
    """A stamp taken within RACY_NS of the scan is not trusted: a file added in the same
    tick of the clock would not have moved its folder's mtime."""
    root = archive_factory(FILES)
    index(capsys, tmp_path / "d", root)  # the folders were made just now
    with looking_at(root) as seen:
        index(capsys, tmp_path / "d", root)
    assert any(entry.startswith("scandir") for entry in seen)


def test_a_changed_time_zone_walks_the_archive(capsys, tmp_path, archive_factory, trusted):
    root = archive_factory(FILES)
    index(capsys, tmp_path / "d", root)
    config = tmp_path / "c.toml"
    config.write_text('timezone = "Europe/Paris"\n', encoding="utf-8")
    with looking_at(root) as seen:
        assert main(["--data-dir", str(tmp_path / "d"), "--config", str(config), "index",
                     str(root), "-q"]) == 0
    assert seen and "6 updated" in capsys.readouterr().out
