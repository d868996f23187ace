"""What the main screen's keys do: navigate, mark, star, undo, open and copy links, layout."""

from __future__ import annotations

import asyncio
from typing import Sequence

from textual import events, work
from textual.actions import SkipAction
from textual.timer import Timer

from reader.archive.model import Article
from reader.state import READ, STAR, StateError, Undone
from reader.ui.keys import CHORDS, help_rows
from reader.session.listing import next_unread
from reader.ui.screens.help import HelpScreen
from reader.ui.sanitize import clean_line, is_openable
from reader.ui.wording import plural


SCOPES = {"below": "below the cursor", "above": "above the cursor", "view": "in view"}


class ArticleActions:
    """Mixed into MainScreen: one method per key (see reader/ui/keys.py)."""

    _marks_lock: asyncio.Lock | None = None  # bulk marks and undos, in order
    _seen_timer: Timer | None = None  # marks the shown article read (mark_read_on_move)
    _chord: str | None = None  # the first key of a two-key command was pressed

    # -- navigation -----------------------------------------------------------------

    def action_search(self) -> None:
        # set_focus now, not focus() (which waits a turn): keys typed right after / go
        # to the search box even when they arrive in the same burst.
        self.set_focus(self.query_one("#search"))

    def action_clear_search(self) -> None:
        """Escape, anywhere on the screen: back to every article of the group, the
        cursor staying on the article it is on.  (In the box, the box's own escape.)"""
        search_box = self.query_one("#search")
        if not search_box.value:
            raise SkipAction()
        search_box.value = ""

    def action_quit(self) -> None:
        self.app.exit(0)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(help_rows(self.services.settings.keys)))

    def action_next_unread(self) -> None:
        self._jump_unread(1)

    def action_previous_unread(self) -> None:
        self._jump_unread(-1)

    def _jump_unread(self, step: int) -> None:
        article_list = self.article_list
        index = next_unread(len(article_list.rows), article_list.cursor, step,
                            article_list.row_read)
        if index is None:
            self.notify("No more unread articles here.", timeout=2)
            return
        article_list.move_to(index)
        self.open_article(article_list.rows[index])

    def action_page_down(self) -> None:
        self.article_pane.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.article_pane.scroll_page_up(animate=False)

    def action_focus_next_pane(self) -> None:
        self.focus_next()

    def action_focus_previous_pane(self) -> None:
        self.focus_previous()

    # -- marks ----------------------------------------------------------------------

    def set_read(self, articles: Sequence[Article], read: bool) -> list[Article]:
        changed = self.services.set_read(articles, read)
        self.show_marks(changed)
        return changed

    def show_marks(self, articles: Sequence[Article]) -> None:
        """The marks of these articles changed: the tree's counts and their rows."""
        if not articles:
            return
        tree = self.tree
        tree.counts = self.services.tree_counts
        if len(articles) > 50:
            tree.refresh_all_counts()
            self.article_list.refresh()  # marks are in the row cache's key
        else:
            keys_of = self.services.groups.keys_of
            tree.refresh_counts({key for a in articles for key in keys_of(a)})
            self.article_list.refresh_paths({a.path for a in articles})
        self.show_view_counts()

    def action_toggle_read(self) -> None:
        article = self.article_list.current
        if article is not None:
            self._forget_shown()  # the user decides, the timer must not undo it
            read = not self.article_list.row_read(self.article_list.cursor)
            self.set_read(self.stories.row_of(article), read)  # a folded story: all of it

    def action_toggle_star(self) -> None:
        article = self.article_list.current
        if article is not None:
            starred = self.services.toggle_star(article)
            self.show_marks([article])
            self.notify("Starred." if starred else "Star removed.", timeout=2)

    # -- many at once: A, c n / c p / c a, S n / S p / S a ------------------------------

    def action_mark_all_read(self) -> None:
        self.action_mark_read("view")

    def action_mark_read(self, scope: str) -> None:
        """Mark read everything in `scope` (below or above the cursor, or in view)."""
        rows = self._rows_of(scope)
        if rows is not None:
            self._mark_many(READ, rows, True, scope)

    def action_star_many(self, scope: str) -> None:
        """Star everything in `scope`; unstar it when all of it is starred already."""
        rows = self._rows_of(scope)
        if rows is not None:
            star = not all(self.services.is_starred(a.path) for a in rows)
            self._mark_many(STAR, rows, star, scope)

    def _rows_of(self, scope: str) -> list[Article] | None:
        """The rows below or above the cursor (not the cursor's own), or all; None while
        the list is not complete (the rest of the hits are still being listed)."""
        if not self.list_complete:
            self.notify("Still listing every hit; press the key again in a moment.",
                        timeout=3)
            return None
        rows, cursor = self.article_list.rows, self.article_list.cursor
        if scope == "view" or not rows:
            return list(rows)
        return list(rows[cursor + 1:] if scope == "below" else rows[:cursor])

    @work(group="marks")
    async def _mark_many(self, field: int, rows: list[Article], value: bool,
                         scope: str) -> None:
        """On the event loop, the one owner of the marks, a chunk at a time (at 100k rows
        the sets and counts take a few tenths of a second: keys and frames go between
        the chunks), in order with the undos; one undo step, even for one article."""
        where = SCOPES[scope]
        async with self._marks_in_order():
            changed = await _stepwise(self.services.marking(field, rows, value, where))
        self.show_marks(changed)
        verb = {(True, True): "read", (True, False): "unread", (False, True): "starred",
                (False, False): "unstarred"}[field == READ, value]
        if changed:
            self.notify(f"Marked {plural(len(changed), 'article')} {where} {verb}. "
                        "Press u to undo.", timeout=4)
        else:
            self.notify(f"Everything {where} is {verb} already.", timeout=2)

    # -- undo and redo --------------------------------------------------------------

    def action_undo(self) -> None:
        self._undo(False)

    def action_redo(self) -> None:
        self._undo(True)

    @work(group="undo")
    async def _undo(self, redo: bool) -> None:
        """Wait (off the event loop) for every mark asked before, then the undo; its
        marks are applied by deltas, as a bulk mark's."""
        async with self._marks_in_order():
            try:
                undone = await asyncio.wrap_future(self.services.undo(redo))
            except StateError:
                return  # the state writer said why (services.on_error)
            changed = await _stepwise(self.services.undoing(undone))
        self.show_marks(changed)
        self.notify(undo_message(undone, redo), timeout=4)

    def _marks_in_order(self) -> asyncio.Lock:
        """Bulk marks and undos one at a time, in the order asked: `u` right after `A`
        undoes that `A`."""
        if self._marks_lock is None:
            self._marks_lock = asyncio.Lock()
        return self._marks_lock

    # -- two-key commands (keys.CHORDS) ---------------------------------------------

    def action_chord(self, name: str) -> None:
        """The first key of a two-key command: the next key picks the action."""
        self._chord = name
        verb = "Mark read" if name == "catch_up" else "Star (or unstar)"
        self.notify(f"{verb}: then n everything below the cursor, p above it, a everything "
                    "in view; another key cancels.", timeout=4)

    async def on_key(self, event: events.Key) -> None:
        """The second key of a two-key command, taken before any binding sees it."""
        name, self._chord = self._chord, None
        if name is None:
            return
        event.stop()
        event.prevent_default()
        action = CHORDS[name].get(event.key or "", (None, ""))[0]
        if action is None:
            self.notify("Nothing done.", timeout=2)
            return
        await self.run_action(action)

    # -- marking read on move (mark_read_on_move) ------------------------------------

    def article_shown(self, article: Article) -> None:
        """The pane now shows `article`: with `mark_read_on_move`, it is marked read once
        it has been shown that many seconds, unless the cursor moves on first."""
        self._forget_shown()
        seconds = self.services.settings.mark_read_on_move
        if seconds > 0 and not self.services.is_read(article.path):
            self._seen_timer = self.set_timer(seconds, lambda: self._seen(article),
                                              name="mark-read-on-move")

    def cursor_moved(self, article: Article) -> None:
        """The list's cursor is on `article` now: another article's moment is over."""
        if self.article_pane.shown_path != article.path:
            self._forget_shown()

    def _forget_shown(self) -> None:
        if self._seen_timer is not None:
            self._seen_timer.stop()
            self._seen_timer = None

    def _seen(self, article: Article) -> None:
        """Shown long enough: marked read if it is still the one shown and under the
        cursor, and the user is not typing a search (the first hit shows meanwhile)."""
        self._seen_timer = None
        current = self.article_list.current
        typing = getattr(self.focused, "id", None) == "search"
        if current is not None and current.path == article.path == \
                self.article_pane.shown_path and not typing:
            self.set_read(self.stories.read_with(article), True)  # its story (read_story)

    # -- links ----------------------------------------------------------------------

    def action_open_link(self) -> None:
        article = self.article_list.current
        if article is None or not article.link:
            self.notify("This article has no link.", severity="warning", timeout=3)
            return
        self.open_url(article.link)

    def open_url(self, url: str) -> None:
        if not is_openable(url):
            self.notify("Only http, https and mailto links are opened.", severity="warning")
            return
        self._open_in_browser(url)

    @work(thread=True, group="browser")
    def _open_in_browser(self, url: str) -> None:
        opened = self.services.open_link(url)
        if opened:
            self.app.call_from_thread(self.notify, "Opened in the browser.", timeout=3)
            return
        # The link in full (checked by is_openable: no control character), as data, not
        # markup, and long enough on screen to be selected; y copies it too.
        self.app.call_from_thread(
            self.notify, f"No browser could open the link (y copies it): {url}",
            severity="warning", timeout=15, markup=False)

    def action_copy_link(self) -> None:
        article = self.article_list.current
        if article is None or not article.link:
            self.notify("This article has no link.", severity="warning", timeout=3)
            return
        link = clean_line(article.link)  # pasted into a shell, a control character acts
        self.app.copy_to_clipboard(link)
        self.notify("Link copied." if link == article.link else
                    "Link copied, without the control characters it held.", timeout=3)

    # -- layout ---------------------------------------------------------------------

    def action_zoom(self) -> None:
        self.toggle_class("zoomed")
        if self.has_class("zoomed"):
            self.set_focus(self.article_pane)
        else:
            self.set_focus(self.article_list)

    def action_toggle_tree(self) -> None:
        self.toggle_class("no-tree")

    def action_toggle_order(self) -> None:
        self.newest_first = not self.newest_first
        self.notify("Newest first." if self.newest_first else "Oldest first.", timeout=2)
        self.refresh_list()

    def action_resize_tree(self, delta: int) -> None:
        tree = self.tree
        width = tree.styles.width.value if tree.styles.width else 28
        tree.styles.width = max(12, min(int(width) + delta, self.size.width - 30))

    def action_resize_list(self, delta: int) -> None:
        """From the height last set, not the one on screen: keys that repeat faster
        than the screen is laid out each count."""
        article_list = self.article_list
        height = article_list.styles.height
        cells = height.cells if height is not None else None
        height = (article_list.outer_size.height if cells is None else cells) + delta
        article_list.styles.height = max(3, min(height, self.size.height - 8))


def undo_message(undone: Undone | None, redo: bool) -> str:
    """What `u` (or ctrl+r) says it did."""
    if undone is None:
        return "Nothing to redo." if redo else "Nothing to undo."
    done = "Redone" if redo else "Undone"
    left = (f" {plural(undone.left, 'article')} changed since, left as they are."
            if undone.left else "")
    if not undone.restored:
        return f"Nothing {done.lower()} of {undone.label}:{left}"
    return f"{done}: {undone.label}.{left}"


async def _stepwise(steps) -> list[Article]:
    """Run a `Services.marking` or `undoing` on the event loop, letting it turn between
    the chunks; their result."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
        await asyncio.sleep(0)
