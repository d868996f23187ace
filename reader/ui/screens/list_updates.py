"""The main screen's article list: tree group + search + order, computed in a worker.

Every change (a keystroke, another group, the order) makes a new `ListRequest`
and supersedes the one before.  With a search, the worker paints the first
page of hits at once (a small `limit`; the index's total beside it), then asks
for the complete list, which replaces the rows without moving the cursor.  A
newer keystroke cancels the worker before either paint, and a request that is
no longer the newest never reaches the screen.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable

from textual import work
from textual.worker import get_current_worker

from reader.archive.model import Article
from reader.ui.listing import ALL, ListQuery
from reader.ui.search import SearchOutcome
from reader.ui.wording import plural

FIRST_HITS = 100  # hits painted at once: a screen or two
FULL_LIST_DELAY = 0.15  # seconds of quiet typing before the complete list is asked for


@dataclass(eq=False)
class ListRequest:
    text: str
    query: ListQuery
    keep: str | None  # the article the cursor goes to (None: the current one stays)
    superseded: threading.Event = field(default_factory=threading.Event)
    painted: bool = False


class ListUpdates:
    """Mixed into MainScreen: what the article list shows."""

    full_list_delay = FULL_LIST_DELAY

    def _init_list(self) -> None:
        self.outcome = SearchOutcome("", None)
        self.list_generation = 0  # bumped each time the list shows new rows
        self.list_complete = True  # False while the list shows a first page of hits
        self._request: ListRequest | None = None

    def refresh_list(self, keep: str | None = None) -> None:
        """Recompute the list from the group, the search and the order (in a worker);
        the cursor stays on `keep` (default: the article current when the rows arrive,
        which the user may have moved to meanwhile) if it is still there."""
        if self._request is not None:
            self._request.superseded.set()
        self._request = ListRequest(self.search_text, ListQuery(self.group, self.newest_first),
                                    keep)
        self._compute_list(self._request)

    def list_is_current(self) -> bool:
        """False until the newest request's complete list is on the screen."""
        return self._request is None or (self._request.painted and self.list_complete)

    @work(thread=True, exclusive=True, group="list")
    def _compute_list(self, request: ListRequest) -> None:
        worker = get_current_worker()
        cancelled = lambda: worker.is_cancelled or request.superseded.is_set()  # noqa: E731
        search, group = self.services.search, request.query.group
        first = FIRST_HITS if request.query.newest_first else 0  # oldest first: all at once
        outcome = search(request.text, group, first, cancelled)
        if not self._post_rows(request, outcome, cancelled) or outcome.complete:
            return
        if request.superseded.wait(self.full_list_delay):
            return
        self._post_rows(request, search(request.text, group, 0, cancelled), cancelled)

    def _post_rows(self, request: ListRequest, outcome: SearchOutcome,
                   cancelled: Callable[[], bool]) -> bool:
        """Hand the outcome's rows to the screen; False when cancelled first."""
        if cancelled():
            return False
        rows = self.services.rows(outcome, request.query, cancelled)
        if rows is None or cancelled():
            return False
        self.app.call_from_thread(self._show_rows, request, rows, outcome)
        return True

    def _show_rows(self, request: ListRequest, rows: list[Article],
                   outcome: SearchOutcome) -> None:
        if request is not self._request:
            return  # a newer request is under way
        current = self.article_list.current
        keep = request.keep if request.keep and not request.painted else \
            current.path if current else None
        request.painted = True
        self.outcome = outcome
        self.list_complete = outcome.complete
        self.article_list.set_rows(rows, keep, partial=not outcome.complete)
        self.list_generation += 1
        self._show_search_status(outcome, len(rows))
        self.show_view_counts()
        self._rows_shown(rows, outcome)
        self.keys_may_go()

    def _rows_shown(self, rows: list[Article], outcome: SearchOutcome) -> None:
        current = self.article_list.current
        if current is not None and not self._is_shown(current):
            self._schedule_preview(current.path)
        if current is not None and current.path == self._open_when_shown:
            self.open_article(current)
        self._open_when_shown = None
        if not rows:
            self.article_pane.show_message("No articles here." if outcome.paths is None
                                           else "Nothing matches this search here.")

    def _show_search_status(self, outcome: SearchOutcome, shown: int) -> None:
        if outcome.paths is None and not outcome.message:
            self.status.set_part("search", "")
            return
        text = ""
        if outcome.paths is not None:
            if outcome.complete:
                text = plural(shown, "hit")
            else:
                text = plural(outcome.total, "hit", "" if outcome.total_exact else "about ")
        self.status.set_part("search", " · ".join(t for t in (text, outcome.message) if t))

    def show_view_counts(self) -> None:
        count = self.services.counts[ALL]
        shown = f"{len(self.article_list.rows):,}{'' if self.list_complete else '+'}"
        self.status.set_part("view", f"{shown} in view · {count.unread:,} unread of "
                             f"{count.total:,}")
