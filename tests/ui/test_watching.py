"""The archive folder followed while the reader is open: new, edited and deleted files
reach the list, the tree, the open article and the index without a key; where the folder
cannot be watched, periodic rescans, said once in the status."""

from __future__ import annotations

import time

from reader.archive import watch
from tests.ui.conftest import article, run_app_test

WAIT = 30.0  # seconds at most for the watcher to see a change (it takes well under one)


def files() -> dict[str, str]:
    return {f"en/news/wire/{i:02d}.en.md": article(
        f"Wire story {i:02d}", f"2025-01-{1 + i:02d} 10:00:00", "Text.", categories=["wire"])
        for i in range(12)}


async def until(pilot, condition, what: str) -> None:
    """Let the app run until `condition()` holds: the watcher works in its own thread."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}; status {pilot.app.screen.status.parts}")
        await pilot.pause()


def titles(screen) -> list[str]:
    return [a.title for a in screen.article_list.rows]


def test_new_edited_and_deleted_files_show_without_a_key(make_app, archive_factory):
    root = archive_factory(files(), name="watched")
    app = make_app(root, watch=True)

    async def scenario(pilot, screen):
        await until(pilot, lambda: screen.watching.batches >= 1, "watching started")
        screen.set_focus(screen.article_list)
        await pilot.press("j", "j")
        await until(pilot, lambda: pilot.app.key_queue.idle
                    and screen.article_list.cursor == 2, "the cursor moved")
        under_cursor = screen.article_list.current
        (root / "en/news/wire/new.en.md").write_text(article(
            "Brand new zebrafish", "2025-02-01 10:00:00", "Zebrafish text.",
            categories=["fresh"]), encoding="utf-8")
        (root / "en/news/wire/03.en.md").write_text(article(
            "Edited story", "2025-01-04 10:00:00", "Text."), encoding="utf-8")
        (root / "en/news/wire/05.en.md").unlink()
        await until(pilot, lambda: "Brand new zebrafish" in titles(screen)
                    and "Edited story" in titles(screen)
                    and "Wire story 05" not in titles(screen), "the list shows the changes")
        assert screen.article_list.current.path == under_cursor.path  # the cursor stayed
        assert screen.services.counts[("category", "fresh")].total == 1
        assert "new" in " ".join(screen.status.parts.values())
        await until(pilot, lambda: not screen.background.indexing
                    and not screen.background.backlog, "the index took the batch")
        outcome = screen.services.search("zebrafish")
        assert [a for a in outcome.paths] == ["en/news/wire/new.en.md"]

    run_app_test(app, scenario)


def test_where_the_folder_cannot_be_watched_it_is_rescanned_and_the_status_says_so(
        make_app, archive_factory, monkeypatch):
    root = archive_factory(files(), name="polled")
    monkeypatch.setattr(watch, "_network_fs", lambda root: "nfs")
    app = make_app(root, watch=True, watch_poll_seconds=1)

    async def scenario(pilot, screen):
        await until(pilot, lambda: "watch" in screen.status.parts, "the notice")
        assert screen.status.parts["watch"] == "not watched: rescan every 1 s"
        (root / "en/news/wire/polled.en.md").write_text(article(
            "Found by a rescan", "2025-02-01 10:00:00", "Text."), encoding="utf-8")
        await until(pilot, lambda: "Found by a rescan" in titles(screen), "the rescan")

    run_app_test(app, scenario)


def test_watch_false_watches_nothing(make_app, archive_factory):
    root = archive_factory(files(), name="unwatched")
    app = make_app(root, watch=False)

    async def scenario(pilot, screen):
        assert not screen.watching.started
        assert not [w for w in app.workers if w.group == "watch"]

    run_app_test(app, scenario)


def _indexed(screen) -> bool:
    background = screen.background
    return (not background.indexing and not background.backlog
            and screen.status.parts.get("index") == "Index up to date")


def test_the_archive_folder_renamed_away_and_back_forgets_nothing(
        make_app, archive_factory, monkeypatch):
    """Missing is not deleted: the list stays, the status says so; back, the folder is
    watched again, nothing counts as new and nothing is indexed again."""
    monkeypatch.setattr(watch, "MISSING_POLL_SECONDS", 0.05, raising=False)
    root = archive_factory(files(), name="moved")
    app = make_app(root, watch=True)

    async def scenario(pilot, screen):
        await until(pilot, lambda: screen.watching.batches >= 1 and _indexed(screen), "index")
        shown = titles(screen)
        root.rename(root.with_name("away"))
        await until(pilot, lambda: screen.status.parts.get("watch") == "archive folder missing",
                    "the folder said missing")
        assert titles(screen) == shown and len(screen.services.articles) == 12
        batches = screen.watching.batches
        root.with_name("away").rename(root)
        await until(pilot, lambda: screen.watching.batches > batches
                    and "watch" not in screen.status.parts, "watched again")
        await until(pilot, lambda: _indexed(screen), "the index")
        assert titles(screen) == shown
        assert "new" not in " ".join(screen.status.parts.values())
        cache = screen.services.archive.cache
        assert (cache.to_index(), cache.to_unindex()) == ([], [])  # nothing indexed again
        (root / "en/news/wire/back.en.md").write_text(article(
            "Back again", "2025-02-01 10:00:00", "Text."), encoding="utf-8")
        await until(pilot, lambda: "Back again" in titles(screen), "a new file, watched")

    run_app_test(app, scenario)


def test_what_another_newsreader_scanned_first_still_reaches_the_screen(
        make_app, archive_factory, ui_settings):
    """`newsreader watch` on the same data dir stores each change before the reader's
    batch scans it (forced here: the other scans first): the reader still shows it."""
    from dataclasses import replace

    from reader.archive import Archive

    root = archive_factory(files(), name="shared")
    app = make_app(root, watch=True)
    other = Archive.open(root, replace(ui_settings, watch=True))

    async def scenario(pilot, screen):
        await until(pilot, lambda: screen.watching.batches >= 1 and _indexed(screen), "index")
        services = screen.services
        own = services.scan_paths
        services.scan_paths = lambda paths: (other.scan_paths(paths), own(paths))[1]
        (root / "en/news/burst").mkdir()
        for i in range(5):
            (root / f"en/news/burst/{i}.en.md").write_text(article(
                f"Platypus {i}", "2025-03-01 10:00:00", "Platypus text."), encoding="utf-8")
        await until(pilot, lambda: len(services.articles) == 17, "the burst listed")
        await until(pilot, lambda: _indexed(screen) and len(services.search("platypus").paths)
                    == 5, "the burst searchable")
        for i in range(5):
            (root / f"en/news/burst/{i}.en.md").unlink()
        await until(pilot, lambda: len(services.articles) == 12
                    and not any("Platypus" in t for t in titles(screen)), "the burst gone")
        await until(pilot, lambda: _indexed(screen) and not services.search("platypus").paths,
                    "no stale hits")

    try:
        run_app_test(app, scenario)
    finally:
        other.close()


def test_a_batch_goes_to_the_index_without_a_repr_of_it_on_the_event_loop(
        make_app, archive_factory, monkeypatch):
    """Textual describes a worker by repr() of its callable unless it is told a
    description: the index's callable holds the batch's delta and parsed bodies, whose
    repr at a burst of 1,000 files is megabytes (0.1 s of the event loop)."""
    from reader.archive.model import Delta

    described: list[Delta] = []
    monkeypatch.setattr(Delta, "__repr__", lambda delta: described.append(delta) or "Delta")
    root = archive_factory(files(), name="described")
    app = make_app(root, watch=True)

    async def scenario(pilot, screen):
        await until(pilot, lambda: screen.watching.batches >= 1, "watching started")
        (root / "en/news/wire/new.en.md").write_text(article(
            "Brand new zebrafish", "2025-02-01 10:00:00", "Zebrafish text."), encoding="utf-8")
        await until(pilot, lambda: "Brand new zebrafish" in titles(screen)
                    and not screen.background.indexing and not screen.background.backlog,
                    "the batch listed and indexed")
        assert screen.services.search("zebrafish").paths == ["en/news/wire/new.en.md"]
        assert not described

    run_app_test(app, scenario)


def test_the_status_never_says_up_to_date_while_a_batch_waits_for_the_index(make_app):
    """The attack's D3: a burst arrived during an index update; the update ended with
    "Index up to date" for seconds while the burst was still to be indexed."""
    from reader.archive.model import Delta, ScanResult
    from reader.ui.messages import Indexed
    from tests.ui.conftest import settle

    async def scenario(pilot, screen):
        background = screen.background
        edited = screen.services.articles[0]
        background.indexing = True  # an update under way: the batch waits in the backlog
        background.index_changes(ScanResult(delta=Delta(changed=(edited,))))
        assert screen.status.parts["index"] == "Indexing…"
        background.indexed(Indexed("Index up to date"))  # the update under way ends
        assert screen.status.parts["index"] == "Indexing…"  # the batch is taken next
        await settle(pilot)
        assert screen.status.parts["index"] == "Index up to date"

    run_app_test(make_app(), scenario)
