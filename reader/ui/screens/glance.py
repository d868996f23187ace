"""The screen "Archive at a glance": the figures of the group and search the main screen
shows (reader/session/glance.py), live while it is open.

It is counted in a worker from a snapshot taken on the event loop as it opens (the
catalog, copies of the marks, the group's counts); every change the loop takes after
that (a catalog delta, a mark: the services tell their observers) is applied to the
tally, or kept until the tally is there, so none is lost or counted twice.  A scope
that the marks define (Unread, Starred) is counted again after a mark, as is any
scope after a whole new catalog or once the day is over.  The charts are drawn again
at most every `REDRAW` seconds.  Enter on a category or tag closes the screen with
its group, which the main screen selects in the tree.
"""

from __future__ import annotations

import time
from typing import Sequence

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.archive.model import Article
from reader.session.catalog import CatalogChange
from reader.session.glance import Tally
from reader.session.glance_figures import Figures, figures
from reader.session.glance_scope import GlanceScope, now_in
from reader.session.glance_window import Window
from reader.session.listing import GroupKey
from reader.session.search import SearchOutcome
from reader.ui.keys import GLANCE_BINDINGS
from reader.ui.sanitize import clean_line, markup_safe
from reader.ui.widgets.day_chart import DayChart
from reader.ui.widgets.week_bars import WeekBars
from reader.ui.wording import LANGUAGE_NAMES, group_name

DAYS = 30
REDRAW = 0.25  # seconds between two redraws of live figures, at most
DAY_CHECK = 60  # seconds between two looks at the clock for a new day
NARROW = 120  # columns below which the bars are stacked, not side by side
TALL = 40  # lines from which the charts are drawn taller


