"""Pilot tests: marking, starring, undo, next/previous unread, search as you type."""

from __future__ import annotations

import threading

from reader.ui.screens.list_updates import FIRST_HITS
from reader.session.search import TITLES_ONLY
from reader.ui.widgets.search_box import SearchBox
from tests.ui.conftest import press, run_app_test, settle, until


def unread_label(screen) -> str:
    return str(screen.tree._group_nodes[("unread", "")].label)


def test_m_toggles_read_and_counts_follow(make_app):
    async def scenario(pilot, screen):
        path = screen.article_list.current.path
        await press(pilot, "m")
        assert screen.services.is_read(path)
        assert "11/11" in unread_label(screen)
        await press(pilot, "m")
        assert not screen.services.is_read(path)
        assert "12/12" in unread_label(screen)
        screen.services.flush()
        assert not screen.services.store.is_read(path)

    run_app_test(make_app(), scenario)


def test_s_toggles_star_and_the_starred_group(make_app):
    async def scenario(pilot, screen):
        path = screen.article_list.current.path
        await press(pilot, "s")
        assert screen.services.is_starred(path)
        assert "1/1" in str(screen.tree._group_nodes[("starred", "")].label)
        screen.tree.select_key(("starred", ""))
        await press(pilot)
        assert [a.path for a in screen.article_list.rows] == [path]
        screen.services.flush()
        assert screen.services.store.is_starred(path)

    run_app_test(make_app(), scenario)


def test_A_marks_everything_in_view_read_and_u_undoes(make_app):
    async def scenario(pilot, screen):
        screen.tree.select_key(("lang", "en"))
        await press(pilot)
        await press(pilot, "A")
        assert all(screen.services.is_read(a.path) for a in screen.article_list.rows)
        assert "8/8" in unread_label(screen)
        await press(pilot, "u")
        assert not any(screen.services.is_read(a.path) for a in screen.article_list.rows)
        assert "12/12" in unread_label(screen)

    run_app_test(make_app(), scenario)


def test_u_after_A_on_a_single_article_undoes_that_article_not_an_older_bulk_change(make_app):
    async def scenario(pilot, screen):
        screen.tree.select_key(("lang", "en"))
        await press(pilot)
        english = list(screen.article_list.rows)
        await press(pilot, "A")
        screen.tree.select_key(("lang", "zh-CN"))
        await press(pilot)
        screen.services.flush()
        one = screen.article_list.rows[0]
        await press(pilot, "slash", *one.title.split()[0], "enter")
        assert [a.path for a in screen.article_list.rows] == [one.path]
        await press(pilot, "tab", "A")
        assert screen.services.is_read(one.path)
        await press(pilot, "u")
        assert not screen.services.is_read(one.path)
        assert all(screen.services.is_read(a.path) for a in english)

    run_app_test(make_app(), scenario)


def test_n_and_p_jump_between_unread_and_open(make_app):
    async def scenario(pilot, screen):
        rows = screen.article_list.rows
        screen.services.set_read([rows[1], rows[2]], True)
        await press(pilot, "n")
        assert screen.article_list.cursor == 3
        assert screen.services.is_read(rows[3].path)
        assert screen.article_pane.shown_path == rows[3].path
        await press(pilot, "p")
        assert screen.article_list.cursor == 0

    run_app_test(make_app(), scenario)


def test_marks_survive_a_restart(make_app):
    state = {}

    async def first(pilot, screen):
        state["path"] = screen.article_list.current.path
        await press(pilot, "m", "s")

    async def second(pilot, screen):
        assert screen.services.is_read(state["path"])
        assert screen.services.is_starred(state["path"])

    run_app_test(make_app(), first)
    run_app_test(make_app(), second)


def test_slash_focuses_search_and_each_keystroke_narrows(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "slash")
        assert isinstance(screen.focused, SearchBox)
        await press(pilot, *"gold")
        count = len(screen.article_list.rows)
        await press(pilot, *" report")
        shown = len(screen.article_list.rows)
        assert 0 < shown < count
        assert screen.status.parts["search"] == \
            f"{shown} hit{'' if shown == 1 else 's'} · newest first"
        await press(pilot, "escape")
        assert screen.search_text == "" and len(screen.article_list.rows) == 12
        assert screen.focused is screen.article_list

    run_app_test(make_app(), scenario)


