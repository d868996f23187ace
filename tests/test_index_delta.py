"""The index fed from a scan's delta: only its paths, bodies from its parsed articles, and
work in proportion to the change (the cache's ledger, not a walk or a read of every record)."""

from __future__ import annotations

import json
import os

import pytest
from conftest import article_text

from reader.archive import Archive, Delta
from reader.archive.cache import MetadataCache
from reader.archive.parse import parse_file
from reader.index import SearchIndex, index_dir_of, update_index

EN = "content/en/news/wire/{}.en.md"


def make(archive_factory, settings, count):
    files = {EN.format(i): article_text(f"Report {i}", body=f"Central bank note {i}.\n")
             for i in range(count)}
    archive = Archive.open(archive_factory(files), settings)
    assert update_index(archive).added == count
    return archive


def arrive(archive, names: list[str], body="Fresh harvest news.\n"):
    """New files, parsed and stored in the cache as a scan of just them does; their
    delta and parsed articles."""
    parsed = {}
    for name in names:
        rel = EN.format(name)
        (archive.root / rel).write_text(article_text(f"New {name}", body=body), encoding="utf-8")
        parsed[rel] = parse_file(archive.root, rel, archive.tz)
    archive.cache.store([(p.article, rel, os.stat(archive.root / rel).st_mtime_ns)
                         for rel, p in parsed.items()], [])
    return Delta(added=tuple(p.article for p in parsed.values())), parsed


def hits(archive, query):
    return sorted(SearchIndex.open(index_dir_of(archive)).search(query, limit=0).paths)


def test_a_delta_is_indexed_from_its_parsed_articles_without_reading_the_files(
        archive_factory, settings):
    archive = make(archive_factory, settings, 5)
    delta, parsed = arrive(archive, ["n1", "n2", "n3"])
    first = EN.format("n1")
    parsed[first] = type(parsed[first])(parsed[first].article, "A unicorn in the scan's copy.")
    del parsed[EN.format("n3")]  # not given parsed: the writer parses it (the archive's parse)
    summary = update_index(archive, delta=delta, parsed=parsed)
    assert (summary.added, summary.updated, summary.parsed, summary.error) == (3, 0, 1, "")
    assert hits(archive, "unicorn") == [first]  # the body given, not the file's
    assert hits(archive, "harvest") == [EN.format("n2"), EN.format("n3")]
    assert archive.cache.to_index() == []


def test_a_delta_indexes_only_its_paths_and_removes_its_removed(archive_factory, settings):
    archive = make(archive_factory, settings, 5)
    delta, parsed = arrive(archive, ["n1", "n2"])
    named = Delta(added=delta.added[:1], removed=(EN.format(0),))
    (archive.root / EN.format(0)).unlink()
    archive.cache.forget([EN.format(0)])
    summary = update_index(archive, delta=named, parsed=parsed)
    assert (summary.added, summary.removed, summary.parsed) == (1, 1, 0)
    assert hits(archive, "harvest") == [EN.format("n1")]
    assert archive.cache.to_index() == [(EN.format("n2"), EN.format("n2"))]  # still to do
    assert archive.cache.to_unindex() == []
    assert update_index(archive).added == 1  # the ledger's: what the delta left out


def test_ten_new_files_cost_no_walk_no_full_read_and_no_manifest_of_stamps(
        archive_factory, settings, monkeypatch):
    archive = make(archive_factory, settings, 300)
    delta, parsed = arrive(archive, [f"n{i}" for i in range(10)])
    rows = []
    real_query = MetadataCache._query

    def counted(self, sql, params=()):
        out = real_query(self, sql, params)
        rows.append((sql, len(out)))
        return out

    def refused(*args, **kwargs):
        raise AssertionError("a full walk or a read of every record")

    monkeypatch.setattr(MetadataCache, "_query", counted)
    for name in ("articles", "stamps"):
        monkeypatch.setattr(MetadataCache, name, refused)
    monkeypatch.setattr(Archive, "scan", refused)
    summary = update_index(archive, delta=delta, parsed=parsed)
    assert (summary.added, summary.parsed, summary.error) == (10, 0, "")
    assert sum(n for _, n in rows) <= 10 + 2, rows  # a name on disk each, the ledger's name
    (line,) = (index_dir_of(archive) / "manifest.json").read_text(encoding="utf-8").splitlines()
    assert len(line) < 300 and json.loads(line)["count"] == 310
    rows.clear()
    assert update_index(archive, articles=[]).added == 0  # what is left: one query, no rows
    assert sum(n for _, n in rows) <= 2, rows  # the ledger's name, the index files' last
    # check (updater._readable: the check is skipped while they are as it left them)


@pytest.mark.parametrize("kind", ["changed", "removed"])
def test_a_changed_or_removed_article_in_a_delta(archive_factory, settings, kind):
    archive = make(archive_factory, settings, 4)
    rel = EN.format(2)
    if kind == "changed":
        (archive.root / rel).write_text(article_text("Report 2", body="Now about tariffs.\n"),
                                        encoding="utf-8")
        parsed = {rel: parse_file(archive.root, rel, archive.tz)}
        archive.cache.store([(parsed[rel].article, rel, 1)], [])
        delta = Delta(changed=(parsed[rel].article,))
    else:
        (archive.root / rel).unlink()
        archive.cache.forget([rel])
        parsed, delta = {}, Delta(removed=(rel,))
    summary = update_index(archive, delta=delta, parsed=parsed)
    assert (summary.updated, summary.removed) == ((1, 0) if kind == "changed" else (0, 1))
    assert hits(archive, "tariffs") == ([rel] if kind == "changed" else [])
    assert rel not in hits(archive, "central")
    assert SearchIndex.open(index_dir_of(archive)).status().indexed == (4 if kind == "changed"
                                                                        else 3)
