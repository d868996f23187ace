"""Keeping the index up to date: incremental changes, crashes, damage, the background API."""

from __future__ import annotations

import json
import os
from dataclasses import replace
import threading

from conftest import article_text
from reader.archive import Archive
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index.store import INDEX_NAME, load_manifest, whoosh_dir

ZH = "content/zh-CN/news/a/{}.zh-CN.md"


def make(archive_factory, settings, count=6):
    files = {ZH.format(i): article_text(f"标题{i}", body=f"正文第{i}篇，关于央行{i}号。\n")
             for i in range(count)}
    return Archive.open(archive_factory(files), settings)


def paths(index, query):
    return sorted(index.search(query, limit=0).paths)


def test_only_new_changed_and_deleted_articles_are_indexed(archive_factory, settings):
    archive = make(archive_factory, settings)
    assert update_index(archive).added == 6
    root = archive.root
    (root / ZH.format(0)).write_text(article_text("标题0", body="改写后的内容：美联储。\n"),
                                     encoding="utf-8")
    os.utime(root / ZH.format(0), (1, 1))
    (root / ZH.format(1)).unlink()
    (root / ZH.format(9)).write_text(article_text("新文章", body="美联储加息。\n"),
                                     encoding="utf-8")
    summary = update_index(archive)
    assert (summary.added, summary.updated, summary.removed, summary.failed) == (1, 1, 1, 0)
    index = SearchIndex.open(index_dir_of(archive))
    assert paths(index, "美联储") == [ZH.format(0), ZH.format(9)]
    assert paths(index, "正文第") == [ZH.format(i) for i in range(2, 6)]
    assert index.status().indexed == 6 and index.status().complete
    again = update_index(archive)
    assert (again.added, again.updated, again.removed) == (0, 0, 0)


def test_unreadable_index_is_rebuilt_with_a_message(archive_factory, settings):
    archive = make(archive_factory, settings)
    update_index(archive)
    for f in whoosh_dir(index_dir_of(archive)).glob("*.toc"):
        f.write_bytes(b"garbage")
    summary = update_index(archive)
    assert "rebuilt" in summary.notice and summary.added == 6 and not summary.error
    assert len(paths(SearchIndex.open(index_dir_of(archive)), "正文")) == 6


def test_stale_write_lock_of_a_dead_process_is_cleared(archive_factory, settings):
    archive = make(archive_factory, settings)
    update_index(archive)
    index_dir = index_dir_of(archive)
    (whoosh_dir(index_dir) / f"{INDEX_NAME}_WRITELOCK").write_text("")
    (index_dir / "writer.pid").write_text(str(_dead_pid()))
    (archive.root / ZH.format(7)).write_text(article_text("七", body="新增。\n"), encoding="utf-8")
    summary = update_index(archive)
    assert summary.added == 1 and not summary.error
    assert not (index_dir / "writer.pid").exists()


def test_a_kill_between_the_commit_and_the_ledger_re_indexes_without_duplicates(
        archive_factory, settings, monkeypatch):
    import queue

    from reader.archive.cache import MetadataCache
    from reader.index.updater import plan_update
    from reader.index.writer import write_index

    archive = make(archive_factory, settings)
    archive.scan()
    job, _ = plan_update(archive)

    def killed(*args):  # the Whoosh commit and the manifest are written, the ledger not
        raise KeyboardInterrupt

    monkeypatch.setattr(MetadataCache, "mark_indexed", killed)
    try:
        write_index(job, queue.Queue(), threading.Event())
    except KeyboardInterrupt:
        pass
    monkeypatch.undo()
    index_dir = index_dir_of(archive)
    assert len(paths(SearchIndex.open(index_dir), "正文")) == 6 and len(archive.cache.to_index()) == 6
    summary = update_index(archive)  # the batch again, replacing each article by its path
    assert (summary.added, summary.updated, summary.error) == (0, 6, "")
    index = SearchIndex.open(index_dir)
    assert paths(index, "正文") == sorted(ZH.format(i) for i in range(6))
    assert index.status().indexed == 6 and archive.cache.to_index() == []


def test_background_updater_reports_progress_and_searches_meanwhile(archive_factory, settings):
    archive = make(archive_factory, settings, count=30)
    index = SearchIndex.open(index_dir_of(archive))
    assert index.search("正文").hits == [] and not index.status().exists
    phases, finished = [], threading.Event()
    outcome = []

    def update() -> None:  # a background update, as the reader's worker runs it
        outcome.append(update_index(archive, lambda p, d, t: phases.append(p)))
        finished.set()

    worker = threading.Thread(target=update)
    worker.start()
    while not finished.is_set():
        index.search("央行")  # never blocks on the writer, never raises
        finished.wait(0.05)
    worker.join()
    (summary,) = outcome
    assert summary.added == 30 and "index" in phases and "finalize" in phases
    index.refresh()
    assert len(index.search("央行", limit=0).hits) == 30


