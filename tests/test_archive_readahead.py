"""Reading ahead of the first look on a cold page cache (reader/archive/readahead.py):
told by a few timed reads, the files read ahead by threads, the look unchanged."""

from __future__ import annotations

import threading
from datetime import timezone

import reader.archive.readahead as readahead
from conftest import article_text
from reader.archive.first_look import look_at_share


class Clock:
    """perf_counter for readahead: each touch takes `seconds[i]` of it."""

    def __init__(self, seconds: list[float]):
        self.now, self.seconds = 0.0, iter(seconds)

    def perf_counter(self) -> float:
        return self.now

    def touch(self, root: str, fs_rel: str) -> None:
        self.now += next(self.seconds)


def timed(monkeypatch, seconds: list[float]) -> None:
    clock = Clock(seconds)
    monkeypatch.setattr(readahead.time, "perf_counter", clock.perf_counter)
    monkeypatch.setattr(readahead, "touch", clock.touch)


def test_a_cold_cache_is_told_by_a_few_reads_from_the_disk(monkeypatch):
    rels = [f"f{i}.md" for i in range(1000)]
    warm, disk = 0.00002, 0.0007
    timed(monkeypatch, [warm] * 16)
    assert not readahead.is_cold("/x", rels)
    timed(monkeypatch, [warm] * 13 + [disk] * 3)  # another worker brought some in
    assert readahead.is_cold("/x", rels)
    timed(monkeypatch, [warm] * 15 + [disk])  # one slow read: a hiccup, not a disk
    assert not readahead.is_cold("/x", rels)
    assert not readahead.is_cold("/x", [])


def test_the_threads_read_every_file_once_in_the_lists_order(monkeypatch):
    rels = [f"f{i}.md" for i in range(100)]
    read, lock = [], threading.Lock()

    def touch(root: str, fs_rel: str) -> None:
        with lock:
            read.append(fs_rel)

    monkeypatch.setattr(readahead, "touch", touch)
    ahead = readahead.ReadAhead("/x", rels, threads=4)
    ahead.close()
    assert sorted(read) == sorted(rels)
    assert {t.name for t in ahead.threads} == {f"read-ahead-{k}" for k in range(4)}
    assert all(not t.is_alive() for t in ahead.threads)


def test_a_look_read_ahead_finds_what_one_without_does(archive_factory, monkeypatch):
    files = {f"en/news/s{i % 4}/{i:03d}.md":
             article_text(f"Title {i}", date=f"2025-03-{1 + i % 28:02d} 10:00:00")
             for i in range(120)}
    files["en/news/s0/bad.md"] = b"\xff\xfe not text"
    root = archive_factory(files)
    touched = []
    real_touch = readahead.touch
    monkeypatch.setattr(readahead, "touch",
                        lambda r, rel: (touched.append(rel), real_touch(r, rel)))
    plain = look_at_share(root, timezone.utc, "inside", (0, 2), 10, cold=False)
    assert touched == []  # no read ahead, and none to decide it
    ahead = look_at_share(root, timezone.utc, "inside", (0, 2), 10, cold=True)
    assert len(set(touched)) == len(touched)  # each file once at most: the threads
    assert set(touched) <= set(ahead.fs_rels)  # stop once the loop is done
    assert (ahead.fs_rels, ahead.stamps) == (plain.fs_rels, plain.stamps)
    assert list(map(str, ahead.dates)) == list(map(str, plain.dates))  # nan: undated
    assert [key for key, _ in ahead.newest] == [key for key, _ in plain.newest]


def test_touch_leaves_files_it_cannot_read_to_the_scan(tmp_path):
    readahead.touch(str(tmp_path), "missing.md")  # no error
    (tmp_path / "folder.md").mkdir()
    readahead.touch(str(tmp_path), "folder.md")
