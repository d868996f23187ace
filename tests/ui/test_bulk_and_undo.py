"""Pilot tests: bulk triage (c n / c p / c a, S n / S p / S a) and undo as a stack (u, ctrl+r),
single marks included, also after a restart."""

from __future__ import annotations

from tests.ui.conftest import press, run_app_test, settle


def unread_label(screen) -> str:
    return str(screen.tree._group_nodes[("unread", "")].label)


def read_paths(screen) -> set[str]:
    return {a.path for a in screen.article_list.rows if screen.services.is_read(a.path)}


async def keys(pilot, *names: str) -> None:
    await press(pilot, *names)
    await settle(pilot)


def test_c_n_marks_read_everything_below_the_cursor_and_c_p_above(make_app):
    async def scenario(pilot, screen):
        rows = list(screen.article_list.rows)
        await keys(pilot, "j", "j", "j")
        assert screen.article_list.cursor == 3
        await keys(pilot, "c", "n")
        assert read_paths(screen) == {a.path for a in rows[4:]}  # not the cursor's own
        assert "4/4" in unread_label(screen)
        await keys(pilot, "c", "p")
        assert read_paths(screen) == {a.path for a in rows} - {rows[3].path}
        await keys(pilot, "u")
        assert read_paths(screen) == {a.path for a in rows[4:]}  # one step: c p
        await keys(pilot, "u")
        assert read_paths(screen) == set() and "12/12" in unread_label(screen)
        screen.services.flush()
        assert screen.services.store.read_set() == set()

    run_app_test(make_app(), scenario)


def test_S_stars_everything_in_view_and_again_unstars_it(make_app):
    async def scenario(pilot, screen):
        screen.tree.select_key(("lang", "en"))
        await settle(pilot)
        english = {a.path for a in screen.article_list.rows}
        await keys(pilot, "S", "a")
        assert screen.services.starred == english
        assert "4/4" in str(screen.tree._group_nodes[("starred", "")].label)
        await keys(pilot, "S", "a")  # all starred: unstarred
        assert screen.services.starred == set()
        await keys(pilot, "u")
        assert screen.services.starred == english
        await keys(pilot, "ctrl+r")  # redo the unstar
        assert screen.services.starred == set()

    run_app_test(make_app(), scenario)


def test_u_undoes_single_marks_one_at_a_time(make_app):
    async def scenario(pilot, screen):
        first = screen.article_list.current
        await keys(pilot, "m", "s", "j", "m")
        second = screen.article_list.current
        assert read_paths(screen) == {first.path, second.path}
        await keys(pilot, "u")
        assert read_paths(screen) == {first.path}
        await keys(pilot, "u")
        assert not screen.services.is_starred(first.path)
        await keys(pilot, "u")
        assert read_paths(screen) == set()
        await keys(pilot, "u")
        assert screen.services.starred == set() and read_paths(screen) == set()

    run_app_test(make_app(), scenario)


def test_u_after_opening_an_article_makes_it_unread_again(make_app):
    async def scenario(pilot, screen):
        article = screen.article_list.current
        await keys(pilot, "enter")  # opened: marked read (mark_read_on_open)
        assert screen.services.is_read(article.path)
        await keys(pilot, "u")
        assert not screen.services.is_read(article.path)
        assert "12/12" in unread_label(screen)

    run_app_test(make_app(), scenario)


def test_marks_are_undone_after_a_restart_one_step_at_a_time(make_app):
    async def mark(pilot, screen):
        await keys(pilot, "A")
        await keys(pilot, "m")  # the first article unread again: a step of its own
        assert "1/1" in unread_label(screen)

    async def undo(pilot, screen):
        assert "1/1" in unread_label(screen)
        await keys(pilot, "u")
        assert "0/0" in unread_label(screen)
        await keys(pilot, "u")
        assert read_paths(screen) == set() and "12/12" in unread_label(screen)

    run_app_test(make_app(), mark)
    run_app_test(make_app(), undo)


def test_another_key_after_c_cancels_it_and_does_nothing(make_app):
    async def scenario(pilot, screen):
        await keys(pilot, "c", "j")
        assert screen.article_list.cursor == 0 and read_paths(screen) == set()
        await keys(pilot, "j")
        assert screen.article_list.cursor == 1  # the next key acts again

    run_app_test(make_app(), scenario)


def test_the_palette_offers_every_two_key_command(make_app):
    async def scenario(pilot, screen):
        titles = {c.title for c in pilot.app.get_system_commands(screen)}
        assert {"Mark read everything below the cursor", "Mark read everything above the cursor",
                "Star everything in view (unstar, when all of it is starred)",
                "Redo what u undid"} <= titles
        assert not any(t.startswith("Mark read...") for t in titles)  # the first key alone

    run_app_test(make_app(), scenario)


def test_bulk_marks_and_undos_change_the_marks_on_the_event_loop_only(make_app, monkeypatch):
    """The event loop is the one owner of the marks and counts (issue 11): a bulk mark and
    its undo are applied there a chunk at a time, never from another thread."""
    import threading

    from reader.state.counts import GroupCounts

    monkeypatch.setattr("reader.session.services.MARK_CHUNK", 3)  # 12 rows: 4 chunks
    threads = set()
    original = GroupCounts.apply_read

    def apply_read(self, article, read):
        threads.add(threading.current_thread())
        return original(self, article, read)

    monkeypatch.setattr(GroupCounts, "apply_read", apply_read)

    async def scenario(pilot, screen):
        await keys(pilot, "A")
        assert len(read_paths(screen)) == 12 and "0/0" in unread_label(screen)
        await keys(pilot, "u")
        assert read_paths(screen) == set() and "12/12" in unread_label(screen)
        assert threads == {threading.main_thread()}
        screen.services.flush()
        assert screen.services.store.read_set() == set()

    run_app_test(make_app(), scenario)
