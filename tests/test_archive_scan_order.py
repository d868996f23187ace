"""A scan with many files parses the newest first (by a cheap look at each file's `date`
line), the first batch here before the workers start, so a reader's first look at what
is found so far lists the archive's newest articles; what is stored is the same."""

from __future__ import annotations

import os
from concurrent.futures import Future
from dataclasses import replace
from datetime import timezone
from zoneinfo import ZoneInfo

import pytest

import reader.archive.newest as newest_module
import reader.archive.scan as scan_module
from conftest import article_text
from reader.archive import Archive
from reader.archive.newest import front_matter_date, newest_first
from reader.archive.parse import parse_text
from reader.archive.walk import walk

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")  # daylight saving: the offset depends on the day

DATED = {
    "yaml quoted": '---\ntitle: "A"\ndate: "2025-02-14 15:12:52"\n---\nbody\n',
    "yaml bare": "---\ntitle: A\ndate: 2025-07-14T15:12:52\n---\nbody\n",
    "utc": "---\ndate: '2025-02-14T07:12:52Z'\ntitle: A\n---\n",
    "offset": "---\ntitle: A\ndate: 2025-02-14T15:12:52+08:00\n---\n",
    "day only": "---\ntitle: A\ndate: 2025-02-14\n---\n",
    "toml": '+++\ntitle = "A"\ndate = 2025-02-14T15:12:52\n+++\n',
    "json": '{\n  "title": "A",\n  "date": "2025-07-14T15:12:52"\n}\n',
    "bom, crlf": '\ufeff---\r\ntitle: "A"\r\ndate: "2025-07-14 15:12:52"\r\n---\r\n',
}
UNSEEN = {
    "no front matter": "date: 2025-02-14\n\nbody\n",
    "date in the body": "---\ntitle: A\n---\ndate: 2025-02-14\n",
    "another key": "---\ntitle: A\npublishDate: 2025-02-14\n---\n",
    "nested": "---\ntitle: A\nparams:\n  date: 2025-02-14\n---\n",
    "not a date": "---\ntitle: A\ndate: soon\n---\n",
}


@pytest.mark.parametrize("tz", [timezone.utc, SHANGHAI, NEW_YORK], ids=str)
@pytest.mark.parametrize("form", sorted(DATED))
def test_the_look_at_the_date_line_agrees_with_the_parser(form, tz):
    text = DATED[form]
    parsed = parse_text("a.md", text.removeprefix("\ufeff"), tz).article.date
    assert front_matter_date(text.encode("utf-8"), tz, {}) == parsed.timestamp()


@pytest.mark.parametrize("form", sorted(UNSEEN))
def test_a_date_it_cannot_see_is_unknown(form):
    assert front_matter_date(UNSEEN[form].encode(), timezone.utc, {}) is None


def test_unknown_dates_go_first_newest_file_first_then_newest_date_first(tmp_path):
    files = {"old.md": article_text(date="2020-01-01 00:00:00"),
             "new.md": article_text(date="2025-01-01 00:00:00"),
             "mid.md": article_text(date="2023-01-01 00:00:00"),
             "plain-a.md": "no front matter\n", "plain-b.md": "no front matter\n"}
    for i, (name, text) in enumerate(files.items()):
        (tmp_path / name).write_text(text)
        os.utime(tmp_path / name, ns=(10**18 + i * 10**9,) * 2)  # later files: newer
    order = newest_first(tmp_path, list(walk(tmp_path)), timezone.utc)
    assert [f.rel for f in order] == ["plain-b.md", "plain-a.md", "new.md", "mid.md", "old.md"]


def many(count: int = 60) -> dict[str, str]:
    """Files whose walk order (by name) is not their date order."""
    return {f"content/en/news/s{i % 4}/{(i * 37) % count:03d}.en.md":
            article_text(f"Title {i}", date=f"2025-{1 + i // 28 % 12:02d}-{1 + i % 28:02d} 10:00:00")
            for i in range(count)}


class InlinePool:
    """A worker pool that parses in this process: notes how much the cache held when it
    was started."""

    started_with: list[int] = []
    archive: Archive | None = None

    def __init__(self, *args, **kwargs):
        InlinePool.started_with.append(len(InlinePool.archive.cached()))

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def test_a_big_first_scan_stores_the_newest_first_and_then_the_same_as_any_scan(
        archive_factory, settings, monkeypatch):
    root = archive_factory(many())
    alone = Archive.open(root, replace(settings, data_root=settings.data_root / "alone"))
    alone.scan()  # few files: in this process, in walk order
    newest = [a.path for a in alone.cached_newest(60)]
    monkeypatch.setattr(scan_module, "_BATCH", 7)
    monkeypatch.setattr(scan_module, "_FIRST_BATCH", 5)
    monkeypatch.setattr(scan_module, "_PARALLEL_MIN", 20)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(scan_module, "ProcessPoolExecutor", InlinePool)
    archive = InlinePool.archive = Archive.open(root, settings)
    InlinePool.started_with = []
    looks = []

    def progress(done, total):
        if done:
            looks.append([a.path for a in archive.cached_newest(60)])

    archive.scan(progress)
    assert InlinePool.started_with == [5]  # the first batch stored before the workers start
    assert looks[0] == newest[:5]  # the first look: the five newest
    assert looks[1] == newest[:12] and looks[-1] == newest
    assert sorted(archive.cached(), key=lambda a: a.path) == sorted(alone.cached(),
                                                                     key=lambda a: a.path)


def test_equal_dates_go_by_path_as_the_catalog_lists_them(tmp_path):
    for folder in ("a", "b"):  # the walk lists b/ first (its stack)
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.md").write_text(article_text(date="2025-01-01 00:00:00"))
    found = list(walk(tmp_path))
    assert [f.rel for f in found] == ["b/x.md", "a/x.md"]
    assert [f.rel for f in newest_first(tmp_path, found, timezone.utc)] == ["a/x.md", "b/x.md"]


def test_a_date_known_is_not_read_again_unless_the_file_changed(tmp_path, monkeypatch):
    for name, date in (("same.md", "2020-01-01 00:00:00"), ("edited.md", "2021-01-01 00:00:00")):
        (tmp_path / name).write_text(article_text(date=date))
    found = {f.rel: f for f in walk(tmp_path)}
    same, edited = found["same.md"], found["edited.md"]
    known = {"same.md": (same.size, same.mtime_ns, 2e9),  # as if read then: the newest
             "edited.md": (edited.size + 1, edited.mtime_ns, 3e9)}  # since changed
    read = []
    real_peek = newest_module.peek_dates
    monkeypatch.setattr(newest_module, "peek_dates",
                        lambda root, rels, tz, *rest:
                        read.extend(rels) or real_peek(root, rels, tz, *rest))
    order = newest_first(tmp_path, [same, edited], timezone.utc, known)
    assert read == ["edited.md"] and [f.rel for f in order] == ["same.md", "edited.md"]