class GlanceScreen(ModalScreen[GroupKey | None]):
    """The archive at a glance for `group` and `search` (`outcome`: its hits, if any)."""

    BINDINGS = GLANCE_BINDINGS
    clock = staticmethod(now_in)  # the time the window ends at (tests fix it)

    def __init__(self, services, group: GroupKey, search: str = "",
                 outcome: SearchOutcome | None = None, days: int = DAYS) -> None:
        super().__init__()
        self.services, self.group, self.days = services, group, days
        self.search = search.strip()
        self.outcome = outcome
        self.tally: Tally | None = None
        self.shown: Figures | None = None
        self._scope: GlanceScope | None = None
        self._pending: list[tuple] = []  # changes taken while the tally is counted
        self._redraw: Timer | None = None
        self.counted_in = 0.0  # seconds the last count took (the benchmark reads it)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="glance"):
            yield Static(id="glance-head")
            with Horizontal(classes="glance-row -charts"):
                yield DayChart("Per day", "", id="glance-days")
                yield DayChart("Today by hour", "", id="glance-hours")
            with Horizontal(classes="glance-row -charts"):
                yield DayChart("Read per day", "", id="glance-read")
                yield DayChart("Unread backlog", "", id="glance-backlog")
            with Horizontal(classes="glance-row", id="glance-bars"):
                yield WeekBars("Sources", id="glance-sources")
                yield WeekBars("Languages", lambda code: LANGUAGE_NAMES.get(code, code),
                               id="glance-langs")
            with Horizontal(classes="glance-row"):
                yield OptionList(id="glance-categories")
                yield OptionList(id="glance-tags")

    def on_mount(self) -> None:
        title = f"Archive at a glance: {group_name(self.group)}"
        if self.search:
            title += f" · search {clean_line(self.search)}"
        self.query_one("#glance").border_title = markup_safe(title)
        self.query_one("#glance-categories").border_title = "Categories this week"
        self.query_one("#glance-tags").border_title = "Tags this week"
        self.query_one("#glance-head", Static).update(Text("Counting…", style="italic"))
        self.services.observers.append(self)
        self.recount()
        self.set_interval(DAY_CHECK, self.draw)  # open past midnight: the window moves
        self.query_one("#glance-days").focus()

    def on_unmount(self) -> None:
        if self in self.services.observers:
            self.services.observers.remove(self)

    def on_resize(self) -> None:
        self.query_one("#glance-bars").set_class(self.size.width < NARROW, "-stack")
        self.set_class(self.size.height >= TALL, "-tall")

    def action_dismiss(self) -> None:
        self.dismiss(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind = "category" if event.option_list.id == "glance-categories" else "tag"
        if event.option.id is not None:  # (not "none")
            self.dismiss((kind, event.option.id))

    # -- counting ---------------------------------------------------------------------

    def recount(self) -> None:
        """Count afresh from the reader's state now (changes from here on are kept)."""
        hits = self.outcome.paths if self._has_hits() else None
        self._scope = GlanceScope.of(self.services, self.group, hits)
        self._pending = []
        self.count(self._scope, self.search if self.search and hits is None else "")

    def _has_hits(self) -> bool:
        outcome = self.outcome
        return (bool(self.search) and outcome is not None and outcome.paths is not None
                and outcome.complete and not outcome.malformed)

    @work(thread=True, exclusive=True, group="glance", description="glance count")
    def count(self, taken: GlanceScope, search: str) -> None:
        started = time.perf_counter()
        services, scope = self.services, taken
        if search:  # the reader's hits are not all there yet: every one, from the index
            outcome = services.search(search, self.group, limit=0)
            if not outcome.malformed and outcome.paths is not None:
                scope = taken.narrowed(outcome.paths)
        counted = scope.counted(services.store, self.clock(services.settings.tzinfo),
                                self.days, services.settings.tzinfo)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._counted, taken, counted,
                                      time.perf_counter() - started)

    def _counted(self, taken: GlanceScope, counted: Tally, seconds: float) -> None:
        if taken is not self._scope:
            return  # counted from an older snapshot: a newer count is on its way
        self.tally, self.counted_in = counted, seconds
        for change in self._pending:
            self._apply(*change)
        self._pending = []
        self.draw()

    # -- live (the services' observer) -------------------------------------------------

    def catalog_loaded(self) -> None:
        self.recount()

    def catalog_changed(self, change: CatalogChange) -> None:
        """Kept with the marks of its articles now (a mark taken after it comes after)."""
        read, starred = self.services.read, self.services.starred
        paths = [a.path for a in (*change.outgoing, *change.incoming)]
        self._take(("catalog", change, {p for p in paths if p in read},
                    {p for p in paths if p in starred}))

    def marks_changed(self, field: int, articles: Sequence[Article], value: bool) -> None:
        if self._scope is not None and self._scope.by_marks:
            self.recount()
        else:
            self._take(("marks", field, tuple(articles), value, time.time()))

    def _take(self, change: tuple) -> None:
        if self.tally is None:
            self._pending.append(change)
            return
        self._apply(*change)
        if self._redraw is None:
            self._redraw = self.set_timer(REDRAW, self.draw)

    def _apply(self, kind: str, *args) -> None:
        tally = self.tally
        if kind == "catalog":
            tally.changed(*args)
            return
        field, articles, value, when = args
        for article in articles:
            tally.marked(field, article, value, when)

    # -- drawing ------------------------------------------------------------------------

    def draw(self) -> None:
        self._redraw = None
        if self.tally is None:
            return
        tz = self.services.settings.tzinfo
        if Window.ending(self.clock(tz), self.days, tz).today != self.tally.reading.window.today:
            self.recount()  # a new day: the window moves
            return
        self.shown = shown = figures(self.tally, group_name(self.group))
        self.query_one("#glance-head", Static).update(head_line(shown, tz))
        days = [f"{d:%a %m-%d}" for d in shown.days]
        self.query_one("#glance-days", DayChart).show(
            shown.arrived, days, f"usual {shown.usual:,.1f}")
        self.query_one("#glance-hours", DayChart).show(
            shown.hours, [f"{h:02d}:00" for h in range(24)], start=self.clock(tz).hour)
        self.query_one("#glance-read", DayChart).show(shown.read, days)
        self.query_one("#glance-backlog", DayChart).show(shown.backlog, days)
        self.query_one("#glance-sources", WeekBars).show(shown.sources)
        self.query_one("#glance-langs", WeekBars).show(shown.langs)
        _fill(self.query_one("#glance-categories", OptionList), shown.categories)
        _fill(self.query_one("#glance-tags", OptionList), shown.tags)


def head_line(shown: Figures, tz) -> Text:
    line = Text(f"{shown.total:,} articles · {shown.unread:,} unread · "
                f"{shown.starred:,} starred", style="bold")
    line.append(f"   the {len(shown.days)} days to {shown.today:%Y-%m-%d} ({tz})", style="italic")
    return line


def _fill(options: OptionList, counts: tuple[tuple[str, int], ...]) -> None:
    """The week's top names, each an option whose id is its name (the cursor kept)."""
    highlighted = options.highlighted
    width = max((len(f"{c:,}") for _, c in counts), default=0)
    options.clear_options()
    options.add_options([Option(Text(f"{c:>{width},}  ") + Text(clean_line(n)), id=n)
                         for n, c in counts] or [Option(Text("none", style="italic"))])
    options.highlighted = min(highlighted or 0, max(0, len(counts) - 1))