def test_search_before_index_says_titles_only(make_app, monkeypatch):
    from reader.index import UpdateSummary

    monkeypatch.setattr("reader.session.search.update_index", lambda *a, **k: UpdateSummary())

    async def scenario(pilot, screen):
        await press(pilot, "slash", *"gold")
        assert TITLES_ONLY in screen.status.parts["search"]
        assert [a.title for a in screen.article_list.rows] == ["Gold report 03"]

    run_app_test(make_app(), scenario)


def test_full_text_search_once_indexed(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "slash", *"石油")
        assert len(screen.article_list.rows) == 3  # bodies name the topic in Chinese
        assert "titles" not in screen.status.parts["search"]

    run_app_test(make_app(), scenario)


def test_search_and_group_combine(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "slash", *"报告")
        assert len(screen.article_list.rows) == 8
        screen.tree.select_key(("lang", "zh-HK"))
        await press(pilot)
        assert len(screen.article_list.rows) == 4
        assert {a.lang for a in screen.article_list.rows} == {"zh-HK"}

    run_app_test(make_app(), scenario)


def test_search_terms_are_highlighted_in_the_article(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "slash", *"gold", "enter", "enter")
        paragraph = screen.query("MarkdownParagraph").first()
        spans = [s for s in paragraph._content.spans if s.style == "bold reverse"]
        assert spans and paragraph._content.plain[spans[0].start:spans[0].end] == "Gold"

    run_app_test(make_app(), scenario)


def test_the_index_applies_the_group_and_the_query_together(make_app):
    async def scenario(pilot, screen):
        services = screen.services
        outcome = services.search("报告", ("lang", "zh-HK"), limit=100)
        hits = [services.by_path[p] for p in outcome.paths]
        assert len(hits) == 4 and {a.lang for a in hits} == {"zh-HK"}
        assert outcome.complete and outcome.total == 4
        unread = services.search("report", ("unread", ""), limit=100)
        services.set_read([services.by_path[unread.paths[0]]], True)
        assert len(services.search("report", ("unread", ""), limit=100).paths) == \
            len(unread.paths) - 1

    run_app_test(make_app(), scenario)


class Gate:
    """Wraps Services.search: the searches named in `hold` wait until `release()`."""

    def __init__(self, services, hold):
        self.search, self.hold = services.search, hold
        self.calls, self.entered, self.opened = [], threading.Event(), threading.Event()
        services.search = self

    def __call__(self, query, group, limit, cancelled, sort="date"):
        self.calls.append((query, limit))
        if (query, limit) in self.hold:
            self.entered.set()
            assert self.opened.wait(30), "the test never released the search"
        return self.search(query, group, limit, cancelled, sort)

    def release(self):
        self.opened.set()


def test_a_newer_keystroke_cancels_the_older_search(make_app):
    async def scenario(pilot, screen):
        screen.listing.full_list_delay = 0
        await press(pilot, "slash", "g", "o")
        gate = Gate(screen.services, hold={("gol", FIRST_HITS)})
        shown = []
        show = screen.listing._show_rows
        screen.listing._show_rows = lambda request, rows, outcome: (
            shown.append(outcome.query), show(request, rows, outcome))
        await pilot.press("l")
        await until(pilot, gate.entered.is_set)
        await pilot.press("d")
        await until(pilot, lambda: "gold" in shown)
        gate.release()
        await settle(pilot)
        assert shown == ["gold"] and ("gol", 0) not in gate.calls
        assert screen.outcome.query == "gold" and len(screen.article_list.rows) == 3

    run_app_test(make_app(), scenario)


def test_the_complete_list_replaces_the_first_page_without_moving_the_cursor(
        make_app, monkeypatch):
    monkeypatch.setattr("reader.ui.screens.list_updates.FIRST_HITS", 3)

    async def scenario(pilot, screen):
        screen.listing.full_list_delay = 0
        gate = Gate(screen.services, hold={("报告", 0)})
        await pilot.press("slash", *"报告")
        await until(pilot, gate.entered.is_set)
        await until(pilot, lambda: screen.outcome.query == "报告")
        assert not screen.list_complete and len(screen.article_list.rows) == 3
        assert screen.article_list.border_title == "Articles (3+)"
        assert screen.status.parts["search"] == "8 hits · newest first"
        screen.article_list.move_to(2)
        current = screen.article_list.current
        gate.release()
        await settle(pilot)
        assert screen.list_complete and len(screen.article_list.rows) == 8
        assert screen.article_list.border_title == "Articles (8)"
        assert screen.article_list.cursor == 2 and screen.article_list.current == current
        assert "8 in view" in screen.status.parts["view"]

    run_app_test(make_app(), scenario)


