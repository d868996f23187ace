"""The first look at an archive opened for the first time (reader/archive/first_look.py):
worker processes share the files out, read their dates and parse their newest; the
look holds the archive's true newest articles, whatever the files' mtimes say, and the
first scan after it parses in its order and stores what any scan stores."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from dataclasses import replace
from datetime import timezone
from operator import attrgetter

import pytest

import reader.archive.newest as newest_module
from conftest import article_text
from reader.archive import Archive
from reader.archive.first_look import FirstLook, look_at_share, merged
from reader.archive.newest import peek_listed
from reader.archive.walk import walk, walk_listed
from reader.session.catalog import order_key

UTC = timezone.utc
SHARES = 3


def misleading(count: int = 30) -> dict[str, str]:
    """Dated files whose walk order is not their date order, and three the look cannot
    date: a broken date (the file time is its date), a date below the first KB, and no
    front matter."""
    files = {f"en/news/s{i % 3}/{(i * 7) % count:02d}.md":
             article_text(f"Title {i}", date=f"2025-03-{1 + (i * 11) % 28:02d} 0{i % 10}:00:00")
             for i in range(count)}
    files["en/news/s0/broken.md"] = article_text("Broken", date="soon")
    files["en/news/s1/late.md"] = ("---\ntitle: Late\nsummary: \"" + "x" * 2000 +
                                   "\"\ndate: \"2025-04-20 10:00:00\"\n---\nbody\n")
    files["en/news/s2/plain.md"] = "No front matter.\n"
    return files


def mislead(root, files) -> None:
    """Older articles get newer mtimes; the broken one the newest of all (its date)."""
    for i, rel in enumerate(sorted(files, key=lambda rel: files[rel], reverse=True)):
        os.utime(root / rel, ns=(1_700_000_000 * 10**9 + i * 10**9,) * 2)
    os.utime(root / "en/news/s0/broken.md", ns=(1_800_000_000 * 10**9,) * 2)
    os.utime(root / "en/news/s2/plain.md", ns=(1_600_000_000 * 10**9,) * 2)


@pytest.fixture
def scanned(archive_factory, settings):
    """(root, the catalog's paths newest first, after a full scan)."""
    files = misleading()
    root = archive_factory(files)
    mislead(root, files)
    full = Archive.open(root, replace(settings, data_root=settings.data_root / "full"))
    full.scan()
    return root, [a.path for a in sorted(full.cached(), key=order_key)]


def test_the_shares_of_a_walk_are_the_walk(archive_factory):
    root = archive_factory(misleading())
    shares = [list(walk(root, share=(k, SHARES))) for k in range(SHARES)]
    by_path = attrgetter("fs_rel")
    assert sorted((f for share in shares for f in share), key=by_path) == sorted(
        walk(root), key=by_path)
    assert all(shares)


def test_the_look_stats_each_file_open_as_the_walk_does_and_opens_no_pipe(archive_factory):
    root = archive_factory(misleading(6))
    os.mkfifo(root / "en/news/s0/pipe.md")  # opening it to read would block
    os.symlink("00.md", root / "en/news/s0/link.md")  # inside the archive: followed
    looked = [peek_listed(root, walk_listed(root, share=(k, 2)), UTC).found() for k in range(2)]
    by_path = attrgetter("fs_rel")
    problems = []
    walked = sorted(walk(root, problems), key=by_path)
    assert sorted(looked[0] + looked[1], key=by_path) == walked
    assert "en/news/s0/link.md" in {f.fs_rel for f in walked}
    assert [p.path for p in problems] == ["en/news/s0/pipe.md"]  # the scan says why


def test_the_look_holds_the_true_newest_whatever_the_mtimes_say(scanned):
    root, truth = scanned
    count = 8  # the three the look cannot date are parsed first: they take three places
    look = merged([look_at_share(root, UTC, "inside", (k, SHARES), count)
                   for k in range(SHARES)], count)
    listed = [a.path for a in sorted(look.newest, key=order_key)]
    assert len(listed) == count
    assert listed[:count - 3] == truth[:count - 3]  # broken.md first: its file time
    assert len(look.take_dates()) == len(truth)


def test_a_share_picks_its_newest_by_the_scan_s_order_where_dates_tie(archive_factory):
    """Equal dates across the count's edge go by path, undated files first: the order of
    `newest_first`, which the scan parses in."""
    files = {f"en/news/s0/{name}.md": article_text(name, date=date) for name, date in [
        ("e", "2025-03-05 10:00:00"), ("b", "2025-03-05 10:00:00"), ("d", "2025-03-06 10:00:00"),
        ("a", "2025-03-05 10:00:00"), ("c", "2025-03-04 10:00:00")]}
    files["en/news/s0/undated.md"] = "No front matter.\n"
    root = archive_factory(files)
    walked = list(walk(root))
    expected = [f.fs_rel for f in newest_module.newest_first(root, walked, UTC)]
    for count in range(1, 7):
        peeked = peek_listed(root, walk_listed(root), UTC)
        assert [f.fs_rel for _, f in peeked.newest(count)] == expected[:count]


def test_the_first_scan_after_a_look_reads_no_date_again_and_stores_the_same(
        scanned, settings, monkeypatch):
    root, truth = scanned
    archive = Archive.open(root, settings)
    archive.look_ahead()
    assert [a.path for a in sorted(archive.looked_newest(), key=order_key)] == truth  # all
    peeked = []
    real_peek = newest_module.peek_dates
    monkeypatch.setattr(newest_module, "peek_dates",
                        lambda root, rels, tz, *stop: peeked.extend(rels)
                        or real_peek(root, rels, tz, *stop))
    monkeypatch.setattr("reader.archive.scan._PARALLEL_MIN", 10)  # ordered newest first
    monkeypatch.setattr("reader.archive.scan._MAX_WORKERS", 1)
    archive.scan()
    assert peeked == []  # every date came from the look
    assert [a.path for a in sorted(archive.cached(), key=order_key)] == truth
    assert archive._looked_dates(None) == {}  # the first scan took them
    assert len(archive.looked_newest()) == len(truth)  # the reader may still ask
    archive.close()


def test_a_failed_look_gives_none_and_the_scan_does_without(archive_factory, settings):
    root = archive_factory(misleading(6))
    look = FirstLook(None, UTC, "inside", workers=1)  # the worker fails at once
    assert look.result() is None
    archive = Archive.open(root, settings)
    archive._look = look
    assert archive.looked_newest() == []
    assert len(archive.scan().added) == 9


def test_a_cancelled_wait_stops_the_workers(archive_factory):
    look = FirstLook(archive_factory(misleading(6)), UTC, "inside", workers=2)
    cancel = threading.Event()
    cancel.set()
    assert look.result(cancel) is None
    assert look._workers == []


def test_only_a_first_open_looks(archive_factory, settings):
    archive = Archive.open(archive_factory(misleading(6)), settings)
    archive.scan()
    archive.look_ahead()  # something cached: the scan shows what changed, no look
    assert archive._look is None


def test_closing_the_archive_stops_the_look(archive_factory, settings):
    archive = Archive.open(archive_factory(misleading(6)), settings)
    archive.look_ahead()
    workers = list(archive._look._workers)
    archive.close()  # the reader quit before the look was done
    assert not any(w.is_alive() for w in workers)


def test_no_worker_process_to_be_had_no_look(archive_factory, settings, monkeypatch):
    def refused(process):
        raise OSError(11, "Resource temporarily unavailable")

    for method in ("spawn", "fork"):
        monkeypatch.setattr(multiprocessing.get_context(method).Process, "start", refused)
    archive = Archive.open(archive_factory(misleading(6)), settings)
    archive.look_ahead()
    assert archive._look is None and archive.looked_newest() == []
    assert len(archive.scan().added) == 9


@pytest.mark.skipif(sys.platform != "linux", reason="fork is used on Linux only")
def test_the_look_forks_while_this_process_has_one_thread_and_spawns_beside_others(
        monkeypatch):
    """A forked worker starts at once (the CLI looks before any thread starts); beside
    other threads, a fork could inherit a lock one of them holds: spawn."""
    from reader.archive.first_look import _context

    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert _context().get_start_method() == "fork"
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert _context().get_start_method() == "spawn"
