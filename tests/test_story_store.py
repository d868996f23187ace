"""Stories stored (reader/stories/store.py, reader/session/stories.py): a warm start
whose files are unchanged loads the stories and groups nothing; what changes is grouped
against the stored grouping (no pair matched again) and stored as it changes."""

from __future__ import annotations

import threading
from pathlib import Path
from dataclasses import replace

import pytest

from reader.archive.model import Delta
from reader.session.stories import Stories
from reader.stories import grouping
from reader.stories.store import SignatureStore
from tests.test_stories import ARTICLES, OTHER, article, build

ALL = [a for a, _ in ARTICLES.values()]
BODIES = {p: body for p, (_, body) in ARTICLES.items()}


def _never(article):
    raise AssertionError(f"{article.path} read again")


@pytest.fixture
def stored(tmp_path):
    build(ARTICLES, SignatureStore(tmp_path / "s.sqlite3")).close()
    return tmp_path / "s.sqlite3"


def test_a_warm_start_loads_the_stories_and_matches_no_pair(stored, monkeypatch):
    monkeypatch.setattr(grouping, "match", lambda *a: pytest.fail("a pair matched"))
    monkeypatch.setattr(SignatureStore, "signatures",
                        lambda self: pytest.fail("signatures loaded"))
    again = Stories.build(ALL, _never, SignatureStore(stored))
    assert again.story_of("b/hk.md").members == ("a/zh.md", "b/hk.md", "f/copy.md")
    assert again.story_of("b/hk.md").why["f/copy.md"] == "exact copy"
    assert again.story_of("e/en.md") is None and len(again.all()) == 2


def test_a_command_reads_only_its_hits_stories_whole_and_read_only(tmp_path, monkeypatch):
    from reader.stories import store

    build(ARTICLES, SignatureStore.in_dir(tmp_path)).close()
    monkeypatch.setattr(store, "_MARKS", 1)  # one path a statement: a story over two
    read = store.SignatureStore.read_only(tmp_path)
    assert read is not None
    assert read.stories_of(["b/hk.md", "f/copy.md", "e/en.md"]) == \
        {n: m for n, m in read.stories().items() if any(p == "b/hk.md" for p, _, _ in m)}
    stories = Stories(_never, read)
    assert stories.load_stored(["d/en.md", "e/en.md"])
    assert stories.story_of("c/en.md").members == ("c/en.md", "d/en.md")
    assert stories.story_of("a/zh.md") is None and len(stories.all()) == 1
    monkeypatch.setattr(store, "VERSION", "older")  # the next writer makes it anew
    assert store.SignatureStore.read_only(tmp_path) is None


def test_a_file_arriving_after_a_warm_start_joins_its_story_without_regrouping(stored):
    again = Stories.build(ALL, _never, SignatureStore(stored))
    calls = []
    real = grouping.match
    grouping.match = lambda a, b, w: calls.append((a.path, b.path)) or real(a, b, w)
    try:
        new = article("g/again.md", "英伟达财报超预期", 3)
        again.apply(Delta(added=(new,)), {new.path: BODIES["a/zh.md"]})
    finally:
        grouping.match = real
    assert all(a == "g/again.md" for a, _ in calls)  # only the newcomer is matched
    assert len(again.story_of("a/zh.md")) == 4
    third = Stories.build([*ALL, new], _never, SignatureStore(stored))
    assert len(third.story_of("g/again.md")) == 4  # stored as it changed


def test_a_deleted_copy_leaves_its_story_in_the_store_too(stored):
    again = Stories.build(ALL, _never, SignatureStore(stored))
    again.apply(Delta(removed=("d/en.md",)))
    assert again.story_of("c/en.md") is None
    left = [a for a in ALL if a.path != "d/en.md"]
    third = Stories.build(left, _never, SignatureStore(stored))
    assert third.story_of("c/en.md") is None and len(third.all()) == 1


def test_files_changed_while_the_reader_was_closed_are_grouped_at_the_next_start(stored):
    edited = replace(ARTICLES["f/copy.md"][0], mtime=99.0, title="Storm cuts coast's power")
    articles = [a for a in ALL if a.path != "f/copy.md"] + [edited]
    bodies = BODIES | {"f/copy.md": OTHER + " Later."}
    again = Stories.build(articles, lambda a: bodies[a.path], SignatureStore(stored))
    assert again.story_of("a/zh.md").members == ("a/zh.md", "b/hk.md")
    assert again.story_of("f/copy.md").members == ("e/en.md", "f/copy.md")  # its new text
    third = Stories.build(articles, _never, SignatureStore(stored))
    assert third.story_of("f/copy.md").members == ("e/en.md", "f/copy.md")


