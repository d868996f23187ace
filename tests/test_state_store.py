"""The state store: marks persisted at once, keyed by path, bulk marks, undo, is: flags."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
from datetime import datetime, timedelta, timezone

import pytest

from reader.state import UNDO_DEPTH, StateError, StateStore
from test_state_support import PYTHON, START, child_env, make_article, make_articles


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "data" / "archive-1" / "state.sqlite3"


@pytest.fixture
def store(store_path):
    with StateStore.open(store_path) as s:
        yield s


def raw_marks(path):
    """What is committed in the file, read through a separate plain connection."""
    con = sqlite3.connect(path)
    try:
        return {row[0]: row[1:] for row in con.execute("SELECT path, read, starred FROM marks")}
    finally:
        con.close()


def test_new_store_is_wal_and_empty(store, store_path):
    assert store_path.exists()
    con = sqlite3.connect(store_path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    assert store.read_set() == set() and store.starred_set() == set()
    assert not store.is_read("x.md") and not store.is_starred("x.md")


def test_every_mark_is_committed_at_once(store, store_path):
    store.mark_read(["a.md"])
    assert raw_marks(store_path)["a.md"] == (1, 0)
    store.toggle_star("b.md")
    assert raw_marks(store_path)["b.md"] == (0, 1)
    store.set_starred("a.md", True)
    store.mark_read(["a.md"], read=False)
    assert raw_marks(store_path)["a.md"] == (0, 1)


def test_another_process_sees_each_mark_immediately(store, store_path):
    code = ("import sys; from reader.state import StateStore\n"
            "s = StateStore.open(sys.argv[1]); print(sorted(s.read_set()), sorted(s.starred_set()))")
    store.mark_read(["one.md"])
    store.toggle_star("two.md")
    out = subprocess.run([PYTHON, "-c", code, str(store_path)], capture_output=True, text=True,
                         env=child_env(), check=True, timeout=60).stdout
    assert out.strip() == "['one.md'] ['two.md']"


def test_times_of_each_change_are_kept(store):
    before = datetime.now(timezone.utc)
    store.mark_read(["a.md"])
    store.toggle_star("a.md")
    mark = store.mark("a.md")
    assert mark.read and mark.starred
    assert before <= mark.read_at <= mark.starred_at <= datetime.now(timezone.utc)
    assert store.mark("never.md").read_at is None


def test_marking_what_is_already_so_changes_nothing(store):
    assert store.mark_read(["a.md", "b.md"]) == 2
    first = store.mark("a.md").read_at
    assert store.mark_read(["a.md", "b.md", "c.md"]) == 1
    assert store.mark("a.md").read_at == first
    assert store.set_starred("a.md", False) is False


def test_toggle_star_flips_and_reports(store):
    assert store.toggle_star("a.md") is True
    assert store.is_starred("a.md")
    assert store.toggle_star("a.md") is False
    assert store.starred_set() == set()


def test_titles_and_links_are_kept_beside_marks(store):
    article = make_article("x/1.md", title="Headline", link="https://example.org/1")
    store.mark_read([article])
    assert (store.mark("x/1.md").title, store.mark("x/1.md").link) == ("Headline",
                                                                       "https://example.org/1")
    store.mark_read(["y.md", "z.md"], articles=[make_article("y.md", title="Why")])
    assert store.mark("y.md").title == "Why" and store.mark("z.md").title == ""


def test_duplicate_titles_and_links_never_share_state(store):
    twins = [make_article(f"content/en/news/s/{i}.en.md", title="Same title",
                          link="https://example.org/same") for i in range(3)]
    store.mark_read([twins[0]])
    store.toggle_star(twins[1].path, twins[1])
    assert [store.is_read(a.path) for a in twins] == [True, False, False]
    assert [store.is_starred(a.path) for a in twins] == [False, True, False]


def test_marks_follow_relative_paths_when_the_archive_folder_moves(tmp_path):
    """The key is the path inside the archive: a moved archive whose data dir comes with it
    (the archive layer's job) finds every mark; rebuilding cache or index touches nothing here."""
    old = tmp_path / "old-data" / "state.sqlite3"
    articles = make_articles(20)
    with StateStore.open(old) as store:
        store.mark_read([a.path for a in articles[:5]])
        store.toggle_star(articles[7].path)
    new = tmp_path / "moved" / "elsewhere" / "state.sqlite3"
    new.parent.mkdir(parents=True)
    shutil.move(str(old.parent), str(new.parent.parent / "data"))
    with StateStore.open(new.parent.parent / "data" / "state.sqlite3") as store:
        assert store.read_set() == {a.path for a in articles[:5]}
        assert store.starred_set() == {articles[7].path}


def test_closed_store_refuses_with_a_clear_error(store_path):
    store = StateStore.open(store_path)
    store.close()
    with pytest.raises(StateError, match="closed"):
        store.is_read("a.md")


def test_threads_share_one_store(store):
    paths = [[f"t{t}/{i}.md" for i in range(200)] for t in range(4)]
    errors = []

    def work(mine):
        try:
            for p in mine:
                store.mark_read([p])
                store.is_read(p)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(p,)) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.read_set() == {p for mine in paths for p in mine}


# -- bulk marks -----------------------------------------------------------------------

ARTICLES = make_articles(300)


