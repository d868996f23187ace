"""An article deleted on disk and then restored (the same file written back) is live
again: its row, its counts and the open article (no longer marked as gone); and it is
not counted as new, so the status's "N new" agrees with the New node."""

from __future__ import annotations

from reader.session.listing import ALL
from reader.state.groups import NEW
from tests.ui.conftest import article, press, run_app_test

OPEN = "en/news/wire/005.en.md"


def files(count: int = 12) -> dict[str, str]:
    return {f"en/news/wire/{i:03d}.en.md": article(
        f"Wire story {i:03d}", f"2025-01-{1 + i:02d} 10:00:00", "Text of the story.",
        categories=["wire"]) for i in range(count)}


def header(screen) -> str:
    return str(screen.article_pane.query_one("#article-header").render())


async def open_then_delete(pilot, screen, root):
    """Open OPEN (the cursor on it), delete its file and rescan: it is shown as gone."""
    rows = screen.article_list
    screen.set_focus(rows)
    await press(pilot, *["j"] * rows.rows.index(screen.services.by_path[OPEN]), "enter")
    assert rows.current.path == OPEN == screen.article_pane.shown_path
    text = (root / OPEN).read_text(encoding="utf-8")
    (root / OPEN).unlink()
    await press(pilot, "r")
    assert OPEN not in {a.path for a in rows.rows}
    assert screen.article_pane.shown_path == OPEN and "[deleted]" in header(screen)
    assert screen.services.counts[ALL].total == 11
    return text


def test_the_open_article_deleted_and_restored_is_live_again(make_app, archive_factory):
    root = archive_factory(files(), name="restore")
    app = make_app(root)

    async def scenario(pilot, screen):
        text = await open_then_delete(pilot, screen, root)
        (root / OPEN).write_text(text, encoding="utf-8")
        await press(pilot, "r")
        rows, pane = screen.article_list, screen.article_pane
        assert OPEN in {a.path for a in rows.rows}
        assert rows.current.path == OPEN  # the cursor back on it: it had not moved since
        assert pane.shown_path == OPEN and not pane.gone
        assert "[deleted]" not in header(screen) and "Wire story 005" in header(screen)
        assert screen.services.counts[ALL].total == 12
        assert "new" not in screen.status.parts  # it was here before: not new
        assert screen.services.counts[NEW].total == 0

    run_app_test(app, scenario)


def test_the_open_article_restored_while_the_cursor_is_elsewhere_is_shown_again(
        make_app, archive_factory):
    """The cursor moved on (the pane kept the open article): the restored file is read
    again into the pane, which no longer says it is gone; the cursor stays."""
    root = archive_factory(files(), name="restore")
    app = make_app(root)

    async def scenario(pilot, screen):
        text = await open_then_delete(pilot, screen, root)
        screen.preview_delay = 60  # the pane keeps the open article as the cursor moves
        await press(pilot, "j")
        under_cursor = screen.article_list.current.path
        (root / OPEN).write_text(text.replace("Text of the story.", "Restored text."),
                                 encoding="utf-8")
        await press(pilot, "r")
        pane = screen.article_pane
        assert screen.article_list.current.path == under_cursor
        assert pane.shown_path == OPEN and not pane.gone
        assert "[deleted]" not in header(screen)
        assert "Restored text." in pane._shown.body

    run_app_test(app, scenario)


def test_a_search_hit_deleted_and_restored_is_listed_again(make_app, archive_factory):
    root = archive_factory(files(6), name="restore")
    app = make_app(root)

    async def scenario(pilot, screen):
        await press(pilot, "slash", *"wire", "enter")
        assert len(screen.article_list.rows) == 6
        hit = screen.article_list.rows[2]
        text = (root / hit.path).read_text(encoding="utf-8")
        (root / hit.path).unlink()
        await press(pilot, "r")
        assert hit.path not in {a.path for a in screen.article_list.rows}
        (root / hit.path).write_text(text, encoding="utf-8")
        await press(pilot, "r")
        assert [a.path for a in screen.article_list.rows].count(hit.path) == 1
        assert len(screen.article_list.rows) == 6

    run_app_test(app, scenario)


def test_new_counts_a_path_once_however_often_it_comes_and_goes(make_app, archive_factory):
    """D14: a burst of new files and one old file deleted and restored: "N new" counts the
    burst (as New does), not the restored file; a new file deleted and restored is one."""
    root = archive_factory(files(), name="restore")
    app = make_app(root)

    async def scenario(pilot, screen):
        for i in range(5):
            (root / f"en/news/wire/new{i}.en.md").write_text(article(
                f"Fresh {i}", f"2025-03-0{1 + i} 10:00:00", "New."), encoding="utf-8")
        old = (root / OPEN).read_text(encoding="utf-8")
        (root / OPEN).unlink()
        await press(pilot, "r")
        fresh = (root / "en/news/wire/new0.en.md").read_text(encoding="utf-8")
        (root / "en/news/wire/new0.en.md").unlink()
        await press(pilot, "r")
        (root / OPEN).write_text(old, encoding="utf-8")
        (root / "en/news/wire/new0.en.md").write_text(fresh, encoding="utf-8")
        await press(pilot, "r")
        assert screen.services.counts[NEW].total == 5
        assert screen.status.parts["new"].startswith("5 arrived")

    run_app_test(app, scenario)


def test_the_open_hit_of_a_search_deleted_stays_readable_as_gone(make_app, archive_factory):
    """With a search on screen, the open hit's file deleted: the pane keeps it, marked as
    gone, when the search runs again (it showed the hit that took its row, D3)."""
    root = archive_factory(files(6), name="restore")
    app = make_app(root)

    async def scenario(pilot, screen):
        await press(pilot, "slash", *"wire", "enter")
        rows = screen.article_list
        screen.set_focus(rows)
        await press(pilot, "j", "j", "enter")
        hit = rows.current.path
        assert screen.article_pane.shown_path == hit
        (root / hit).unlink()
        await press(pilot, "r")
        await pilot.app.workers.wait_for_complete()
        await press(pilot, "r")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert hit not in {a.path for a in rows.rows}
        assert screen.article_pane.shown_path == hit and "[deleted]" in header(screen)

    run_app_test(app, scenario)
