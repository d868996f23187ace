"""The screen "Archive at a glance": the figures of the group and search the main screen
shows (reader/session/glance.py), live while it is open.

One screen, composed once: `GlanceScreen.open` installs it the first time and pushes
that same screen every later time, so an open restyles and mounts nothing; it is
counted again only when what it looks at changed (another group or search, a whole
new catalog, a mark in a scope the marks define), else drawn at once from its tally,
which the changes kept exact while it was hidden.  Four widgets draw it all (the
head, the charts, the bars, the top names), each one renderable.

It is counted in a worker from a snapshot taken on the event loop (the catalog,
copies of the marks, the group's counts); every change the loop takes after that (a
catalog delta, a mark: the services tell their observers) is applied to the tally, or
kept until the tally is there, so none is lost or counted twice.  The charts are
drawn again at most every `REDRAW` seconds.  `n` shows what arrived over the days to
the scope's newest article (for an archive not kept up to date) and back; your
reading stays on the days to today.  Enter on a category or tag closes the screen
with its group, which the main screen selects in the tree.
"""

from __future__ import annotations

import time
from typing import Callable, Sequence

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import get_current_worker

from reader.archive.model import Article
from reader.session.catalog import CatalogChange
from reader.session.glance_figures import Figures, figures
from reader.session.glance_scope import Glance, GlanceScope, now_in
from reader.session.glance_stories import most_covered
from reader.session.glance_window import Window
from reader.session.listing import ALL, GroupKey
from reader.session.search import SearchOutcome
from reader.ui.keys import GLANCE_BINDINGS, GLANCE_WINDOW, key_display
from reader.ui.sanitize import clean_line, markup_safe
from reader.ui.screens import glance_draw as draw
from reader.ui.widgets.glance_charts import GlanceCharts
from reader.ui.widgets.top_names import TopNames
from reader.ui.widgets.week_bars import WeekBars
from reader.ui.wording import group_name

DAYS = 30
REDRAW = 0.25  # seconds between two redraws of live figures, at most
DAY_CHECK = 60  # seconds between two looks at the clock for a new day
TALL = 40  # lines from which the charts are drawn taller
NAME = "glance"  # the installed screen's name


