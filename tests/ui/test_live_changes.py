"""A scan's delta reaches every pane in place: the catalog, the counts, the tree (the
cursor on the same group), the list (the cursor and the visible rows kept), the open
article (kept, marked as gone) and the status ("N new")."""

from __future__ import annotations

from reader.archive import Archive
from reader.session.catalog import Catalog
from reader.session.listing import ALL
from reader.state import GroupCounts, Groups
from reader.state.groups import new_group
from tests.ui.conftest import article, press, run_app_test, settle

EN = ("lang", "en")


def files(count: int = 40) -> dict[str, str]:
    out = {f"en/news/wire/{i:03d}.en.md": article(
        f"Wire story {i:03d}", f"2025-01-{1 + i // 24:02d} {i % 24:02d}:00:00", "Text.",
        tags=[f"t{i % 3}"], categories=["wire"]) for i in range(count)}
    out["en/news/wire/lonely.en.md"] = article("Lonely", "2024-06-01 10:00:00", "Alone.",
                                               categories=["Lonely"])
    return out


def snapshot(counts: GroupCounts) -> dict:
    return {key: counts[key] for key in counts.keys()}


def test_a_rescan_applies_its_delta_in_place(make_app, archive_factory, ui_settings):
    root = archive_factory(files(), name="live")
    app = make_app(root)

    async def scenario(pilot, screen):
        tree, rows = screen.tree, screen.article_list
        tree.select_key(("category", "wire"))  # the Categories section is shown
        await settle(pilot)
        tree.select_key(EN)
        await settle(pilot)
        assert screen.group == EN and len(rows.rows) == 41
        screen.set_focus(rows)
        await press(pilot, *["j"] * 10, "enter")
        opened = rows.current
        screen.preview_delay = 60  # the cursor moves on; the pane keeps the open article
        await press(pilot, "j", "j")
        under_cursor = rows.current
        assert screen.article_pane.shown_path == opened.path != under_cursor.path
        top, offset = rows.rows[int(rows.scroll_offset.y)], rows.scroll_offset.y

        for i in range(3):  # newer than any: above the cursor and the viewport
            (root / f"en/news/wire/new{i}.en.md").write_text(article(
                f"Fresh {i}", f"2025-03-0{1 + i} 10:00:00", "New.",
                categories=["Fresh", "Alpha"] if i == 0 else ["Fresh"]),
                encoding="utf-8")
        (root / opened.path).unlink()
        (root / "en/news/wire/lonely.en.md").unlink()  # its category empties
        changed = root / under_cursor.path
        changed.write_text(changed.read_text(encoding="utf-8").replace(
            under_cursor.title, "Edited title"), encoding="utf-8")
        await press(pilot, "r")

        services = screen.services
        fresh = Catalog.of(Archive.open(root, ui_settings).scan().articles)
        assert services.catalog.articles == fresh.articles
        arrived = Groups([new_group(f"en/news/wire/new{i}.en.md" for i in range(3))])
        assert snapshot(services.counts) == snapshot(  # (a first run: New is what arrived)
            GroupCounts(fresh.articles, services.read, services.starred, arrived))
        assert tree.cursor_node.data == EN and screen.group == EN
        assert ("category", "Fresh") in tree._group_nodes
        assert ("category", "Lonely") not in tree._group_nodes
        section = tree._section_nodes["category"]  # the new ones in their sorted places
        assert [node.data[1] for node in section.children] == ["wire", "Fresh", "Alpha"]
        assert section.label.count == "(3)"
        assert rows.current.path == under_cursor.path and rows.current.title == "Edited title"
        assert rows.scroll_offset.y == offset + 3 and rows.rows[int(offset) + 3] == top
        assert [a.title for a in rows.rows[:3]] == ["Fresh 2", "Fresh 1", "Fresh 0"]
        assert opened.path not in {a.path for a in rows.rows}
        pane = screen.article_pane
        assert pane.shown_path == opened.path
        assert "[deleted]" in str(pane.query_one("#article-header").render())
        assert screen.status.parts["new"].startswith("3 arrived")

        screen.preview_delay = 0
        await press(pilot, "N")
        assert rows.current.title == "Fresh 2" and "new" not in screen.status.parts
        assert pane.shown_path == rows.current.path  # shown, not opened: N goes to it,
        assert rows.current.path not in screen.services.read  # Enter reads it (it did)
        assert screen.group == EN  # the newest is in view: the group stays

    run_app_test(app, scenario)


def test_a_search_on_screen_keeps_its_hits_and_drops_the_gone(make_app, archive_factory):
    root = archive_factory(files(6), name="live")
    app = make_app(root)

    async def scenario(pilot, screen):
        await press(pilot, "slash", *"wire", "enter")
        hits = list(screen.article_list.rows)
        assert len(hits) == 6
        (root / hits[0].path).unlink()
        await press(pilot, "r")
        assert [a.path for a in screen.article_list.rows] == [a.path for a in hits[1:]]
        assert screen.services.counts[ALL].total == 6  # 5 wire stories and Lonely

    run_app_test(app, scenario)


def test_the_open_article_and_only_hit_deleted_stays_readable(make_app, archive_factory):
    """A search whose one hit is open: its file deleted, the list empties but the pane
    keeps the article, marked as gone (not "Nothing matches")."""
    root = archive_factory(files(6), name="live")
    app = make_app(root)

    async def scenario(pilot, screen):
        await press(pilot, "slash", *"lonely", "enter", "enter")
        pane = screen.article_pane
        assert pane.shown_path == "en/news/wire/lonely.en.md"
        (root / "en/news/wire/lonely.en.md").unlink()
        await press(pilot, "r")
        assert not screen.article_list.rows
        assert pane.shown_path == "en/news/wire/lonely.en.md"
        assert "[deleted]" in str(pane.query_one("#article-header").render())

    run_app_test(app, scenario)


def test_the_tree_cursor_on_a_group_that_empties_goes_to_its_section(make_app, archive_factory):
    root = archive_factory(files(4), name="live")
    app = make_app(root)

    async def scenario(pilot, screen):
        screen.tree.select_key(("category", "Lonely"))
        await settle(pilot)
        assert len(screen.article_list.rows) == 1
        (root / "en/news/wire/lonely.en.md").unlink()
        await press(pilot, "r")
        assert screen.tree.cursor_node.data == ("section", "category")
        assert screen.group == ("section", "category")
        assert len(screen.article_list.rows) == 4

    run_app_test(app, scenario)


def test_all_is_regrouped_off_the_event_loop(make_app, archive_factory):
    """All's rows after a change are the whole catalog cut by stories: made in a worker,
    not on the event loop (50 ms at 100,000 articles, 300 ms under load, held every key)."""
    import threading

    root = archive_factory(files(), name="live")
    app = make_app(root)

    async def scenario(pilot, screen):
        services, calls = screen.services, []
        grouped = services.story_rows

        def story_rows(rows, *args):
            calls.append((threading.current_thread() is threading.main_thread(), len(rows)))
            return grouped(rows, *args)

        services.story_rows = story_rows
        (root / "en/news/wire/new.en.md").write_text(article(
            "Fresh", "2025-03-01 10:00:00", "New.", categories=["Fresh"]), encoding="utf-8")
        await press(pilot, "r")
        assert screen.group == ALL and screen.article_list.rows[0].title == "Fresh"
        assert (False, 42) in calls and (True, 42) not in calls

    run_app_test(app, scenario)
