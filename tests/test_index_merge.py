"""Fewer index segments: a first index's batches grow with it, and `merge` merges the
segments tier by tier (reader/index/whoosh_patches/merge_policy.py) to a bounded count,
changing no hit.  The writer runs in this process here, so that its constants can be
made small (the updater spawns it, where they would not hold)."""

from __future__ import annotations

import queue
import threading
from types import SimpleNamespace

from conftest import article_text
from reader.archive import Archive
from reader.index import SearchIndex, index_dir_of
from reader.index.store import open_index
from reader.index.updater import plan_update
from reader.index.whoosh_patches import merge_policy
from reader.index.writer import write_index

ZH = "content/zh-CN/news/a/{}.zh-CN.md"
QUERIES = ("央行", "正文", "标题1", "关于 OR 号", "-央行3")


def make(archive_factory, settings, count):
    files = {ZH.format(i): article_text(f"标题{i}", f"2025-02-{1 + i % 28:02d} {i // 28:02d}:00:00",
                                        body=f"正文第{i}篇，关于央行{i % 7}号。\n")
             for i in range(count)}  # dates apart: the order by date has no ties
    archive = Archive.open(archive_factory(files), settings)
    archive.scan()
    return archive


def write(archive, batch: int, merge: bool = False) -> dict:
    job, _ = plan_update(archive)
    job.batch, job.merge = batch, merge
    messages = queue.Queue()
    write_index(job, messages, threading.Event())
    kind, result = _last(messages)
    assert kind == "done", result
    return result


def _last(messages):
    last = None
    while not messages.empty():
        last = messages.get_nowait()
    return last


def segments(archive) -> list[int]:
    return sorted(s.doc_count() for s in open_index(index_dir_of(archive))._segments())


def hits(archive) -> dict:
    index = SearchIndex.open(index_dir_of(archive))
    return {q: (sorted(index.search(q, limit=0).paths),
                index.search(q, limit=0, sort="date").paths) for q in QUERIES}


def test_a_first_index_commits_bigger_batches_as_it_grows(archive_factory, settings,
                                                          monkeypatch):
    monkeypatch.setattr(merge_policy, "SMALL_SEGMENT", 0)  # each commit's segment kept
    archive = make(archive_factory, settings, 60)
    assert write(archive, batch=3)["added"] == 60
    # 3 a commit until 12 are indexed, then a quarter of what is: 20 segments before
    assert segments(archive) == [3, 3, 3, 3, 3, 3, 4, 5, 6, 8, 9, 10]


def test_merging_bounds_the_segments_and_changes_no_hit(archive_factory, settings,
                                                        monkeypatch):
    monkeypatch.setattr(merge_policy, "SMALL_SEGMENT", 0)
    monkeypatch.setattr(merge_policy, "TIER_BASE", 2)
    monkeypatch.setattr(merge_policy, "TIER_FACTOR", 3)
    monkeypatch.setattr("reader.index.writer.MAX_BATCHES", 1)  # 2 a commit: 40 segments
    archive = make(archive_factory, settings, 80)
    write(archive, batch=2)
    before, count = hits(archive), len(segments(archive))
    assert count == 40
    result = write(archive, batch=2, merge=True)
    after = segments(archive)
    assert len(after) <= merge_policy.segment_bound(80) < count
    assert not merge_policy.due_tier(open_index(index_dir_of(archive))._segments())
    assert result["merged"] >= count - len(after) and sum(after) == 80
    assert hits(archive) == before
    assert SearchIndex.open(index_dir_of(archive)).status().complete


def test_no_tier_is_due_once_merged_whatever_the_sizes():
    """The policy alone: 500 commits of 2,000 (a million articles) and 100 small ones,
    merged a due tier at a time, end within the bound."""
    segs = [_Seg(2000) for _ in range(500)] + [_Seg(n) for n in range(1, 101)]
    steps = 0
    while (due := merge_policy.due_tier(segs)):
        segs = [s for s in segs if s not in due] + [_Seg(sum(s.doc_count() for s in due))]
        steps += 1
    total = 1_000_000 + sum(range(1, 101))
    assert sum(s.doc_count() for s in segs) == total
    assert len(segs) <= merge_policy.segment_bound(total) == 21
    assert steps < 100


class _Seg(SimpleNamespace):
    def __init__(self, live: int):
        super().__init__(live=live)

    def doc_count(self) -> int:
        return self.live

    def __eq__(self, other):  # identity, as Whoosh's segments
        return self is other

    __hash__ = object.__hash__


KILLED_WHILE_MERGING = """
import os, queue, signal, sys, threading
from whoosh.writing import SegmentWriter
from reader.archive import Archive
from reader.config import Settings
from reader.index.job import Job
from reader.index.updater import index_dir_of, plan_update
from reader.index.whoosh_patches import merge_policy
from reader.index.writer import write_index

root, data = sys.argv[1:3]
archive = Archive.open(root, Settings(data_root=data, config_path=data + "/none.toml"))
{job}
added, calls = SegmentWriter.add_reader, []

def then_killed(self, reader):  # a merge half done: killed at once
    calls.append(reader)
    added(self, reader)
    if len(calls) == {after}:
        os.kill(os.getpid(), signal.SIGKILL)

SegmentWriter.add_reader = then_killed
write_index(job, queue.Queue(), threading.Event())
"""


def killed_while_merging(archive, settings, job: str, after: int) -> int:
    """A writer's child that runs `job` (the source of a line making `job`) and is
    killed once `after` segments were added to a merge; its return code."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = Path(__file__).resolve().parents[1]
    script = KILLED_WHILE_MERGING.replace("{job}", job).replace("{after}", str(after))
    return subprocess.run([sys.executable, "-c", script, str(archive.root),
                           str(settings.data_root)],
                          env=dict(os.environ, PYTHONPATH=str(code)), cwd=code).returncode


def test_a_merge_killed_midway_keeps_the_index_as_of_its_last_step(archive_factory, settings,
                                                                   monkeypatch):
    import signal

    from reader.index.store import whoosh_dir

    monkeypatch.setattr(merge_policy, "SMALL_SEGMENT", 0)
    monkeypatch.setattr(merge_policy, "TIER_BASE", 2)
    monkeypatch.setattr(merge_policy, "TIER_FACTOR", 3)
    monkeypatch.setattr("reader.index.writer.MAX_BATCHES", 1)
    archive = make(archive_factory, settings, 40)
    write(archive, batch=2)
    before = hits(archive)
    job = ("merge_policy.SMALL_SEGMENT, merge_policy.TIER_BASE, merge_policy.TIER_FACTOR"
           " = 0, 2, 3\njob, _ = plan_update(archive)\njob.merge = True")
    assert killed_while_merging(archive, settings, job, after=5) == -signal.SIGKILL
    assert len(segments(archive)) == 20 - 2  # the first step (3 into 1) committed
    assert hits(archive) == before and sum(segments(archive)) == 40
    write(archive, batch=2, merge=True)  # the next run merges on, and removes the debris
    assert len(segments(archive)) <= merge_policy.segment_bound(40)
    assert hits(archive) == before
    names = {p.name for p in whoosh_dir(index_dir_of(archive)).iterdir()}
    live = {s.segment_id() for s in open_index(index_dir_of(archive))._segments()}
    assert {n.split(".")[0] for n in names if n.endswith(".seg")} == live
