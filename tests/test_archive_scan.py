"""Scanning an archive: every file found, the cache spares re-parsing, changes picked up."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading

from conftest import article_text

from reader.archive import Archive
from reader.session.listing import newest_first


def scan(root, settings):
    archive = Archive.open(root, settings)
    return archive, archive.scan()


def test_the_sample_feed_yields_a_clean_record_per_file(sample_root, settings):
    _, result = scan(sample_root, settings)
    files = [p for p in sample_root.rglob("*.md") if p.name != "README.md"]
    assert len(result.articles) == len(files) >= 40
    assert [p for p in result.problems] == []
    assert {a.lang for a in result.articles} == {"en", "zh-CN", "zh-HK"}
    assert all(a.date.tzinfo is not None for a in result.articles)
    assert sum(1 for a in result.articles if a.link.startswith("http")) >= 40


def test_every_file_of_the_real_corpus_yields_a_record(corpus_root, settings):
    _, result = scan(corpus_root, settings)
    files = list(corpus_root.rglob("*.md"))
    assert len(files) == 9959
    assert len(result.articles) == 9959
    assert result.problems == []
    assert all(a.title for a in result.articles)
    assert all(a.date.utcoffset().total_seconds() == 8 * 3600 for a in result.articles)
    assert sum(1 for a in result.articles if a.link) > 9900


def test_a_second_open_of_an_unchanged_archive_parses_no_file(sample_root, settings):
    archive, first = scan(sample_root, settings)
    assert first.parsed_count == len(first.articles)
    archive.close()
    again = Archive.open(sample_root, settings)
    assert {a.path for a in again.cached()} == {a.path for a in first.articles}
    second = again.scan()
    assert second.parsed_count == 0 and not second.changed
    assert sorted(second.articles, key=lambda a: a.path) == sorted(first.articles,
                                                                  key=lambda a: a.path)


def test_a_changed_an_added_and_a_deleted_file_are_each_picked_up(archive_factory, settings):
    root = archive_factory({
        "content/en/news/w/a.en.md": article_text("Alpha"),
        "content/en/news/w/b.en.md": article_text("Beta"),
        "content/en/news/w/c.en.md": article_text("Gamma"),
    })
    archive, _ = scan(root, settings)
    (root / "content/en/news/w/a.en.md").write_text(article_text("Alpha, revised, longer"))
    (root / "content/en/news/w/d.en.md").write_text(article_text("Delta"))
    (root / "content/en/news/w/c.en.md").unlink()
    result = archive.scan()
    assert result.updated == ["content/en/news/w/a.en.md"]
    assert result.added == ["content/en/news/w/d.en.md"]
    assert result.removed == ["content/en/news/w/c.en.md"]
    assert result.parsed_count == 2
    titles = sorted(a.title for a in archive.cached())
    assert titles == ["Alpha, revised, longer", "Beta", "Delta"]


def test_a_touched_file_with_the_same_size_is_reparsed(archive_factory, settings):
    root = archive_factory({"a.md": article_text("One")})
    archive, _ = scan(root, settings)
    path = root / "a.md"
    path.write_text(article_text("Two"))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert archive.scan().updated == ["a.md"]
    assert archive.cached()[0].title == "Two"


def test_articles_are_found_at_any_depth_and_in_both_suffixes(archive_factory, settings):
    root = archive_factory({
        "top.md": article_text("top"),
        "a/b/c/d/deep.markdown": article_text("deep"),
        "a/_index.md": article_text("section page"),
        "a/notes.txt": "not an article",
        ".git/x.md": article_text("hidden"),
        "README.md": "# About this archive",
    })
    _, result = scan(root, settings)
    assert sorted(a.title for a in result.articles) == ["deep", "top"]


def test_a_hugo_site_root_is_read_from_its_content_folder_as_one_archive_with_it(archive_factory, settings):
    root = archive_factory({
        "hugo.toml": 'title = "site"',
        "content/en/news/w/a.en.md": article_text("article"),
        "content/zh-HK/news/w/b.md": article_text("no language but its folder"),
        "themes/t/README.md": "# theme docs",
        "archetypes/default.md": "---\ntitle: x\n---",
    })
    archive, result = scan(root, settings)
    langs = {a.path: a.lang for a in result.articles}
    assert langs == {"en/news/w/a.en.md": "en", "zh-HK/news/w/b.md": "zh-HK"}
    assert {a.source for a in result.articles} == {"w"}
    same = Archive.open(root / "content", settings)  # opened at content/: the same archive
    assert (same.root, same.data_dir) == (archive.root, archive.data_dir)


def test_progress_is_reported_as_the_scan_goes(archive_factory, settings):
    root = archive_factory({f"n{i}.md": article_text(f"t{i}") for i in range(1200)})
    calls = []
    Archive.open(root, settings).scan(progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 1200) and calls[-1] == (1200, 1200) and len(calls) >= 3


def test_a_moved_archive_folder_keeps_its_data_dir(archive_factory, settings, tmp_path):
    root = archive_factory({f"content/en/news/w/{i}.en.md": article_text(f"t{i}") for i in range(5)})
    archive, _ = scan(root, settings)
    (archive.data_dir / "marker").write_text("state lives here")
    archive.close()
    moved = tmp_path / "elsewhere" / "renamed"
    moved.parent.mkdir()
    shutil.move(str(root), str(moved))
    again = Archive.open(moved, settings)
    assert (again.data_dir / "marker").read_text() == "state lives here"
    assert any("moved" in n for n in again.notices)
    assert again.scan().parsed_count == 0


def test_a_move_is_recognised_even_when_the_old_cache_is_of_an_older_schema(
        archive_factory, settings, tmp_path):
    root = archive_factory({f"{i}.md": article_text(f"t{i}") for i in range(4)})
    archive, _ = scan(root, settings)
    (archive.data_dir / "marker").write_text("state")
    cache_file = archive.data_dir / "cache.sqlite3"
    archive.close()
    db = sqlite3.connect(cache_file)
    db.execute("PRAGMA user_version = 1")  # as a cache written by an older release
    db.commit()
    db.close()
    moved = tmp_path / "moved"
    shutil.move(str(root), str(moved))
    again = Archive.open(moved, settings)
    assert (again.data_dir / "marker").read_text() == "state"


def test_two_archives_never_share_a_data_dir(archive_factory, settings):
    one = archive_factory({"a.md": article_text("x")}, name="one")
    two = archive_factory({"a.md": article_text("x")}, name="two")
    assert Archive.open(one, settings).data_dir != Archive.open(two, settings).data_dir


def test_a_corrupt_metadata_cache_is_rebuilt_with_a_notice(archive_factory, settings):
    root = archive_factory({"a.md": article_text("x")})
    archive, _ = scan(root, settings)
    cache_file = archive.data_dir / "cache.sqlite3"
    archive.close()
    for suffix in ("-wal", "-shm"):
        (cache_file.parent / (cache_file.name + suffix)).unlink(missing_ok=True)
    cache_file.write_bytes(b"this is not a database" * 100)
    again = Archive.open(root, settings)
    result = again.scan()
    assert [a.title for a in result.articles] == ["x"]
    assert any("rebuilt" in n for n in again.notices)
    sqlite3.connect(cache_file).execute("SELECT count(*) FROM articles")


def test_reading_an_article_gives_its_body(sample_root, settings):
    archive, result = scan(sample_root, settings)
    article = max(result.articles, key=lambda a: a.size)
    parsed = archive.read(article.path)
    assert parsed.article.title == article.title
    assert len(parsed.body) > 1000


def test_a_file_deleted_after_the_scan_opens_as_an_explained_empty_article(archive_factory,
                                                                           settings):
    root = archive_factory({"gone.md": article_text("soon gone")})
    archive, _ = scan(root, settings)
    (root / "gone.md").unlink()
    parsed = archive.read("gone.md")
    assert parsed.body == "" and "not found" in parsed.article.problem


def test_the_newest_page_comes_from_the_cache_newest_first(archive_factory, settings):
    root = archive_factory({f"d{day:02}.md": article_text(f"day {day}", date=f"2025-01-{day:02} 10:00:00")
                            for day in (5, 17, 2, 30, 11)})
    archive, _ = scan(root, settings)
    assert [a.title for a in archive.cached_newest(3)] == ["day 30", "day 17", "day 11"]
    assert archive.cached_count() == 5


def test_the_first_page_and_the_reader_order_newest_first_with_ties_in_path_order(archive_factory,
                                                                      settings):
    root = archive_factory({
        "b.md": article_text("B", date="2025-03-01 10:00:00"),
        "a.md": article_text("A", date="2025-03-01 10:00:00"),
        "old.md": article_text("Old", date="2024-01-01 00:00:00"),
        "new.md": article_text("New", date="2025-06-01 00:00:00"),
    })
    archive, _ = scan(root, settings)
    order = ["new.md", "a.md", "b.md", "old.md"]
    assert [a.path for a in archive.cached_newest(3)] == order[:3]
    assert [a.path for a in archive.cached()] == sorted(order)  # the reader sorts it:
    assert [a.path for a in newest_first(archive.cached())] == order  # the same order


def test_a_file_that_reads_again_is_no_longer_a_problem_nor_parsed_again(archive_factory,
                                                                         settings):
    root = archive_factory({"a.md": b"\x00\x01 binary", "b.md": article_text("B")})
    archive, first = scan(root, settings)
    assert [p.path for p in first.problems] == ["a.md"]
    path = root / "a.md"
    path.write_text(article_text("Fixed"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    second = archive.scan()
    assert second.updated == ["a.md"] and second.problems == []
    assert archive.problems() == [] and archive.scan().parsed_count == 0


def test_a_scan_reads_the_catalog_back_only_when_asked(archive_factory, settings, monkeypatch):
    root = archive_factory({"a.md": article_text("A"), "b.md": article_text("B")})
    archive, _ = scan(root, settings)
    loads = []
    real = archive.cache.articles
    monkeypatch.setattr(archive.cache, "articles", lambda: loads.append(1) or real())
    result = archive.scan()
    assert not result.changed and loads == []  # a reader holding the catalog skips it
    assert sorted(a.title for a in result.articles) == ["A", "B"] and loads == [1]
    assert len(result.articles) == 2 and loads == [1]


def test_opening_the_cache_reads_no_more_of_a_big_one(archive_factory, settings):
    """Opening the metadata cache reads the same whatever it holds (it counted every row:
    10 ms of each CLI search at 100k, 30 ms at 1M), in bytes read from the file."""
    import pytest

    from reader.archive.cache import MetadataCache

    io_file = os.path.join("/proc/self", "io")
    if not os.path.exists(io_file):
        pytest.skip("needs Linux's /proc/self/io")

    def read_bytes() -> int:
        with open(io_file, encoding="ascii") as file:
            line = next(x for x in file if x.startswith("rchar:"))
        return int(line.split()[1])

    archive, _ = scan(archive_factory({"a.md": article_text("x")}), settings)
    cache_file = archive.data_dir / "cache.sqlite3"
    archive.close()
    db = sqlite3.connect(cache_file)
    columns = [row[1] for row in db.execute("PRAGMA table_info(articles)")]
    picked = ", ".join("path || '-' || n" if c == "path" else c for c in columns)
    db.execute(f"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 20000) "
               f"INSERT INTO articles ({', '.join(columns)}) SELECT {picked} FROM articles, c")
    db.commit()
    db.close()
    before = read_bytes()
    MetadataCache(cache_file).close()
    assert read_bytes() - before < 100_000  # the file is megabytes: its rows are not read


def _twelve(archive_factory):
    return archive_factory({f"news/w/{i:02}.md": article_text(f"Title {i}") for i in range(12)})


def test_the_scan_finishing_a_first_scan_cut_short_counts_the_files_stored(
        archive_factory, settings, monkeypatch):
    """It said "Scanning 200/22,800" with 77,200 of 100,000 files stored before."""
    from reader.archive import scan as scan_module

    root = _twelve(archive_factory)
    monkeypatch.setattr(scan_module, "_BATCH", 5)
    quit_ = threading.Event()
    Archive.open(root, settings).scan(lambda done, total: done and quit_.set(), quit_)
    assert len(Archive.open(root, settings).cached()) == 5
    reports = []
    Archive.open(root, settings).scan(lambda done, total: reports.append((done, total)))
    assert reports[0] == (5, 12) and reports[-1] == (12, 12)  # not (0, 7), (7, 7)
    assert {total for _, total in reports} == {12}


def test_a_rescan_counts_only_the_files_it_parses(archive_factory, settings):
    root = _twelve(archive_factory)
    Archive.open(root, settings).scan()
    (root / "news/w/12.md").write_text(article_text("Title 12"))
    reports = []
    Archive.open(root, settings).scan(lambda done, total: reports.append((done, total)))
    assert reports == [(0, 1), (1, 1)]
