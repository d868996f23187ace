"""The text check's answers kept per segment (reader/index/kept_checks.py): a hit set
found again (by this reader after a commit, or by the next run) reads only the files
of segments it has not checked yet, and finds exactly what it found before."""

from __future__ import annotations

import json

import pytest
from conftest import article_text, write_archive

from reader.archive import Archive
from reader.config import Settings
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index import results as results_module
from reader.index.kept_checks import CHECKS_FILE, KeptChecks
from reader.index.query import parse_query
from reader.index.path_table import PathTable

EN = "content/en/news/wire/{}.en.md"
ZH = "content/zh-CN/news/xinhua/{}.md"
QUERIES = ['"interest rates"', "英伟达 OR nvidia", '特朗普 -"trade war"', "特朗普 lang:en"]


def files(start: int, count: int) -> dict[str, str]:
    out = {}
    for i in range(start, start + count):
        out[EN.format(i)] = article_text(
            f"Story {i}", body=("Interest rates rose." if i % 2 else "The rates of interest.")
            + (" Nvidia chips." if i % 3 == 0 else "") + "\n")
        out[ZH.format(i)] = article_text(
            f"新闻 {i}", body=("英伟达芯片。" if i % 2 else "英国伟大的达人。")
            + ("特朗普说。" if i % 3 else "特朗和普京。trade war") + "\n")
    return out


@pytest.fixture
def archive(tmp_path):
    settings = Settings(data_root=tmp_path / "data", config_path=tmp_path / "config.toml")
    archive = Archive.open(write_archive(tmp_path / "archive", files(0, 12)), settings)
    update_index(archive)
    return archive


def reads(monkeypatch) -> list[str]:
    """The files the text check reads, from now on."""
    read, real = [], results_module.read_text

    def counted(root, stored):
        read.append(stored["path"])
        return real(root, stored)

    monkeypatch.setattr(results_module, "read_text", counted)
    return read


def hit_sets(archive) -> dict[str, set[str]]:
    index = SearchIndex.open(index_dir_of(archive), root=archive.root)
    try:
        found = {q: set(index.hit_set(parse_query(q, index.tz)).paths) for q in QUERIES}
        index.keep_checks()
        return found
    finally:
        index.close()


def listed(archive) -> dict[str, set[str]]:
    index = SearchIndex.open(index_dir_of(archive), root=archive.root)
    try:
        return {q: set(index.search(q, limit=0, paths_only=True).paths) for q in QUERIES}
    finally:
        index.close()


def test_the_next_run_reads_no_file_again_and_finds_the_same(archive, monkeypatch):
    read = reads(monkeypatch)
    first = hit_sets(archive)
    assert read and first == listed(archive)
    assert (index_dir_of(archive) / CHECKS_FILE).exists()
    read.clear()
    assert hit_sets(archive) == first
    assert read == []


def segments(archive) -> dict[str, set[str]]:
    """segment id -> the paths it holds, of the index now."""
    index = SearchIndex.open(index_dir_of(archive), root=archive.root)
    try:
        table = PathTable(index._current(), {})
        return {segment: {p for p in table.paths[offset:offset + size] if p}
                for segment, (_, offset, paths) in zip(table.segment_ids, table._leaves)
                for size in [len(paths)]}
    finally:
        index.close()


def test_after_an_update_only_the_new_segments_files_are_read(archive, monkeypatch):
    hit_sets(archive)
    before = segments(archive)
    write_archive(archive.root, files(12, 4))
    update_index(archive)
    new = {p for segment, paths in segments(archive).items() if segment not in before
           for p in paths}
    expected = listed(archive)
    read = reads(monkeypatch)
    assert hit_sets(archive) == expected
    assert read and set(read) <= new and set(files(12, 4)) <= new


def test_a_damaged_or_foreign_checks_file_is_taken_as_empty(archive, monkeypatch):
    path = index_dir_of(archive) / CHECKS_FILE
    first = hit_sets(archive)
    for text in ("{not json", json.dumps({"version": -1, "leaves": {}}),
                 json.dumps({"version": 1, "leaves": {"x": {"used": 0, "segments": 3}}})):
        path.write_text(text, encoding="utf-8")
        assert hit_sets(archive) == first


def test_segments_gone_from_the_index_are_dropped_when_saved(tmp_path):
    kept = KeptChecks(tmp_path / CHECKS_FILE)
    kept.of("leaf", "old")[3] = True
    kept.of("leaf", "live")[4] = False
    kept.changed()
    kept.save({"live"})
    again = KeptChecks(tmp_path / CHECKS_FILE)
    assert again.of("leaf", "live") == {4: False} and again.of("leaf", "old") == {}