def test_a_grouping_cut_short_is_taken_up_where_it_stopped(tmp_path, monkeypatch):
    import threading

    from reader.session import stories as session_stories

    monkeypatch.setattr(session_stories, "_BATCH", 2)
    cancel = threading.Event()
    path = tmp_path / "s.sqlite3"
    Stories.build(ALL, lambda a: BODIES[a.path], SignatureStore(path),
                  progress=lambda done, total: cancel.set(), cancel=cancel).close()
    assert len(SignatureStore(path).stamps()) == 2  # the first batch, with its stories
    read = []
    again = Stories.build(ALL, lambda a: read.append(a.path) or BODIES[a.path],
                          SignatureStore(path))
    assert len(read) == len(ALL) - 2  # the rest, not the first batch again
    assert sorted(s.members for s in again.all()) == sorted(s.members for s in build(ARTICLES).all())


def test_a_grouping_resumed_counts_what_was_grouped_before_as_done(tmp_path, monkeypatch):
    """After a first open cut short it said 'grouping stories 4,000/26,000' beside 29,700
    articles listed: the progress counts the whole catalog, as the index's and the scan's."""
    import threading

    from reader.session import stories as session_stories

    monkeypatch.setattr(session_stories, "_BATCH", 2)
    cancel = threading.Event()
    path = tmp_path / "s.sqlite3"
    Stories.build(ALL, lambda a: BODIES[a.path], SignatureStore(path),
                  progress=lambda done, total: cancel.set(), cancel=cancel).close()
    reports = []
    Stories.build(ALL, lambda a: BODIES[a.path], SignatureStore(path),
                  progress=lambda done, total: reports.append((done, total))).close()
    assert reports == [(4, 6), (6, 6)]  # not (2, 4), (4, 4)


def test_stories_of_another_window_are_grouped_anew_from_the_signatures(stored):
    again = Stories.build(ALL, _never, SignatureStore(stored), window_days=1)
    assert again.story_of("a/zh.md").members == ("a/zh.md", "b/hk.md")  # f/copy.md: day 2
    assert SignatureStore(stored).grouped() == 1.0


def test_stories_grouped_by_older_rules_are_grouped_anew_from_the_signatures(stored):
    import sqlite3

    db = sqlite3.connect(stored)  # as rules 1 left it: the window only, and its stories
    with db:
        db.execute("UPDATE settings SET value = '14.0' WHERE name = 'grouped'")
        db.execute("DELETE FROM stories")  # (so that only a regroup finds them again)
    db.close()
    assert SignatureStore(stored).grouped() is None
    again = Stories.build(ALL, _never, SignatureStore(stored))  # no file read
    assert again.story_of("b/hk.md").members == ("a/zh.md", "b/hk.md", "f/copy.md")
    assert SignatureStore(stored).grouped() == 14.0


def test_a_store_of_version_2_is_taken_over_with_its_signatures_and_stories(stored):
    import sqlite3

    db = sqlite3.connect(stored)  # back to version 2's tables: keyed by path, no bands
    with db:
        db.execute("DROP TABLE bands")
        db.execute("CREATE TABLE old AS SELECT path, size, mtime, date, source, exact, "
                   "title, minhash, shingles, lead, length FROM signatures")
        db.execute("DROP TABLE signatures")
        db.execute("ALTER TABLE old RENAME TO signatures")
        db.execute("UPDATE settings SET value = '2' WHERE name = 'version'")
    db.close()
    again = Stories.build(ALL, _never, SignatureStore(stored))
    assert len(again.story_of("a/zh.md")) == 3
    new = article("g/again.md", "英伟达财报超预期", 3)
    again.apply(Delta(added=(new,)), {new.path: BODIES["a/zh.md"]})  # found by its bands
    assert len(again.story_of("a/zh.md")) == 4


