"""The screen "Archive at a glance" (i): the figures of the group and search shown, at
80x24 and 200x60, readable in every built-in theme, live as files arrive and marks
change, and a category or tag one key away from its list."""

from __future__ import annotations

from datetime import datetime

import pytest
from rich.cells import cell_len

from reader.session.glance import count_totals, tally
from reader.session.glance_figures import figures
from reader.session.glance_scope import now_in
from reader.session.glance_window import Window
from reader.ui.screens.glance import GlanceScreen
from reader.ui.widgets.glance_charts import GlanceCharts
from reader.ui.widgets.top_names import TopNames
from reader.ui.widgets.week_bars import WeekBars
from tests.ui.conftest import article, press, run_app_test, settle, until
from tests.ui.test_looks import Drawn, text_contrasts

BOX = set("╭╮╰╯─│ ")
NOW = (2025, 2, 12, 12, 0)  # the sample's newest article is 2025-02-12 10:00


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(GlanceScreen, "clock", staticmethod(lambda tz: datetime(*NOW, tzinfo=tz)))


async def open_glance(pilot, screen):
    await press(pilot, "i")
    glance = pilot.app.screen
    assert isinstance(glance, GlanceScreen)
    await pilot.app.workers.wait_for_complete()
    await until(pilot, lambda: glance.shown is not None)
    await pilot.pause()
    return glance


def fresh(services, tz, member=None, now=None):
    """The figures counted afresh from the reader's state now."""
    catalog = services.catalog
    window = Window.ending(now or datetime(*NOW, tzinfo=tz), 30, tz)
    read_at = services.store.read_times() if services.store else {}
    counted = tally(catalog, window, services.read, services.starred, member,
                    count_totals(catalog.articles, services.read, services.starred, member),
                    read_at)
    return figures(counted, "")


def same(a, b) -> bool:
    return a.as_json() | {"scope": "", "newest": None} == b.as_json() | {"scope": "", "newest": None}


def drawn_lines(widget) -> list[str]:
    return str(widget.render()).splitlines()


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_the_screen_shows_the_figures_at_two_sizes(make_app, size):
    async def scenario(pilot, screen):
        glance = await open_glance(pilot, screen)
        tz = screen.services.settings.tzinfo
        assert same(glance.shown, fresh(screen.services, tz))
        charts = glance.query_one(GlanceCharts)
        assert charts.has_focus and charts.charts[0].values == glance.shown.arrived
        assert "Per day  Wed 02-12: 1" in drawn_lines(charts)[0]
        await pilot.press("left")
        await pilot.pause()
        lines = drawn_lines(charts)
        assert "Per day  Tue 02-11: 1" in lines[0]
        assert "Read per day  Tue 02-11: 0" in lines[charts.bar_rows + 2]  # one day cursor
        cells = charts.cells(charts.charts[0])
        assert lines[charts.bar_rows + 1].index("▔") == cells * 28  # under the day named
        assert "12 articles · 12 unread · 0 starred" in str(
            glance.query_one("#glance-head").render())
        for widget in (charts, glance.query_one(WeekBars), glance.query_one(TopNames)):
            assert widget.region.right <= size[0] and widget.size.width > 0
            assert all(cell_len(line) <= widget.size.width for line in drawn_lines(widget))
        assert glance.query_one("#glance").border_title == "Archive at a glance: All"
        await press(pilot, "escape")
        assert pilot.app.screen is screen

    run_app_test(make_app(), scenario, size=size)


def test_names_are_aligned_by_cells_and_the_numbers_shown(make_app):
    async def scenario(pilot, screen):
        glance = await open_glance(pilot, screen)
        lines = drawn_lines(glance.query_one(WeekBars))
        names = {"English", "简体中文", "繁體中文"}
        rows = [line for line in lines if any(line.startswith(n) for n in names)]
        assert len(rows) == 3
        assert len({cell_len(line[:line.index("█")]) for line in rows}) == 1
        assert len({cell_len(line.rstrip()) for line in rows}) == 1  # the numbers end aligned

    run_app_test(make_app(), scenario, size=(100, 30))


def test_every_theme_draws_the_glance_readably(make_app):
    problems = []

    async def scenario(pilot, screen):
        glance = await open_glance(pilot, screen)
        for theme in sorted(pilot.app.available_themes):
            pilot.app.theme = theme
            await pilot.pause()
            drawn = Drawn(pilot.app)
            region = glance.query_one("#glance").content_region
            for y in range(region.y, region.bottom):
                row = drawn.cells(y, region.x, region.right - 1)  # (not the scrollbar)
                for ratio, text in text_contrasts(pilot.app, row):
                    if ratio < 3.0 and not set(text) <= BOX:  # (frames are decoration)
                        problems.append(f"{theme} row {y}: {text!r} {ratio}")
        assert not problems, problems[:20]

    run_app_test(make_app(), scenario, size=(100, 30))


