"""Marks survive `kill -9` at any moment, and several processes write at once safely."""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import traceback

import pytest

from reader.state import StateStore
from test_state_support import PYTHON, child_env

BULK = 20_000
SINGLES = 25

# The child marks SINGLES articles one by one, stars one, then marks BULK articles read in
# one call.  A sqlite progress handler, armed only during that bulk call, counts callbacks;
# at callback number `stop` the child says "mid" and blocks (reading stdin) inside the
# open transaction, so the parent kills it there.  stop = -1: count the callbacks, finish,
# and report the total; stop = 0: say "done" after the bulk call returned, then block.
CHILD = r"""
import sys
from reader.state import StateStore, schema, store as store_mod

path, stop = sys.argv[1], int(sys.argv[2])
calls, armed = 0, False

def on_progress():
    global calls
    if armed:
        calls += 1
        if calls == stop:
            print("mid", flush=True)
            sys.stdin.readline()
    return 0

def connect(p):
    con = plain_connect(p)
    con.set_progress_handler(on_progress, 500)
    return con

plain_connect = schema.connect
schema.connect = store_mod.connect = connect
store = StateStore.open(path)
for i in range(%(singles)d):
    store.mark_read([f"single/{i}.md"])
store.toggle_star("single/0.md")
print("singles", flush=True)
armed = True
store.mark_read([f"bulk/{i}.md" for i in range(%(bulk)d)])
armed = False
print("done", calls, flush=True)
if stop == 0:
    sys.stdin.readline()
""" % {"singles": SINGLES, "bulk": BULK}


def run_child(path, stop):
    return subprocess.Popen([PYTHON, "-c", CHILD, str(path), str(stop)], env=child_env(),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def progress_calls_of_bulk(path):
    child = run_child(path, -1)
    out, _ = child.communicate(timeout=120)
    assert child.returncode == 0
    return int(out.split()[-1])


def assert_whole_or_none(path, expect_bulk):
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    with StateStore.open(path) as store:
        read = store.read_set()
        singles = {f"single/{i}.md" for i in range(SINGLES)}
        bulk = {f"bulk/{i}.md" for i in range(BULK)}
        assert read == (singles | bulk if expect_bulk else singles)
        assert store.starred_set() == {"single/0.md"}
        assert store.mark_read(["after.md", "kill.md"]) == 2  # no lock left behind


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_sigkill_in_the_middle_of_a_bulk_mark_loses_only_that_change(tmp_path, where):
    total = progress_calls_of_bulk(tmp_path / "count.sqlite3")
    assert total >= 3
    stop = {"first": 1, "middle": total // 2, "last": total - 1}[where]
    path = tmp_path / "state.sqlite3"
    child = run_child(path, stop)
    try:
        assert child.stdout.readline().strip() == "singles"
        assert child.stdout.readline().strip() == "mid"
    finally:
        child.kill()  # SIGKILL, while the child sits inside the bulk transaction
        child.wait(timeout=60)
    assert child.returncode == -9
    assert_whole_or_none(path, expect_bulk=False)


def test_sigkill_right_after_a_bulk_mark_keeps_all_of_it(tmp_path):
    path = tmp_path / "state.sqlite3"
    child = run_child(path, 0)
    try:
        assert child.stdout.readline().strip() == "singles"
        assert child.stdout.readline().startswith("done")
    finally:
        child.kill()
        child.wait(timeout=60)
    assert_whole_or_none(path, expect_bulk=True)


MARKER = r"""
import sys
from reader.state import StateStore
store = StateStore.open(sys.argv[1])
i = 0
while True:
    store.mark_read([f"{i}.md"])
    print(i, flush=True)
    i += 1
"""


def test_sigkill_at_any_moment_loses_at_most_the_mark_in_flight(tmp_path):
    path = tmp_path / "state.sqlite3"
    child = subprocess.Popen([PYTHON, "-c", MARKER, str(path)], env=child_env(),
                             stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(40):
            confirmed = int(child.stdout.readline())
    finally:
        child.kill()  # wherever the child is now: between marks or inside one
        child.wait(timeout=60)
    with StateStore.open(path) as store:
        read = store.read_set()
    numbers = sorted(int(p[:-3]) for p in read)
    assert numbers == list(range(len(numbers)))  # no hole: every mark before the last is kept
    assert len(numbers) >= confirmed + 1


# -- several processes at once --------------------------------------------------------

WORKERS = 3
TOGGLES = 101


def run_at_once(target, path, count):
    """Run target(path, n, barrier, failures) in `count` processes released together;
    fail with every child's traceback."""
    ctx = multiprocessing.get_context("fork")
    barrier, failures = ctx.Barrier(count), ctx.Queue()
    procs = [ctx.Process(target=target, args=(path, n, barrier, failures)) for n in range(count)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=240)
    errors = [failures.get() for _ in range(failures.qsize())] if not failures.empty() else []
    assert not errors, "\n".join(errors)
    assert [p.exitcode for p in procs] == [0] * count


def worker(path, n, barrier, failures):
    try:
        barrier.wait(timeout=60)
        with StateStore.open(path) as store:  # the first opener creates the file: a race too
            for i in range(60):
                store.mark_read([f"w{n}/single/{i}.md"])
                store.toggle_star("shared.md")
                if i % 10 == 0:
                    store.read_set()  # a reader's refresh between writes
            for b in range(10):
                store.mark_read([f"w{n}/bulk{b}/{i}.md" for i in range(200)])
            for _ in range(TOGGLES - 60):
                store.toggle_star("shared.md")
    except BaseException:  # noqa: BLE001 - the parent asserts on it
        failures.put(traceback.format_exc())


def test_processes_writing_at_once_lose_nothing_and_never_see_locked(tmp_path):
    path = tmp_path / "fresh" / "state.sqlite3"
    run_at_once(worker, path, WORKERS)
    with StateStore.open(path) as store:
        read = store.read_set()
        assert len(read) == WORKERS * (60 + 10 * 200)
        assert {f"w{n}/bulk9/199.md" for n in range(WORKERS)} <= read
        # every toggle counted: an odd total of flips leaves the article starred
        assert store.is_starred("shared.md") == bool(WORKERS * TOGGLES % 2)


def opener(path, n, barrier, failures):
    try:
        barrier.wait(timeout=60)
        with StateStore.open(path) as store:
            store.mark_read([f"{n}.md"])
    except BaseException:  # noqa: BLE001 - the parent asserts on it
        failures.put(traceback.format_exc())


@pytest.mark.parametrize("round_", range(4))
def test_many_processes_creating_the_store_at_once(tmp_path, round_):
    """Nobody sees a half-created file as damaged, nobody fails with "locked"."""
    path = tmp_path / "new" / "state.sqlite3"
    run_at_once(opener, path, 6)
    assert not list(path.parent.glob("*.corrupt-*"))
    with StateStore.open(path) as store:
        assert store.read_set() == {f"{n}.md" for n in range(6)}