class GlanceScreen(ModalScreen[GroupKey | None]):
    """The archive at a glance for a group and a search (`outcome`: its hits, if any)."""

    BINDINGS = GLANCE_BINDINGS
    AUTO_FOCUS = "#glance-charts"
    clock = staticmethod(now_in)  # the time the window ends at (tests fix it)

    def __init__(self, services, days: int = DAYS) -> None:
        super().__init__()
        self.services, self.days = services, days
        self.group: GroupKey = ALL
        self.search, self.outcome = "", None
        self.to_newest = False  # what arrived over the days to the scope's newest article
        self.glance: Glance | None = None
        self.shown: Figures | None = None
        self._looked: tuple | None = None  # what the glance counts (group, search, outcome)
        self._stale = True  # the glance no longer follows the reader: counted again
        self._scope: GlanceScope | None = None
        self._pending: list[tuple] = []  # changes taken while the glance is counted
        self._redraw: Timer | None = None
        self.counted_in = 0.0  # seconds the last count took (the benchmark reads it)

    @classmethod
    def open(cls, app, services, group: GroupKey, search: str,
             outcome: SearchOutcome | None,
             done: Callable[[GroupKey | None], None]) -> "GlanceScreen":
        """Show the glance of `group` and `search`, on the one screen of the app."""
        if app.is_screen_installed(NAME):
            screen = app.get_screen(NAME)
        else:
            screen = cls(services)
            app.install_screen(screen, NAME)
        screen.group, screen.search, screen.outcome = group, search.strip(), outcome
        app.push_screen(screen, done)
        return screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="glance"):
            yield Static(draw.COUNTING, id="glance-head")
            yield GlanceCharts(id="glance-charts")
            yield WeekBars(id="glance-bars")
            yield TopNames(id="glance-names")
            yield Static(id="glance-stories")  # the day's most-covered stories, if any

    def on_mount(self) -> None:
        self.services.observers.append(self)
        self.set_interval(DAY_CHECK, self.draw)  # open past midnight: the window moves

    def on_unmount(self) -> None:
        if self in self.services.observers:
            self.services.observers.remove(self)

    def on_screen_resume(self) -> None:
        """Each open: drawn from the glance kept, or counted again."""
        self._titles()
        looked = (self.group, self.search, self.outcome)
        if self._stale or self._looked is None or not _same(self._looked, looked):
            self.recount(clear=True)
        else:
            self.draw()

    def on_resize(self) -> None:
        charts = self.query_one(GlanceCharts)
        charts.bar_rows = 5 if self.size.height >= TALL else 2
        charts.refresh(layout=True)

    def _titles(self) -> None:
        title = f"Archive at a glance: {group_name(self.group)}"
        if self.search:
            title += f" · search {clean_line(self.search)}"
        box = self.query_one("#glance")
        box.border_title = markup_safe(title)
        box.border_subtitle = markup_safe(
            f"{self._window_key()}: days to {'today' if self.to_newest else 'the newest'}"
            " · tab · enter: its list · esc")

    def _window_key(self) -> str:
        return key_display(GLANCE_WINDOW, self.services.settings.keys)

    def action_dismiss(self) -> None:
        self.dismiss(None)

    def action_window(self) -> None:
        """What arrived over the days to the scope's newest article, or to today."""
        self.to_newest = not self.to_newest
        self._titles()
        self.recount()

    def on_top_names_chosen(self, message: TopNames.Chosen) -> None:
        self.dismiss((message.kind, message.name))

    # -- counting ---------------------------------------------------------------------

    def recount(self, clear: bool = False) -> None:
        """Count afresh from the reader's state now (changes from here on are kept);
        `clear`: what is drawn is another scope's, wiped meanwhile."""
        if self.services.rules.hiding_pending:  # its figures might count what they hide
            self._stale, self.glance, self.shown, self._scope = True, None, None, None
            self._show_counting(draw.HELD)
            return  # counted once they are applied (`rules_changed`)
        hits = self.outcome.paths if self._has_hits() else None
        self._scope = GlanceScope.of(self.services, self.group, hits)
        self._looked, self._stale, self._pending = (self.group, self.search, self.outcome), False, []
        if clear:
            self.glance = self.shown = None
            self._show_counting()
        self.count(self._scope, self.search if self.search and hits is None else "",
                   self.to_newest)

    def _has_hits(self) -> bool:
        outcome = self.outcome
        return (bool(self.search) and outcome is not None and outcome.paths is not None
                and outcome.complete and not outcome.malformed)

    @work(thread=True, exclusive=True, group="glance", description="glance count")
    def count(self, taken: GlanceScope, search: str, to_newest: bool) -> None:
        started = time.perf_counter()
        services, scope, tz = self.services, taken, self.services.settings.tzinfo
        if search:  # the reader's hits are not all there yet: every one, from the index
            outcome = services.search(search, self.group, limit=0)
            if not outcome.malformed and outcome.paths is not None:
                scope = taken.narrowed(outcome.paths)
        newest = scope.newest()
        until = newest.astimezone(tz).date() if to_newest and newest else None
        counted = scope.counted(services.store, self.clock(tz), self.days, tz, until, newest)
        shown = figures(counted, group_name(self.group))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._counted, taken, counted, shown,
                                      time.perf_counter() - started)

    def _counted(self, taken: GlanceScope, counted: Glance, shown: Figures,
                 seconds: float) -> None:
        if taken is not self._scope:
            return  # counted from an older snapshot: a newer count is on its way
        self.glance, self.counted_in = counted, seconds
        pending, self._pending = self._pending, []
        for change in pending:
            if not self._apply(*change):
                self.recount()
                return
        self.draw(None if pending else shown)

    # -- live (the services' observer) -------------------------------------------------

    def catalog_loaded(self) -> None:
        self._recount_or_later()

    def catalog_changed(self, change: CatalogChange) -> None:
        """Kept with the marks of its articles now (a mark taken after it comes after)."""
        read, starred = self.services.read, self.services.starred
        paths = [a.path for a in (*change.outgoing, *change.incoming)]
        self._take(("catalog", change, {p for p in paths if p in read},
                    {p for p in paths if p in starred}))

    def marks_changed(self, field: int, articles: Sequence[Article], value: bool) -> None:
        if self._scope is not None and self._scope.by_marks:
            self._recount_or_later()
        else:
            self._take(("marks", field, tuple(articles), value, time.time()))

    def rules_changed(self) -> None:
        """What the hide rules hide changed, or is known at last: counted again."""
        self._recount_or_later()

    def _recount_or_later(self) -> None:
        """Counted again now if shown, else when next opened."""
        if self.is_current:
            self.recount()
        else:
            self._stale = True

    def _take(self, change: tuple) -> None:
        if self._stale or self._scope is None:
            return  # counted again when next opened
        if self.glance is None:
            self._pending.append(change)
        elif not self._apply(*change):
            self._recount_or_later()
        elif self.is_current and self._redraw is None:
            self._redraw = self.set_timer(REDRAW, self.draw)

    def _apply(self, kind: str, *args) -> bool:
        """Apply a change to the glance; False when it must be counted again (its newest
        article gone, or newer than the days shown to it)."""
        glance = self.glance
        if kind == "catalog":
            tz = self.services.settings.tzinfo
            return glance.changed(*args) and not (
                self.to_newest and glance.newest is not None
                and glance.newest.astimezone(tz).date() != glance.arrivals.window.today)
        field, articles, value, when = args
        for article in articles:
            glance.marked(field, article, value, when)
        return True

    # -- drawing ------------------------------------------------------------------------

    def draw(self, shown: Figures | None = None) -> None:
        self._redraw = None
        if self.glance is None or not self.is_current:
            return
        tz = self.services.settings.tzinfo
        now = self.clock(tz)
        if Window.ending(now, self.days, tz).today != self.glance.reading.window.today:
            self.recount()  # a new day: the window moves
            return
        self.shown = shown = shown or figures(self.glance, group_name(self.group))
        self.query_one("#glance-head", Static).update(
            draw.head(shown, tz, self._window_key()))
        self.query_one(GlanceCharts).show(draw.charts(
            shown, None if shown.moved else now.hour))
        self.query_one(WeekBars).show(draw.tables(shown))
        self.query_one(TopNames).show(draw.names(shown))
        self._show_stories()

    def _show_stories(self) -> None:
        """The most-covered stories of the day shown (in scope: the group, the search)."""
        member = self._scope.member if self._scope is not None else None
        covered = most_covered(self.services.catalog, self.glance.arrivals.window, member,
                               self.services.stories)
        box = self.query_one("#glance-stories", Static)
        box.display = bool(covered)
        box.update(draw.stories(covered, self.glance.arrivals.window.today))

    def stories_changed(self) -> None:
        """The stories changed (a worker grouped new copies): drawn again, soon."""
        if self.glance is not None and self.is_current and self._redraw is None:
            self._redraw = self.set_timer(REDRAW, self.draw)

    def _show_counting(self, note: Text | None = None) -> None:
        self.query_one("#glance-head", Static).update(note or draw.COUNTING)
        for widget in (self.query_one(GlanceCharts), self.query_one(WeekBars),
                       self.query_one(TopNames)):
            widget.show(())
        self.query_one("#glance-stories", Static).display = False


def _same(a: tuple, b: tuple) -> bool:
    """The same group, search and outcome (that one object: its hits)."""
    return a[:2] == b[:2] and a[2] is b[2]