def test_the_glance_is_live_as_files_arrive_and_marks_change(make_app, archive_factory,
                                                              monkeypatch):
    """On the real clock: marks are stamped with it."""
    from tests.ui.conftest import sample_files

    monkeypatch.setattr(GlanceScreen, "clock", staticmethod(now_in))
    root = archive_factory(sample_files(), name="live")

    async def scenario(pilot, screen):
        glance = await open_glance(pilot, screen)
        services, tz = screen.services, screen.services.settings.tzinfo
        before = glance.shown.arrived[-1]
        assert before == 0
        folder = root / "zh-CN/news/路透社"
        folder.mkdir(parents=True)
        for i in range(3):
            (folder / f"new{i}.zh-CN.md").write_text(article(
                f"新闻 {i}", f"{now_in(tz):%Y-%m-%d} 00:00:0{i}", "正文。", tags=["新"]),
                encoding="utf-8")
        screen.action_rescan()
        await settle(pilot)
        services.set_read(list(services.articles[:2]))
        services.set_starred(list(services.articles[2:3]))
        services.flush()
        glance.draw()
        await pilot.pause()
        assert glance.shown.arrived[-1] == before + 3
        assert glance.shown.read[-1] == 2 and glance.shown.starred == 1
        assert "路透社" in {r.name for r in glance.shown.sources}
        assert same(glance.shown, fresh(services, tz, now=now_in(tz)))
        assert glance.query_one(GlanceCharts).charts[0].values[-1] == before + 3

    run_app_test(make_app(root), scenario)


def test_a_search_narrows_the_glance_and_a_tag_is_one_key_away(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "slash", *"gold", "enter")
        hits = set(screen.outcome.paths)
        glance = await open_glance(pilot, screen)
        assert glance.query_one("#glance").border_title.endswith("All · search gold")
        assert glance.shown.total == len(hits) == 3
        names = glance.query_one(TopNames)
        assert names.lists[1].kind == "tag" and names.lists[1].counts[0][0] == "gold"
        await press(pilot, "tab", "right")
        assert names.has_focus and names.at == (1, 0)
        await press(pilot, "enter")
        assert pilot.app.screen is screen
        await settle(pilot)
        assert screen.group == ("tag", "gold")

    run_app_test(make_app(), scenario)


def test_the_key_is_in_the_palette_and_the_help(make_app):
    async def scenario(pilot, screen):
        commands = [c.title for c in pilot.app.get_system_commands(screen)]
        assert "Archive at a glance" in commands
        from reader.ui.keys import help_rows

        assert ("i", "Archive at a glance", "glance") in list(help_rows({}))

    run_app_test(make_app(), scenario)


def test_a_group_by_the_marks_is_counted_again_after_a_mark(make_app):
    async def scenario(pilot, screen):
        screen.tree.select_key(("unread", ""))
        await settle(pilot)
        glance = await open_glance(pilot, screen)
        services = screen.services
        services.set_read(list(services.articles[:1]))
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        unread = lambda a: a.path not in services.read  # noqa: E731
        assert same(glance.shown, fresh(services, services.settings.tzinfo, unread))
        assert glance.shown.total == 11

    run_app_test(make_app(), scenario)


def test_today_by_hour_has_its_cursor_on_this_hour(make_app):
    async def scenario(pilot, screen):
        glance = await open_glance(pilot, screen)
        assert sum(glance.shown.hours) == 1  # 2025-02-12 10:00 is today
        charts = glance.query_one(GlanceCharts)
        assert charts.cursor(charts.charts[1]) == NOW[3]

    run_app_test(make_app(), scenario)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_glance_snapshot(snap_compare, make_app, size):
    async def before(pilot):
        pilot.app.screen.preview_delay = 0
        await settle(pilot)
        await open_glance(pilot, pilot.app.screen)

    assert snap_compare(make_app(), terminal_size=size, run_before=before)


def test_the_window_moves_when_the_day_is_over(make_app, monkeypatch):
    clock = [datetime(*NOW)]
    monkeypatch.setattr(GlanceScreen, "clock",
                        staticmethod(lambda tz: clock[0].replace(tzinfo=tz)))

    async def scenario(pilot, screen):
        glance = await open_glance(pilot, screen)
        assert str(glance.shown.today) == "2025-02-12" and glance.shown.arrived[-1] == 1
        clock[0] = datetime(2025, 2, 13, 0, 5)
        glance.draw()  # (what its timer does every minute)
        await pilot.app.workers.wait_for_complete()
        await until(pilot, lambda: str(glance.shown.today) == "2025-02-13")
        assert glance.shown.arrived[-2:] == (1, 0)

    run_app_test(make_app(), scenario)


