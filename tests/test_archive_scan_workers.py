"""A scan with many files to parse spreads them over worker processes: same result."""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

import pytest

import reader.archive.scan as scan_module
from conftest import article_text
from reader.archive import Archive


def files(count: int = 60) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {
        f"content/en/news/s{i % 3}/{i:03d}.en.md": article_text(
            f"Title {i}", date=f"2025-02-{1 + i % 28:02d} 10:{i % 60:02d}:00", body=f"Body {i}.\n")
        for i in range(count)}
    out["binary.md"] = b"\x00\x01\x02 not text"
    out["broken.md"] = "---\ntitle: [unclosed\n---\nbody\n"
    return out


@pytest.fixture
def in_workers(monkeypatch):
    """Scans parse in worker processes, in batches of 7; the calls are recorded."""
    calls = []
    real = scan_module._in_workers

    def recording(*args):
        calls.append(args)
        yield from real(*args)

    monkeypatch.setattr(scan_module, "_BATCH", 7)
    monkeypatch.setattr(scan_module, "_PARALLEL_MIN", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(scan_module, "_in_workers", recording)
    return calls


def scan_with(root, settings, name: str, **kwargs):
    archive = Archive.open(root, replace(settings, data_root=settings.data_root / name))
    result = archive.scan(**kwargs)
    return archive, result


def same(a, b) -> bool:
    key = lambda x: x.path  # noqa: E731
    return sorted(a, key=key) == sorted(b, key=key)


def test_worker_processes_store_what_one_process_does(archive_factory, settings, monkeypatch,
                                                      in_workers):
    root = archive_factory(files())
    monkeypatch.setattr(scan_module, "_PARALLEL_MIN", 10**9)
    _, alone = scan_with(root, settings, "alone")
    assert not in_workers
    monkeypatch.setattr(scan_module, "_PARALLEL_MIN", 0)
    archive, spread = scan_with(root, settings, "spread")
    assert in_workers  # the workers did the parsing
    assert len(spread.articles) == 61 and same(spread.articles, alone.articles)
    assert sorted(spread.added) == sorted(alone.added) and spread.parsed_count == 62
    assert set(spread.problems) == set(alone.problems)
    assert {p.path for p in spread.problems} == {"binary.md", "broken.md"}
    assert same(archive.cached(), alone.articles)


def test_progress_counts_up_to_the_total_and_a_cancelled_scan_keeps_what_it_stored(
        archive_factory, settings, in_workers):
    root = archive_factory(files(100))
    cancel, seen = threading.Event(), []

    def progress(done, total):
        seen.append((done, total))
        if done >= 21:
            cancel.set()

    archive, result = scan_with(root, settings, "cancel", progress=progress, cancel=cancel)
    assert seen[0] == (0, 102) and 21 <= seen[-1][0] < 102
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    stored = {a.path for a in archive.cached()} | {p.path for p in archive.problems()}
    assert len(stored) == seen[-1][0]
    _, rest = scan_with(root, settings, "cancel")  # the next scan parses only the rest
    assert rest.parsed_count == 102 - seen[-1][0] and len(rest.articles) == 101


class BrokenPool:
    """A pool whose workers have all died."""

    def __init__(self, *args, **kwargs):
        pass

    def submit(self, *args) -> Future:
        future: Future = Future()
        future.set_exception(BrokenProcessPool("a worker was killed"))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def test_when_a_worker_dies_the_scan_parses_the_rest_itself(archive_factory, settings,
                                                            monkeypatch, in_workers):
    monkeypatch.setattr(scan_module, "ProcessPoolExecutor", BrokenPool)
    root = archive_factory(files())
    _, result = scan_with(root, settings, "broken")
    assert in_workers and len(result.articles) == 61 and result.parsed_count == 62