def test_cancelled_update_keeps_what_was_committed(archive_factory, settings):
    archive = make(archive_factory, settings, count=12)
    cancel = threading.Event()
    cancel.set()
    summary = update_index(archive, cancel=cancel, articles=archive.scan().articles)
    assert summary.cancelled
    assert update_index(archive).added == 12


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_live_writer_makes_another_update_report_busy(archive_factory, settings):
    from whoosh.filedb.filestore import FileStorage

    archive = make(archive_factory, settings)
    update_index(archive)
    lock = FileStorage(str(whoosh_dir(index_dir_of(archive)))).lock(f"{INDEX_NAME}_WRITELOCK")
    assert lock.acquire(False)
    try:
        (archive.root / ZH.format(8)).write_text(article_text("八", body="新。\n"), encoding="utf-8")
        summary = update_index(archive)
        assert "being updated" in summary.error
    finally:
        lock.release()
    assert update_index(archive).added == 1


def test_many_small_commits_merge_cleanly(archive_factory, settings, monkeypatch):
    import reader.index.updater as updater

    monkeypatch.setattr(updater, "BATCH", 3)
    archive = make(archive_factory, settings, count=30)
    assert update_index(archive).added == 30
    (archive.root / ZH.format(3)).unlink()
    summary = update_index(archive)
    assert summary.removed == 1 and not summary.error
    index = SearchIndex.open(index_dir_of(archive))
    assert len(paths(index, "正文")) == 29 and paths(index, "标题1") == [ZH.format(1)]


def test_the_manifest_is_one_summary_line_and_the_cache_the_ledger(archive_factory, settings):
    archive = make(archive_factory, settings)
    update_index(archive)
    index_dir = index_dir_of(archive)
    (line,) = (index_dir / "manifest.json").read_text(encoding="utf-8").splitlines()
    header = json.loads(line)
    assert "stamps" not in header and header["count"] == 6
    assert header["ledger"] == archive.cache.index_ledger() != ""
    assert archive.cache.to_index() == [] and archive.cache.to_unindex() == []
    (archive.root / ZH.format(1)).unlink()
    (archive.root / ZH.format(2)).write_bytes(b"\x00\x01binary")  # unreadable now
    archive.scan()
    assert archive.cache.to_unindex() == [ZH.format(1), ZH.format(2)]
    assert update_index(archive, articles=[]).removed == 2
    assert archive.cache.to_unindex() == [] and SearchIndex.open(index_dir).status().indexed == 4


def old_manifest(archive, two_lines: bool) -> None:
    """The manifest as newsreader wrote it before the ledger: every article's stamp."""
    index_dir = index_dir_of(archive)
    manifest = load_manifest(index_dir)
    stamps = {a.path: (a.size, a.mtime) for a in archive.cached()}
    header = {"schema": manifest.schema, "root": manifest.root, "complete": True,
              "count": len(stamps), "timezone": manifest.timezone}
    text = (json.dumps(header) + "\n" + json.dumps({"stamps": stamps}) if two_lines
            else json.dumps({**header, "stamps": stamps}))
    (index_dir / "manifest.json").write_text(text, encoding="utf-8")
    db = archive.cache._db  # and a cache from before the ledger: nothing recorded
    db.execute("DROP INDEX articles_to_index")
    db.execute("ALTER TABLE articles DROP COLUMN indexed")
    db.execute("DELETE FROM settings WHERE name = 'index_ledger'")
    db.commit()


def test_an_index_with_a_stamps_manifest_is_taken_into_the_ledger_once(archive_factory,
                                                                        settings):
    archive = make(archive_factory, settings)
    update_index(archive)
    index_dir = index_dir_of(archive)
    for two_lines in (True, False):
        old_manifest(archive, two_lines)
        (archive.root / ZH.format(4)).unlink()  # while the old version was not looking
        archive.close()
        archive = Archive.open(archive.root, settings)  # the column is added, nothing parsed
        assert SearchIndex.open(index_dir).status().indexed == len(archive.cached()) == 6
        assert archive.scan().parsed_count == 0
        summary = update_index(archive)
        assert (summary.added, summary.updated, summary.removed) == (0, 0, 1)
        assert summary.parsed == 0 and not summary.notice
        (line,) = (index_dir / "manifest.json").read_text(encoding="utf-8").splitlines()
        assert json.loads(line)["ledger"] == archive.cache.index_ledger()
        assert archive.cache.to_index() == [] and archive.cache.to_unindex() == []
        again = update_index(archive)
        assert (again.added, again.updated, again.removed) == (0, 0, 0)
        (archive.root / ZH.format(4)).write_text(article_text("四", body="回来了。\n"),
                                                 encoding="utf-8")
        assert update_index(archive).added == 1


