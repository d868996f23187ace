"""State with a real Archive: marks outlive a moved folder, a deleted cache, repeated titles."""

from __future__ import annotations

import shutil

from conftest import article_text
from reader.archive import Archive
from reader.state import STATE_FILE_NAME, GroupCounts, StateStore

LINK = "[Source](https://example.org/same)\n"
FILES = {
    "content/en/news/wire/1.en.md": article_text("Same headline", body="One.\n\n" + LINK,
                                                 categories=["markets"], tags=["oil"]),
    "content/en/news/wire/2.en.md": article_text("Same headline", body="Two.\n\n" + LINK,
                                                 categories=["markets"], tags=["oil"]),
    "content/zh-CN/news/wire/3.zh-CN.md": article_text("标题", categories=["economy"]),
}


def open_state(archive):
    return StateStore.open(archive.data_dir / STATE_FILE_NAME)


def test_marks_survive_moving_the_archive_and_deleting_its_cache(tmp_path, archive_factory,
                                                                  settings):
    root = archive_factory(FILES)
    archive = Archive.open(root, settings)
    articles = archive.scan().articles
    first = next(a for a in articles if a.path.endswith("1.en.md"))
    with open_state(archive) as store:
        store.mark_read([first], articles=articles)
        store.toggle_star("content/zh-CN/news/wire/3.zh-CN.md")
    archive.close()

    moved = tmp_path / "renamed-archive"
    shutil.move(str(root), str(moved))
    archive = Archive.open(moved, settings)
    (archive.data_dir / "cache.sqlite3").unlink()
    for index in archive.data_dir.glob("index*"):
        if index.is_dir():
            shutil.rmtree(index)
        else:
            index.unlink()
    rescanned = archive.scan().articles
    assert {a.path for a in rescanned} == {a.path for a in articles}
    with open_state(archive) as store:
        assert store.read_set() == {first.path}
        assert store.starred_set() == {"content/zh-CN/news/wire/3.zh-CN.md"}
    archive.close()


def test_repeated_title_and_link_keep_separate_marks(archive_factory, settings):
    archive = Archive.open(archive_factory(FILES), settings)
    articles = archive.scan().articles
    twins = sorted((a for a in articles if a.title == "Same headline"), key=lambda a: a.path)
    assert len(twins) == 2 and twins[0].link == twins[1].link != ""
    with open_state(archive) as store:
        store.mark_read([twins[0]])
        counts = GroupCounts(articles, store.read_set(), store.starred_set())
        assert not store.is_read(twins[1].path)
    assert counts[("tag", "oil")].unread == 1 and counts[("tag", "oil")].total == 2
    archive.close()