def test_the_screen_is_composed_once_and_opens_again_without_counting(make_app):
    """Few widgets, composed at the first open only; a later open of the same scope
    draws the tally kept live while hidden (here after a mark), without a count."""
    async def scenario(pilot, screen):
        glance = await open_glance(pilot, screen)
        assert len(list(glance.walk_children())) <= 8  # (was 30: issue 15's open time)
        counted, widgets = glance._scope, set(glance.walk_children())
        await press(pilot, "escape")
        services = screen.services
        services.set_read(list(services.articles[:2]))
        services.flush()
        await settle(pilot)
        again = await open_glance(pilot, screen)
        assert again is glance and set(glance.walk_children()) == widgets
        assert glance._scope is counted  # not counted again
        assert glance.shown.unread == 10
        assert same(glance.shown, fresh(services, services.settings.tzinfo))
        await press(pilot, "escape")
        screen.tree.select_key(("lang", "en"))
        await settle(pilot)
        english = await open_glance(pilot, screen)
        assert english._scope is not counted and english.shown.total == 4

    run_app_test(make_app(), scenario)


def test_days_that_hold_nothing_say_so_and_n_shows_the_days_to_the_newest(
        make_app, monkeypatch):
    monkeypatch.setattr(GlanceScreen, "clock",
                        staticmethod(lambda tz: datetime(2026, 12, 1, 9, 0, tzinfo=tz)))

    async def scenario(pilot, screen):
        glance = await open_glance(pilot, screen)
        head = str(glance.query_one("#glance-head").render())
        assert glance.shown.empty and not any(glance.shown.arrived)
        said = ("Nothing arrived in the last 30 days; the newest article is from 2025-02-12;"
                " n shows the 30 days to it")
        assert said in head
        region = glance.query_one("#glance-head").region  # whole at 80 columns: wrapped
        rows = pilot.app.screen._compositor.render_strips()[region.y:region.bottom]
        assert said in " ".join(" ".join(r.text[region.x:region.right].split()) for r in rows)
        await press(pilot, "n")
        await pilot.app.workers.wait_for_complete()
        await until(pilot, lambda: glance.shown.moved)
        shown = glance.shown
        assert str(shown.until) == "2025-02-12" and str(shown.today) == "2026-12-01"
        assert shown.arrived[-1] == 1 and sum(shown.arrived) == 12
        assert shown.reading_days[-1] == shown.today  # your reading stays on real days
        head = str(glance.query_one("#glance-head").render())
        assert "what arrived: the 30 days to 2025-02-12; your reading: the 30 days" in head
        assert "Nothing arrived" not in head
        titles = [c.title for c in glance.query_one(GlanceCharts).charts]
        assert titles == ["Per day to 02-12", "02-12 by hour", "Read per day to today",
                          "Unread backlog to today"]
        assert drawn_lines(glance.query_one(WeekBars))[0].startswith(
            "Sources, the week to 02-12")
        assert "days to today" in glance.query_one("#glance").border_subtitle
        await press(pilot, "n")
        await pilot.app.workers.wait_for_complete()
        await until(pilot, lambda: not glance.shown.moved)
        assert glance.shown.empty

    run_app_test(make_app(), scenario, size=(80, 24))


def test_the_most_covered_stories_of_the_day_follow_the_search_and_the_files(
        make_app, archive_factory):
    """Issue 15: for stories, the most-covered stories of the day, in scope, live."""
    from tests.ui.conftest import sample_files
    from tests.ui.test_stories_ui import BODY, TITLE

    day = f"{NOW[0]}-{NOW[1]:02d}-{NOW[2]:02d}"
    copies = {f"en/news/{source}/rates.en.md": article(TITLE, f"{day} 0{hour}:00:00", BODY)
              for source, hour in (("reuters", 7), ("tradingview", 8))}
    root = archive_factory(sample_files() | copies, name="covered")

    async def scenario(pilot, screen):
        await until(pilot, lambda: screen.services.stories.view)
        glance = await open_glance(pilot, screen)
        box = glance.query_one("#glance-stories")
        assert box.display and f"×2 {TITLE}  reuters, tradingview" in str(box.render())
        (root / "en/news/investing").mkdir(parents=True)
        (root / "en/news/investing/rates.en.md").write_text(
            article(TITLE, f"{day} 09:00:00", BODY), encoding="utf-8")
        screen.action_rescan()  # while the glance is open: drawn again once grouped
        await settle(pilot)
        await until(pilot, lambda: f"×3 {TITLE}  reuters, tradingview, investing" in str(
            box.render()))
        await press(pilot, "escape", "slash", *"gold", "enter")
        glance = await open_glance(pilot, screen)
        assert not glance.query_one("#glance-stories").display  # no story in the hits

    run_app_test(make_app(root), scenario)