def test_a_cache_that_lost_its_ledger_rebuilds_the_index(archive_factory, settings):
    archive = make(archive_factory, settings)
    update_index(archive)
    archive.close()
    (archive.data_dir / "cache.sqlite3").unlink()  # e.g. damaged, or another schema
    (archive.root / ZH.format(5)).unlink()  # meanwhile: the index must not keep it
    archive = Archive.open(archive.root, settings)
    summary = update_index(archive)
    assert "no longer records" in summary.notice and summary.added == 5
    assert paths(SearchIndex.open(index_dir_of(archive)), "正文") == \
        sorted(ZH.format(i) for i in range(5))


def test_a_new_default_time_zone_re_dates_the_cache_and_the_index(archive_factory, settings):
    root = archive_factory({"a.md": article_text("A", date="2025-04-06 00:00:00"),
                            "b.md": article_text("B", date="2025-04-06T00:00:00+02:00")})
    update_index(Archive.open(root, settings))
    utc = replace(settings, timezone="UTC")
    archive = Archive.open(root, utc)
    assert any("time zone now UTC" in n for n in (archive.cache and archive.notices))
    summary = update_index(archive)
    assert summary.updated == 2 and "time zone changed" in summary.notice
    dates = {a.path: a.date.isoformat() for a in archive.cached()}
    assert dates == {"a.md": "2025-04-06T00:00:00+00:00", "b.md": "2025-04-06T00:00:00+02:00"}
    index = SearchIndex.open(index_dir_of(archive), timezone="UTC")
    assert [h.path for h in index.search("date:2025-04-06", limit=0)] == ["a.md"]
    again = update_index(Archive.open(root, utc))
    assert (again.added, again.updated, again.notice) == (0, 0, "")


KILLED_AFTER_ITS_FIRST_COMMIT = """
import os, queue, signal, sys, threading
from reader.archive import Archive
from reader.archive.cache import MetadataCache
from reader.config import Settings
from reader.index.updater import plan_update
from reader.index.writer import write_index

root, data = sys.argv[1:3]
archive = Archive.open(root, Settings(data_root=data, config_path=data + "/none.toml"))
archive.scan()
job, _ = plan_update(archive)
job.batch = 4
recorded = MetadataCache.mark_indexed

def then_killed(self, *args):  # the first batch committed and recorded: killed at once
    recorded(self, *args)
    os.kill(os.getpid(), signal.SIGKILL)

MetadataCache.mark_indexed = then_killed
write_index(job, queue.Queue(), threading.Event())
"""


def _killed_after_its_first_commit(archive, settings) -> None:
    """A first index of `archive` killed after its first commit (4 articles)."""
    import signal
    import subprocess
    import sys
    from pathlib import Path

    code = Path(__file__).resolve().parents[1]
    child = subprocess.run([sys.executable, "-c", KILLED_AFTER_ITS_FIRST_COMMIT,
                            str(archive.root), str(settings.data_root)],
                           env=dict(os.environ, PYTHONPATH=str(code)), cwd=code)
    assert child.returncode == -signal.SIGKILL


def test_a_first_index_killed_midway_resumes_without_redoing_what_was_committed(
        archive_factory, settings):
    archive = make(archive_factory, settings, count=10)
    _killed_after_its_first_commit(archive, settings)
    index_dir = index_dir_of(archive)
    assert SearchIndex.open(index_dir).status().indexed == 4  # the commit before the kill
    summary = update_index(archive)
    assert (summary.added, summary.updated, summary.removed, summary.error) == (6, 0, 0, "")
    index = SearchIndex.open(index_dir)
    assert paths(index, "正文") == sorted(ZH.format(i) for i in range(10))
    assert index.status().indexed == 10 and index.status().complete


def _index_progress(archive) -> list[tuple[int, int]]:
    reports = []
    update_index(archive, lambda phase, done, total: reports.append((done, total))
                 if phase == "index" else None)
    return reports


def test_a_resumed_first_index_counts_what_was_indexed_before(archive_factory, settings):
    archive = make(archive_factory, settings, count=10)
    _killed_after_its_first_commit(archive, settings)  # 4 of 10 indexed
    reports = _index_progress(archive)
    assert reports and {total for _, total in reports} == {10}  # not 6 left
    assert min(done for done, _ in reports) >= 4 and reports[-1] == (10, 10)


def test_an_update_of_a_complete_index_counts_only_its_own_articles(
        archive_factory, settings):
    archive = make(archive_factory, settings, count=10)
    update_index(archive)
    for i in range(10, 13):
        (archive.root / ZH.format(i)).write_text(article_text(f"标题{i}"), encoding="utf-8")
    reports = _index_progress(archive)
    assert reports and {total for _, total in reports} == {3} and reports[-1] == (3, 3)