def test_a_search_run_again_keeps_its_rows_and_count_till_the_new_ones(make_app, monkeypatch):
    """The index grew (a burst): the search on screen is run again.  Its first page cut
    the rows and the count to a lower bound for a moment (atk6's F4: `1,000 stories
    found` → `100+` → `1,001`); run again, it goes straight to the complete list."""
    monkeypatch.setattr("reader.ui.screens.list_updates.FIRST_HITS", 3)

    async def scenario(pilot, screen):
        screen.listing.full_list_delay = 0
        await press(pilot, "slash", *"报告")
        assert len(screen.article_list.rows) == 8
        gate, sizes = Gate(screen.services, hold=()), []
        set_rows = screen.article_list.set_rows
        screen.article_list.set_rows = lambda rows, *args, **kwargs: (
            sizes.append((len(rows), screen.status.parts["search"])),
            set_rows(rows, *args, **kwargs))
        screen.listing.search_again()
        await settle(pilot)
        assert gate.calls == [("报告", 0)] and sizes == [(8, "8 hits · newest first")]
        assert screen.status.parts["search"] == "8 hits · newest first"

    run_app_test(make_app(), scenario)


def burst(app, *keys: str) -> None:
    """Keys as a terminal delivers a fast typist's burst: all queued before any is handled."""
    from textual import events
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


def test_keys_typed_right_after_enter_or_escape_in_the_search_box_reach_the_list(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "slash", *"report")
        burst(pilot.app, "enter", "j", "j")
        await settle(pilot)
        assert screen.search_text == "report" and screen.focused is screen.article_list
        assert screen.article_list.cursor == 2
        current = screen.article_list.current.path
        await press(pilot, "slash")
        burst(pilot.app, "escape", "j")  # as typed slowly: j moves in the cleared list
        await settle(pilot)
        assert screen.search_text == "" and screen.focused is screen.article_list
        every = [a.path for a in screen.article_list.rows]
        assert len(every) == 12 and screen.article_list.current.path == \
            every[every.index(current) + 1]

    run_app_test(make_app(), scenario)


def test_an_index_another_newsreader_is_updating_is_tried_again_later(make_app, monkeypatch):
    from reader.index import UpdateSummary
    from reader.ui.screens.background import Background
    from reader.session.search import BUSY
    from reader.ui.widgets.status_bar import StatusBar

    busy = UpdateSummary(error="the index is being updated by process 1", busy=True)
    answers = [busy, UpdateSummary(added=12)]
    monkeypatch.setattr("reader.session.search.update_index", lambda *a, **k: answers.pop(0))
    monkeypatch.setattr(Background, "busy_retry_seconds", 0.0)
    shown, set_part = [], StatusBar.set_part

    def record(bar, name, text):
        if name == "index":
            shown.append(text)
        set_part(bar, name, text)

    monkeypatch.setattr(StatusBar, "set_part", record)

    async def scenario(pilot, screen):
        for _ in range(100):
            if not answers:
                break
            await settle(pilot)
        await settle(pilot)
        assert answers == [] and BUSY in shown, shown
        assert screen.status.parts["index"] == "Index up to date"

    run_app_test(make_app(), scenario)


def test_a_mark_repaints_its_own_row_not_the_whole_list(make_app, monkeypatch):
    """A mark's frame costs its own row: the list is not repainted whole (at 100k the
    other 39 rows on screen made a third of a mark's frame)."""
    from reader.ui.widgets.article_list import ArticleList

    asked: list[tuple] = []
    real = ArticleList.refresh

    def refresh(self, *regions, **kwargs):
        asked.append(regions)
        return real(self, *regions, **kwargs)

    async def scenario(pilot, screen):
        monkeypatch.setattr(ArticleList, "refresh", refresh)
        await press(pilot, "m")
        assert asked and all(len(regions) == 1 and regions[0].height == 1
                             for regions in asked), asked
        assert asked[0][0].y == screen.article_list.cursor - int(
            screen.article_list.scroll_offset.y)

    run_app_test(make_app(), scenario)