@pytest.mark.parametrize("criteria", [
    {"category": "finance"}, {"tag": "oil"}, {"lang": "zh-HK"}, {"source": "caixin"},
    {"before": START + timedelta(days=30)},
    {"paths": {a.path for a in ARTICLES[::7]}},  # a search result
    {},  # everything
], ids=["category", "tag", "language", "source", "older-than", "search-result", "all"])
def test_bulk_mark_of_each_kind_is_one_change(store, criteria):
    chosen = [a.path for a in ARTICLES if _matches(a, criteria)]
    assert len(chosen) > 1
    store.mark_read([ARTICLES[0].path])  # a single mark before: not undoable
    assert store.mark_read(chosen, articles=ARTICLES) == len(set(chosen) - {ARTICLES[0].path})
    assert store.read_set() == set(chosen) | {ARTICLES[0].path}
    assert store.last_bulk_change().count == len(set(chosen) - {ARTICLES[0].path})


def _matches(a, c):
    return (("category" not in c or c["category"] in a.categories)
            and ("tag" not in c or c["tag"] in a.tags)
            and ("lang" not in c or a.lang == c["lang"])
            and ("source" not in c or a.source == c["source"])
            and ("before" not in c or a.date < c["before"])
            and ("paths" not in c or a.path in c["paths"]))


def test_bulk_star_and_unstar(store):
    paths = [a.path for a in ARTICLES if "gold" in a.tags]
    assert store.mark_starred(paths) == len(paths)
    assert store.starred_set() == set(paths)
    assert store.mark_starred(paths, starred=False) == len(paths)
    assert store.starred_set() == set()


# -- undo -----------------------------------------------------------------------------

def test_undo_restores_the_last_bulk_change_only(store):
    store.mark_read(["keep.md"])
    store.mark_read(["a.md", "b.md"])
    store.mark_read(["c.md", "d.md", "keep.md"])
    assert store.undo().restored == 2
    assert store.read_set() == {"keep.md", "a.md", "b.md"}
    assert store.undo().restored == 2
    assert store.read_set() == {"keep.md"}
    assert store.undo() is None  # a single mark is not undoable unless asked
    assert store.read_set() == {"keep.md"}


def test_undo_survives_a_restart(store_path):
    with StateStore.open(store_path) as store:
        store.mark_read([a.path for a in ARTICLES])
    with StateStore.open(store_path) as store:
        assert store.last_bulk_change().count == len(ARTICLES)
        assert store.undo().restored == len(ARTICLES)
        assert store.read_set() == set()


def test_undo_leaves_later_changes_alone(store):
    store.mark_read(["a.md", "b.md", "c.md"])
    store.mark_read(["b.md"], read=False)
    store.toggle_star("c.md")
    undone = store.undo()
    assert (undone.restored, undone.left) == (2, 1)  # a.md and c.md; b.md was changed since
    assert store.read_set() == set()
    assert store.starred_set() == {"c.md"}
    assert store.mark("a.md").read_at is None  # back to no mark: no time, as never marked


def test_times_beyond_a_datetime_read_back_clamped(store, store_path):
    """A file may hold any integer as a time (an older import let such times in)."""
    store.mark_read(["a.md", "b.md"])
    con = sqlite3.connect(store_path)
    with con:
        con.execute("UPDATE marks SET read_at = ?, star_at = ?", (2**63 - 1, -2**63))
        con.execute("UPDATE bulk_changes SET at = ?", (2**63 - 1,))
    con.close()
    mark = store.mark("a.md")
    assert mark.read and mark.read_at.year == 9999 and mark.starred_at.year == 1
    assert store.last_bulk_change().at == mark.read_at
    mark.read_at.astimezone(timezone(timedelta(hours=14)))  # shown in any zone
    store.mark_read(["a.md"], read=False)
    assert store.mark("a.md").read_at <= datetime.now(timezone.utc)  # a new mark replaces it


def test_undo_of_a_mark_unread_restores_read(store):
    store.mark_read(["a.md", "b.md"])
    store.mark_read(["a.md", "b.md", "c.md"], read=False)
    assert store.undo().restored == 2
    assert store.read_set() == {"a.md", "b.md"}


def test_undoable_flag_overrides_the_default(store):
    store.mark_read(["one.md"], undoable=True, label="mark category read")
    assert store.last_bulk_change().label == "mark category read"
    store.mark_read(["x.md", "y.md"], undoable=False)
    assert store.undo().restored == 1
    assert store.read_set() == {"x.md", "y.md"}


def test_undo_log_keeps_a_bounded_depth(store):
    for i in range(UNDO_DEPTH + 3):
        store.mark_read([f"{i}a.md", f"{i}b.md"])
    undone = 0
    while store.undo():
        undone += 1
    assert undone == UNDO_DEPTH
    assert len(store.read_set()) == 6


# -- is: flags ------------------------------------------------------------------------

def test_is_filters_of_the_query_language_come_from_the_store(store, archive_factory, settings):
    from conftest import article_text

    from reader.archive import Archive
    from reader.index import SearchIndex, index_dir_of, update_index

    files = {f"a{i}.md": article_text(f"gold story {i}") for i in range(6)}
    archive = Archive.open(archive_factory(files), settings)
    assert update_index(archive).added == 6
    index = SearchIndex.open(index_dir_of(archive))
    try:
        store.mark_read(["a0.md", "a1.md"])
        store.toggle_star("a1.md")
        store.toggle_star("a4.md")

        def paths(query):
            return sorted(h.path for h in index.search(query, limit=0, state=store).hits)

        assert paths("gold is:read") == ["a0.md", "a1.md"]
        assert paths("gold is:unread") == ["a2.md", "a3.md", "a4.md", "a5.md"]
        assert paths("is:starred") == ["a1.md", "a4.md"]
        assert paths("is:starred -is:read") == ["a4.md"]
        store.mark_read(["a4.md"])  # a change shows at the next search
        assert paths("is:starred is:read") == ["a1.md", "a4.md"]
    finally:
        index.close()
