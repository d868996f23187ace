"""A big change's signatures made by worker processes (reader/stories/signing.py): the
same signatures as those made here, in the same batches and order; the same stories; a
worker that dies leaves the rest to this thread; a quit stops between chunks."""

from __future__ import annotations

import os
import signal

import pytest

from reader.session.stories import Stories
from reader.stories import signing
from reader.stories.signing import Signer
from reader.stories.store import SignatureStore
from tests.test_stories import ARTICLES, article

FILLERS = 240  # (with ARTICLES: over signing.POOL_FROM, a change the workers make)


def _many():
    """ARTICLES and enough others (each its own words, a day apart) for the workers."""
    articles = {p: a for p, (a, _) in ARTICLES.items()}
    bodies = {p: body for p, (_, body) in ARTICLES.items()}
    for i in range(FILLERS):
        path = f"g/{i:03d}.md"
        articles[path] = article(path, f"Report number {i} on matter {i * 7}", i % 9)
        bodies[path] = " ".join(f"w{i}x{j}" for j in range(60))
    return list(articles.values()), bodies


def _body(bodies):
    return lambda a: bodies[a.path]


@pytest.fixture
def signer():
    made = Signer(workers=2)
    yield made
    made.close()


def test_the_workers_make_the_same_signatures_in_the_same_batches(signer):
    articles, bodies = _many()
    assert len(articles) >= signing.POOL_FROM and signer.workers == 2
    here = list(Signer().batches(articles, _body(bodies), size=100))
    there = list(signer.batches(articles, _body(bodies), size=100))
    assert signer._pool is not None and not signer.broken  # (made there, not here)
    assert [len(b) for b in there] == [len(b) for b in here] == [100, 100, 46]
    assert there == here


def test_stories_grouped_by_the_workers_are_those_grouped_here(tmp_path, signer):
    articles, bodies = _many()
    here = Stories.build(articles, lambda a: bodies[a.path], SignatureStore.in_memory())
    there = Stories.build(articles, lambda a: bodies[a.path],
                          SignatureStore(tmp_path / "s.sqlite3"), signer=signer)
    assert signer._pool is not None
    assert here.story_of("b/hk.md").members == ("a/zh.md", "b/hk.md", "f/copy.md")
    assert ({p: s.members for p, s in there.view.items()}
            == {p: s.members for p, s in here.view.items()})


def test_a_worker_that_dies_leaves_the_rest_to_this_thread(signer, monkeypatch):
    articles, bodies = _many()
    signer.warm()
    pids = list(signer._pool._processes)  # (CPython's: the workers' pids)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    made = [m for batch in signer.batches(articles, _body(bodies)) for m in batch]
    assert signer.broken and len(made) == len(articles)
    assert made == [m for b in Signer().batches(articles, _body(bodies)) for m in b]


def test_a_quit_stops_between_chunks_and_says_so(signer):
    articles, bodies = _many()
    read = []

    def body_of(a):
        read.append(a.path)
        return bodies[a.path]

    batches = signer.batches(articles, body_of, stopped=lambda: len(read) >= 120, size=50)
    out = list(batches)
    assert out[-1] is None and all(b is not None for b in out[:-1])
    assert len(read) <= 120 + 1  # no body read once stopped (the look is before each)
    assert sum(map(len, out[:-1])) < 120


def test_a_small_change_is_made_here_and_starts_no_worker():
    signer = Signer(workers=2)
    articles, bodies = _many()
    small = articles[:signing.POOL_FROM - 1]
    assert sum(map(len, signer.batches(small, _body(bodies)))) == len(small)
    assert signer._pool is None


def test_workers_that_cannot_start_leave_the_work_to_this_thread(signer, monkeypatch):
    """A process limit reached: spawning a worker (at a submit) raises OSError; the
    signatures are made here, and a warm start says nothing."""
    from concurrent.futures import ProcessPoolExecutor

    def refused(self, *args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(ProcessPoolExecutor, "submit", refused)
    signer.warm()
    articles, bodies = _many()
    made = [m for batch in signer.batches(articles, _body(bodies)) for m in batch]
    assert signer.broken and len(made) == len(articles)
