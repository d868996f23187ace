"""Child processes end with their parent, a kill -9 included (issue 10, the orphaned child).

An orphaned index writer used to run on and keep the index locked ("being updated by
process N") until it finished; orphaned scan workers waited for batches forever.  Each
test starts a parent process, kills it with SIGKILL while its children work, and waits
(bounded, on the children's exit through pidfds: no sleeps) for them to end.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import article_text

from reader.index.parts import PARALLEL_MIN
from reader.index.store import claim_writer, load_manifest, release_writer

REPO = Path(__file__).resolve().parents[1]
LIMIT = 60  # seconds: the children end in well under one

pytestmark = pytest.mark.skipif(not hasattr(os, "pidfd_open") or not hasattr(signal, "SIGKILL"),
                                reason="needs pidfds (Linux) to wait for a process not ours")

INDEXING_PARENT = """
import sys, threading
from reader.index.updater import run_job
from reader.index.writer import Job
root, index_dir, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
paths = [(f"a{i}.md", f"a{i}.md") for i in range(n)]
told = threading.Event()
def progress(phase, done, total):  # the writer's first article ("scan" comes before
    if phase == "index" and done and not told.is_set():  # the writer has started)
        told.set()
        print("indexing", flush=True)
run_job(Job(index_dir, root, "UTC", paths, [], True, n, cache=index_dir + ".cache"), progress,
        threading.Event())
"""

SCANNING_PARENT = """
import multiprocessing, sys
from pathlib import Path
from reader.archive import Archive
from reader.config import Settings
root, data = sys.argv[1], sys.argv[2]
told = []
def progress(done, total):
    workers = [p.pid for p in multiprocessing.active_children() if "resource" not in p.name]
    if done and workers and not told:
        told.append(True)
        print(*workers, flush=True)
Archive.open(root, Settings(data_root=Path(data), config_path=Path(data, "none.toml"))).scan(progress)
"""


def articles(n: int, body: str = "Body.\n") -> dict[str, str]:
    return {f"a{i}.md": article_text(f"title {i}", body=body) for i in range(n)}


def start(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *args], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # the kill
    # leaves semaphores that multiprocessing's resource tracker reports there


def first_line(process: subprocess.Popen) -> str:
    ready, _, _ = select.select([process.stdout], [], [], LIMIT)
    if not ready:
        process.kill()
        pytest.fail("the parent printed nothing")
    return process.stdout.readline()


def kill_and_wait(parent: subprocess.Popen, children: list[int]) -> list[int]:
    """SIGKILL the parent alone; the children still running after LIMIT seconds."""
    pidfds = [os.pidfd_open(pid) for pid in children]
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    try:
        pending = list(pidfds)
        while pending:
            ready, _, _ = select.select(pending, [], [], LIMIT)
            if not ready:
                break
            pending = [fd for fd in pending if fd not in ready]
        return [pid for pid, fd in zip(children, pidfds) if fd in pending]
    finally:
        for fd in pidfds:
            os.close(fd)


def end(pids: list[int]) -> None:
    for pid in pids:  # the children of this test's own parent, if they outlived it
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_the_indexer_ends_with_its_parent_and_the_next_update_can_start(archive_factory,
                                                                       tmp_path):
    # indexed in seconds, far more than the moment between the first article and the kill;
    # by the writer alone (from PARALLEL_MIN, on a machine not loaded, half of it went to a
    # part writer, whose progress could come before the writer had claimed the index)
    n = PARALLEL_MIN - 1
    root = archive_factory(articles(n, "Body text of some length, for the indexer. " * 20))
    index_dir = tmp_path / "index"
    parent = start(INDEXING_PARENT, str(root), str(index_dir), str(n))
    assert first_line(parent) == "indexing\n"
    writer = int((index_dir / "writer.pid").read_text())
    left = kill_and_wait(parent, [writer])
    end(left)
    assert not left, "the indexer ran on after its parent was killed"
    manifest = load_manifest(index_dir)
    assert manifest is not None and not manifest.complete  # stopped early, work kept
    assert 0 < manifest.count < n
    claim_writer(index_dir)  # no "being updated by process N"
    release_writer(index_dir)


def test_scan_workers_end_with_their_parent(archive_factory, tmp_path):
    root = archive_factory(articles(2000))  # enough for worker processes
    parent = start(SCANNING_PARENT, str(root), str(tmp_path / "data"))
    workers = [int(pid) for pid in first_line(parent).split()]
    assert workers
    left = kill_and_wait(parent, workers)
    end(left)
    assert not left, "scan workers waited on after their parent was killed"
