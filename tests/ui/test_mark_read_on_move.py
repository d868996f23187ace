"""mark_read_on_move: an article shown by moving to it is marked read once it has been shown
a moment; moving on first marks nothing.  The moment is the test's to decide: the screen's
timer for it is replaced by one that fires when the test says so (no sleeping)."""

from __future__ import annotations

import pytest

from reader.config import ConfigError, load_settings
from reader.ui.screens.main import MainScreen
from tests.ui.conftest import press, run_app_test, settle, until

TIMER = "mark-read-on-move"


class FakeTimer:
    def __init__(self, seconds: float, callback) -> None:
        self.seconds, self.callback, self.stopped = seconds, callback, False

    def stop(self) -> None:
        self.stopped = True


@pytest.fixture
def clock(monkeypatch):
    """The timers the screen starts for mark_read_on_move; `clock.passes()` fires those
    still running (the other timers stay real)."""

    class Clock:
        def __init__(self) -> None:
            self.timers: list[FakeTimer] = []

        def passes(self) -> None:
            for timer in [t for t in self.timers if not t.stopped]:
                timer.stopped = True
                timer.callback()

        def running(self) -> list[FakeTimer]:
            return [t for t in self.timers if not t.stopped]

    clock, real = Clock(), MainScreen.set_timer

    def set_timer(screen, seconds, callback=None, *, name=None, **options):
        if name != TIMER:
            return real(screen, seconds, callback, name=name, **options)
        clock.timers.append(FakeTimer(seconds, callback))
        return clock.timers[-1]

    monkeypatch.setattr(MainScreen, "set_timer", set_timer)
    return clock


def read_titles(screen) -> list[str]:
    return sorted(a.title for a in screen.article_list.rows if screen.services.is_read(a.path))


def test_the_article_moved_to_is_marked_read_once_shown_a_moment(make_app, clock):
    async def scenario(pilot, screen):
        await press(pilot, "j")
        second = screen.article_list.current
        assert screen.article_pane.shown_path == second.path
        assert [t.seconds for t in clock.running()] == [1.0]
        assert read_titles(screen) == []  # not yet: the moment has not passed
        clock.passes()
        await settle(pilot)
        assert read_titles(screen) == [second.title]
        tree_all = str(screen.tree._group_nodes[("all", "")].label)
        assert "11/12" in tree_all  # the counts follow, as for any mark

    run_app_test(make_app(mark_read_on_move=1.0), scenario)


def test_moving_on_before_the_moment_passes_marks_nothing(make_app, clock):
    async def scenario(pilot, screen):
        await press(pilot, "j")
        await press(pilot, "j")
        await press(pilot, "j")
        fourth = screen.article_list.current
        assert len(clock.running()) == 1  # the first three were stopped as the cursor left
        clock.passes()
        await settle(pilot)
        assert read_titles(screen) == [fourth.title]

    run_app_test(make_app(mark_read_on_move=1.0), scenario)


def test_off_by_default_moving_marks_nothing(make_app, clock):
    async def scenario(pilot, screen):
        await press(pilot, "j")
        assert clock.timers == [] and read_titles(screen) == []

    run_app_test(make_app(), scenario)


def test_a_mark_the_user_toggles_meanwhile_is_not_undone(make_app, clock):
    async def scenario(pilot, screen):
        await press(pilot, "j")
        await press(pilot, "m", "m")  # read, then unread again: the user's choice
        clock.passes()
        await settle(pilot)
        assert read_titles(screen) == []

    run_app_test(make_app(mark_read_on_move=1.0), scenario)


def test_the_first_hit_shown_while_typing_a_search_is_not_marked(make_app, clock):
    async def scenario(pilot, screen):
        await press(pilot, "slash", *"Gold")
        assert screen.article_pane.shown_path is not None and clock.running()
        clock.passes()
        await settle(pilot)
        assert read_titles(screen) == []

    run_app_test(make_app(mark_read_on_move=1.0), scenario)


def test_with_the_real_timer_the_mark_arrives(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "j")
        second = screen.article_list.current
        await until(pilot, lambda: screen.services.is_read(second.path))

    run_app_test(make_app(mark_read_on_move=0.05), scenario)


@pytest.mark.parametrize("text, seconds", [
    ("", 0.0), ("mark_read_on_move = false", 0.0), ("mark_read_on_move = true", 1.0),
    ("mark_read_on_move = 2.5", 2.5), ("mark_read_on_move = 3", 3.0),
])
def test_the_option_is_off_on_or_seconds(tmp_path, text, seconds):
    cfg = tmp_path / "c.toml"
    cfg.write_text(text)
    assert load_settings(config_path=cfg).mark_read_on_move == seconds


@pytest.mark.parametrize("value", ["'yes'", "-1", "nan", "1e9"])
def test_a_wrong_value_is_refused_with_a_message(tmp_path, value):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f"mark_read_on_move = {value}")
    with pytest.raises(ConfigError, match="mark_read_on_move must be true, false or a number"):
        load_settings(config_path=cfg)