def test_the_first_change_after_a_warm_start_loads_no_signature_but_its_candidates(
        stored, monkeypatch):
    """The grouper is the store: a new file's candidates are one query, so the first
    change after a warm start builds nothing (it built an LSH index of every signature:
    6-9 s of CPU at 100,000 articles, holding the GIL)."""
    monkeypatch.setattr(SignatureStore, "signatures",
                        lambda self: pytest.fail("every signature loaded"))
    monkeypatch.setattr(SignatureStore, "load", lambda self: pytest.fail("every one loaded"))
    again = Stories.build(ALL, _never, SignatureStore(stored))
    new = article("g/again.md", "Central bank holds rates, signals two cuts", 1.5)
    again.apply(Delta(added=(new,)), {new.path: BODIES["d/en.md"]})
    assert again.story_of("g/again.md").members == ("c/en.md", "d/en.md", "g/again.md")
    again.apply(Delta(removed=("c/en.md", "d/en.md")))
    assert again.story_of("g/again.md") is None


def test_a_held_change_is_stored_at_settle_and_its_stories_are_staged_before(stored):
    """A burst's stories are staged with their transaction held open, so the commit
    (0.1 s a 500 signatures at 100k) comes after the screen has them: nothing of it is
    in the file before `settle`, all of it after, and the store is the next change's."""
    stories = Stories(lambda a: BODIES[a.path], SignatureStore(stored))
    stories.load_stored()
    copy = replace(ARTICLES["c/en.md"][0], path="g/en.md")
    BODIES["g/en.md"] = BODIES["c/en.md"]
    try:
        staged = stories.stage(Delta(added=(copy,)), {"g/en.md": BODIES["c/en.md"]},
                               hold=True)
        assert staged is not None and "g/en.md" in staged.view["c/en.md"].members
        assert SignatureStore.read_only_file(stored).signature("g/en.md") is None
        stories.settle()
        assert SignatureStore.read_only_file(stored).signature("g/en.md") is not None
        gone = threading.Thread(target=lambda: (  # another thread: the store is free again
            stories.stage(Delta(removed=("g/en.md",)), hold=True), stories.settle()))
        gone.start()
        gone.join(30)
        assert not gone.is_alive()
        assert SignatureStore.read_only_file(stored).signature("g/en.md") is None
    finally:
        BODIES.pop("g/en.md")
        stories.close()


def test_an_error_in_a_held_change_stores_none_of_it_and_frees_the_store(stored,
                                                                         monkeypatch):
    stories = Stories(lambda a: BODIES[a.path], SignatureStore(stored))
    stories.load_stored()
    copy = replace(ARTICLES["e/en.md"][0], path="h/en.md")

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(grouping.StoryGrouper, "regroup", broken)
    with pytest.raises(OSError):
        stories.stage(Delta(added=(copy,)), {"h/en.md": OTHER}, hold=True)
    monkeypatch.undo()
    assert SignatureStore.read_only_file(stored).signature("h/en.md") is None

    def next_change():  # on another thread: it waited for ever if the store stayed held
        stories.stage(Delta(added=(copy,)), {"h/en.md": OTHER}, hold=True)
        stories.settle()

    worker = threading.Thread(target=next_change)
    worker.start()
    worker.join(30)
    assert not worker.is_alive()
    assert SignatureStore.read_only_file(stored).signature("h/en.md") is not None
    stories.close()


def test_the_store_s_writer_keeps_a_page_cache_for_the_band_keys(tmp_path):
    """Grouping reads and writes band keys at random: with SQLite's default 2 MB cache a
    1,000-file burst at 100,000 articles was staged in 1.2-1.3 s, in 0.8-1.0 s with 64 MB
    (benchmarks: bench_live)."""
    from reader.stories.store import CACHE_KB

    store = SignatureStore(tmp_path / "stories.sqlite3")
    assert store._db.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KB
    assert 16_384 <= CACHE_KB <= 65_536  # (bounded: private memory)
    store.close()


def test_warm_stories_have_the_grouping_imported_and_workers_only_when_asked(tmp_path):
    """The first file to arrive after a warm start paid the grouping's imports (70 ms)."""
    import subprocess
    import sys

    code = ("import sys; from reader.session.stories import Stories; "
            "s = Stories(lambda a: '', None); assert 'reader.stories.grouping' not in "
            "sys.modules; s.warm(workers=False); "
            "print('reader.stories.grouping' in sys.modules, s.signer._pool is None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True).stdout
    assert out.split() == ["True", "True"]
