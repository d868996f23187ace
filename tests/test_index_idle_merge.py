"""The merge of an idle index (reader/index/updater.py merge_index): the due tiers of a
complete index's segments merged in the writer's child, one committed step at a time,
no hit changed and the manifest and ledger left as they are; a merge killed midway
keeps its steps and the next one goes on.  The index is built in this process with
every commit's segment kept (SMALL_SEGMENT 0); the merge runs in the spawned child,
with the policy's own constants: 8 segments below 16,000 articles make a due tier."""

from __future__ import annotations

import signal
import threading

from reader.index import index_dir_of, merge_index
from reader.index.store import manifest_path, open_index
from reader.index.whoosh_patches import merge_policy
from tests.test_index_merge import hits, killed_while_merging, make, segments, write


def many_segments(archive_factory, settings, monkeypatch, count=40):
    """An archive of `count` articles whose complete index has `count // 2` segments."""
    monkeypatch.setattr(merge_policy, "SMALL_SEGMENT", 0)
    monkeypatch.setattr("reader.index.writer.MAX_BATCHES", 1)
    monkeypatch.setattr("reader.index.writer.FIRST_COMMIT", 2)
    archive = make(archive_factory, settings, count)
    write(archive, batch=2)
    assert segments(archive) == [2] * (count // 2)
    return archive


def test_an_idle_merge_merges_the_due_tiers_and_changes_no_hit(archive_factory, settings,
                                                              monkeypatch):
    archive = many_segments(archive_factory, settings, monkeypatch)
    before = hits(archive)
    manifest = manifest_path(index_dir_of(archive)).read_bytes()
    ledger = archive.cache.index_ledger()
    steps = []
    summary = merge_index(archive, lambda phase, step, of: steps.append((phase, step, of)))
    # 20 segments of 2: 8 of them into 16, then 8 more; 4 of 2 and 2 of 16 are left
    assert steps == [("merge", 1, 2), ("merge", 2, 2)]
    assert segments(archive) == [2, 2, 2, 2, 16, 16] and summary.merged == 16
    assert not merge_policy.due_tier(open_index(index_dir_of(archive))._segments())
    assert hits(archive) == before
    assert manifest_path(index_dir_of(archive)).read_bytes() == manifest
    assert archive.cache.index_ledger() == ledger and not archive.cache.anything_to_index()
    assert merge_index(archive).merged == 0  # nothing due now: no child spawned


def test_no_merge_of_an_index_not_complete_nor_once_cancelled(archive_factory, settings,
                                                             monkeypatch):
    from reader.index.store import load_manifest, save_manifest

    archive = many_segments(archive_factory, settings, monkeypatch)
    cancel = threading.Event()
    cancel.set()
    assert merge_index(archive, cancel=cancel).merged == 0
    manifest = load_manifest(index_dir_of(archive))
    manifest.complete = False  # a first index cut short: it goes on first
    save_manifest(index_dir_of(archive), manifest)
    assert merge_index(archive).merged == 0 and len(segments(archive)) == 20


def test_an_idle_merge_killed_midway_is_taken_up_by_the_next(archive_factory, settings,
                                                             monkeypatch):
    archive = many_segments(archive_factory, settings, monkeypatch)
    before = hits(archive)
    job = ("job = Job(str(index_dir_of(archive)), root, archive.settings.timezone,"
           " merge_only=True)")  # killed in the second step, its merge half done
    assert killed_while_merging(archive, settings, job, after=12) == -signal.SIGKILL
    assert segments(archive) == [2] * 12 + [16]  # the first step kept, the second lost
    assert hits(archive) == before
    steps = []
    merge_index(archive, lambda phase, step, of: steps.append((step, of)))
    assert steps == [(1, 1)] and segments(archive) == [2, 2, 2, 2, 16, 16]
    assert hits(archive) == before


def test_watch_merges_once_idle_and_a_batch_interrupts_it(archive_factory, settings,
                                                          monkeypatch, capsys):
    from reader.cli.watch_cmd import _IdleMerge

    archive = many_segments(archive_factory, settings, monkeypatch)
    waiting = _IdleMerge(archive, enabled=True)
    waiting.idle_seconds = 3600.0  # a batch comes before the index has been idle so long
    waiting.start()
    waiting.interrupt()  # returns at once: nothing merged
    assert len(segments(archive)) == 20
    merging = _IdleMerge(archive, enabled=True)
    merging.idle_seconds = 0.0
    merging.start()
    merging._thread.join()  # the merge's end, as the next batch would wait for it
    assert segments(archive) == [2, 2, 2, 2, 16, 16]
    assert "merged 16 index segments" in capsys.readouterr().out
    off = _IdleMerge(archive, enabled=False)  # merge_when_idle = false, or --no-index
    off.start()
    assert off._thread is None
