"""The main screen's part that says what the article list shows: tree group + search +
order, computed in a worker.

Every change (a keystroke, another group, the order) makes a new `ListRequest`
and supersedes the one before.  With a search, the worker paints the first
page of hits at once (a small `limit`; the index's total beside it), then asks
for the complete list, which replaces the rows without moving the cursor.  A
newer keystroke cancels the worker before either paint, and a request that is
no longer the newest never reaches the screen.

A new search (other words, or the same words in another group or order) puts
the cursor on its first hit; the same search again (the index grew) keeps the
cursor's article.  A malformed query (`after:2025-13-01`, or a date half
typed) leaves the list as it is and says what is wrong.  Search hits are
newest first (or oldest, `d`) or by relevance (`R`); the status says which,
and names the group the hits are counted in when it is not All.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import partial
from typing import AbstractSet, Callable, Sequence

from textual.screen import Screen
from textual.worker import get_current_worker

from reader.archive.model import Article
from reader.session.listing import ALL, ListQuery, ListRows
from reader.session.search import SearchOutcome
from reader.ui.wording import counted, group_name, plural

FIRST_HITS = 100  # hits painted at once: a screen or two
FULL_LIST_DELAY = 0.15  # seconds of quiet typing before the complete list is asked for


@dataclass(eq=False)
class ListRequest:
    text: str
    query: ListQuery
    keep: str | None  # the article the cursor goes to (None: the current one stays)
    first: bool = False  # a new search: the cursor goes to the first hit
    again: bool = False  # the search on screen run again (the index grew): no first page
    superseded: threading.Event = field(default_factory=threading.Event)
    painted: bool = False


class Listing:
    """The screen's part that fills the article list.  It owns what the rows are of
    (`outcome`, the request under way, `by_relevance`); the screen owns the group, the
    search text and the order, which this part reads."""

    full_list_delay = FULL_LIST_DELAY

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.services = screen.services
        self.outcome = SearchOutcome("", None)
        self.size = 0  # the stories or articles (as the tree counts) the rows stand for
        self.size_counts = ""  # what `size` counted ("stories", "articles", ""): the
        # stories loaded, it counted articles until the rows are made again by story
        self.counted_hits: AbstractSet[str] = frozenset()  # a search's, `size` counts
        self.by_relevance = False  # search hits best first instead of by date
        self._request: ListRequest | None = None
        self._shown: tuple[str, ListQuery] = ("", ListQuery())  # what the rows are of

    @property
    def complete(self) -> bool:
        """False while the list shows a first page of hits."""
        return self.outcome.complete

    def refresh(self, keep: str | None = None) -> None:
        """Recompute the list from the group, the search and the order (in a worker);
        the cursor stays on `keep` (default: the article current when the rows arrive,
        which the user may have moved to meanwhile) if it is still there, or goes to
        the first hit of a new search."""
        if self._request is not None:
            self._request.superseded.set()
        screen = self.screen
        query = ListQuery(screen.group, screen.newest_first, self.by_relevance)
        text = screen.search_text
        searching = bool(text.strip())
        again = searching and (text, query) == self._shown
        self._request = ListRequest(text, query, keep, searching and not again, again)
        self.screen.run_worker(partial(self._compute_list, self._request), thread=True,
                               exclusive=True, group="list")

    def search_again(self) -> None:
        """The index grew: a search on screen may find more."""
        if self.screen.search_text:
            self.refresh()

    def toggle_relevance(self) -> None:
        self.by_relevance = not self.by_relevance
        self.screen.notify("Search hits by relevance." if self.by_relevance else
                           "Search hits by date.", timeout=2)
        self.refresh()

    def is_current(self) -> bool:
        """False until the newest request's complete list is on the screen."""
        return self._request is None or (self._request.painted and self.complete)

    def _compute_list(self, request: ListRequest) -> None:
        worker = get_current_worker()
        cancelled = lambda: worker.is_cancelled or request.superseded.is_set()  # noqa: E731
        search, group = self.services.search, request.query.group
        sort = "relevance" if request.query.by_relevance else "date"
        # oldest first: all at once (the first page would be the newest); a search run
        # again too: its rows are on screen, and a first page would cut them, and its
        # count, to a lower bound for a moment (`1,000 stories found`, `100+`, `1,001`)
        paged = request.query.newest_first or sort == "relevance"
        first = FIRST_HITS if paged and not request.again else 0
        outcome = search(request.text, group, first, cancelled, sort=sort)
        if outcome.malformed and request.query == self._shown[1]:
            self.screen.from_worker(self._show_malformed, request, outcome)
            return
        if not self._post_rows(request, outcome, cancelled) or outcome.complete:
            return
        if request.superseded.wait(self.full_list_delay):
            return
        self._post_rows(request, search(request.text, group, 0, cancelled, sort=sort),
                        cancelled)

    def _post_rows(self, request: ListRequest, outcome: SearchOutcome,
                   cancelled: Callable[[], bool]) -> bool:
        """Hand the outcome's rows to the screen; False when cancelled first."""
        if cancelled():
            return False
        listed = self.services.list_rows(outcome, request.query, cancelled)
        if listed is None or cancelled():
            return False
        self.screen.from_worker(self._show_rows, request, listed, outcome)
        return True

    def _show_rows(self, request: ListRequest, listed: ListRows,
                   outcome: SearchOutcome) -> None:
        if request is not self._request:
            return  # a newer request is under way
        article_list = self.screen.article_list
        current = article_list.current
        again = request.painted or not (request.keep or request.first)
        same = (request.text, request.query) == self._shown  # (the same list, made again)
        if again:  # (the same list made again, or another group's: the cursor's article)
            keep = current.path if current else None
        else:
            keep = request.keep  # None for a new search: its first hit
        request.painted = True
        self.outcome, self.size, rows = outcome, listed.size, listed.rows
        self.size_counts = listed.counts
        self.counted_hits = listed.counted
        self._shown = (request.text, request.query)
        if article_list.set_rows(rows, keep, partial=not outcome.complete,
                                 again=again and same):
            self.screen.changes.displaced_to(keep, article_list.current.path)
        self._show_search_status(outcome, len(rows), request.query)
        self.show_view_counts()
        self.screen.rows_shown(rows, outcome)
        self.screen.keys_may_go()

    def _show_malformed(self, request: ListRequest, outcome: SearchOutcome) -> None:
        """The rows stay (they are of the same group and order); the status says why."""
        if request is self._request:
            request.painted = True  # what is on screen is the answer: keys may go on
            self.screen.status.set_part("search", f"{outcome.message} · the list is unchanged")
            self.screen.keys_may_go()

    def _show_search_status(self, outcome: SearchOutcome, shown: int,
                            query: ListQuery) -> None:
        status = self.screen.status
        if outcome.paths is None and not outcome.message:
            status.set_part("search", "")
            return
        parts = []
        if outcome.paths is not None:
            count = self._hits(shown) if outcome.complete else self._first_total(outcome, shown)
            if self.screen.held.why:  # some may be hidden, or copies: not counted yet
                count = f"hits ({self.screen.held.why})"
            where = "" if query.group == ALL else f" in {group_name(query.group)}"
            if query.group[0] == "search":
                where = f" within the saved search {group_name(query.group)}"
            parts += [count + where, _order_name(query, outcome.ranked)]
        status.set_part("search", " · ".join(t for t in (*parts, outcome.message) if t))

    def _hits(self, shown: int) -> str:
        """The complete list's count: of hits ("12 hits"), or, while there are stories, of
        what the tree counts ("11 stories found", "12 articles found")."""
        unit = self.services.counted
        return f"{counted(self.size, unit)} found" if unit else plural(shown, "hit")

    def _first_total(self, outcome: SearchOutcome, shown: int) -> str:
        """A first page's count: the index's total, which counts the hidden hits too (the
        index knows no rules, and taking them off exactly needs every hit's path: the
        complete list, a moment later); so while rules hide anything, the hits shown so
        far, a lower bound ("86+ hits").  The index counts articles: by story, the
        stories of the page shown, a lower bound too ("95+ stories found")."""
        unit = self.services.counted
        if unit == "stories" or (unit and self.services.counts.hidden):
            return f"{counted(self.size, unit, '+')} found"
        if self.services.counts.hidden:
            return f"{shown:,}+ hits"
        about = "" if outcome.total_exact else "about "
        if unit:
            return f"{about}{counted(outcome.total, unit)} found"
        return plural(outcome.total, "hit", about)

    def show_counts(self) -> None:
        """The search's and the view's counts again (a hide rule was applied)."""
        if self._request is not None and self._request.painted:
            self._show_search_status(self.outcome, len(self.screen.article_list.rows),
                                     self._shown[1])
        self.show_view_counts()

    def show_view_counts(self) -> None:
        """The status's and the list title's counts, as the tree counts: stories or
        articles, saying which while there are stories ("13 stories in view · 13 unread
        of 13"; the title "Articles (13 stories)")."""
        if self.screen.held.why:  # (reader/ui/screens/held_counts.py)
            self.screen.status.set_part("view", self.screen.held.why.capitalize())
            return
        unit = self.services.counted
        size = self.view_size()
        if size is None:  # the rows, counted otherwise, are being made again: their
            return  # own show says it (a held count's text stays meanwhile)
        bound = "" if self.complete else "+"
        shown = counted(size, unit, bound)
        so_far = " found so far" if self.screen.background.partial else ""
        self.screen.status.set_part("view", f"{shown} in view · {self._unread_of()}{so_far}")
        # the list's title names its rows (articles): it says "stories" when it counts them
        self.screen.article_list.show_count(shown if unit == "stories" else
                                            counted(size, "", bound))

    def _unread_of(self) -> str:
        """The group's unread and total, as the tree counts them: what is in view, but
        for a search, whose counts are its group's, named ("12 unread of 13 in All"; in a
        group the status said the archive's, as if they were the group's)."""
        group, counts = self.screen.group, self.services.tree_counts
        if group not in counts:  # (a saved search, the hidden articles: the archive's)
            group = ALL
        count = counts[group]
        named = group != self.screen.group or self.screen.search_text
        return (f"{count.unread:,} unread of {count.total:,}"
                + (f" in {group_name(group)}" if named else ""))

    def edited(self, rows: Sequence[Article], gone: AbstractSet[str]) -> None:
        """The rows edited in place (the archive changed, `gone`: the paths that left it):
        `size` counted again as `list_rows` counts it: a search's hits without those gone
        (its copies folded under their story's row too; the search, run again once the
        index has the change, counts its arrivals), by the stories as they are now.  The
        cost is the change's and the stories', not the hits': 0.1 ms for 67,000 hits
        at 100,000 articles (a filter of them took 30-40 ms on the event loop)."""
        self.size_counts = self.services.counted
        if self.outcome.paths is None:
            self.size = len(rows)
            return
        if gone and not gone.isdisjoint(self.counted_hits):
            self.counted_hits = self.counted_hits - gone  # (a new set: the old one is
        self.size = self.services.count_of(self.counted_hits)  # the worker's, shared)

    def view_size(self) -> int | None:
        """How many stories or articles the list shows, as the tree counts them: a group's
        count in the tree (the rows of a group are its members; the tree's count follows
        the archive's changes, which edit the rows in place), else the rows' own size;
        None while that size counted other things than the tree counts now (the stories
        just loaded: the rows, of articles, are being made again by story; a warm start
        said `15 stories in view` of 13 stories and 15 articles for a frame)."""
        group, counts = self.screen.group, self.services.tree_counts
        if self.outcome.paths is None and self.is_current() and group in counts:
            return counts[group].total
        return self.size if self.size_counts == self.services.counted else None


def _order_name(query: ListQuery, ranked: bool) -> str:
    if ranked:
        return "by relevance"
    return "newest first" if query.newest_first else "oldest first"
