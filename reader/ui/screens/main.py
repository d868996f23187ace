"""The main screen: groups on the left; search, article list and article on the right.

Widgets post messages up (a group or an article was highlighted, the search
changed) and workers post theirs (reader/ui/messages.py); this screen decides
what to do and calls down.  It holds four parts, each the one owner of its
state: `background` (background.py: loading, scanning, indexing), `watching`
(watching.py: the folder followed while the reader is open), `listing`
(list_updates.py: what the list shows, the search) and `changes` (changes.py:
a scan's delta applied to the panes).  The screen owns the group, the search
text and the order; the keys are in actions.py.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Markdown
from textual.worker import get_current_worker

from reader.archive.model import Article, ParsedArticle
from reader.ui.keys import SCREEN_BINDINGS
from reader.session.listing import ALL, GroupKey
from reader.session.search import SearchOutcome
from reader.session.services import Services
from reader.state.groups import NEW
from reader.ui.wording import local_date
from reader.ui.messages import (CatalogChanged, CatalogLoaded, Indexed, IndexGrew,
                                Merged, NewFound, Progressed, ScanFinished, Watched)
from reader.ui.screens.actions import ArticleActions
from reader.ui.screens.background import Background
from reader.ui.screens.watching import Watching
from reader.ui.screens.changes import LiveChanges
from reader.ui.screens.list_updates import Listing
from reader.ui.screens.held_counts import HeldCounts
from reader.ui.screens.rule_nodes import RuleNodes
from reader.ui.screens.search_nodes import SearchNodes
from reader.ui.screens.related_rows import RelatedRows
from reader.ui.screens.story_rows import StoryRows
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticlePane
from reader.ui.widgets.footer import ReaderFooter
from reader.ui.widgets.group_tree import GroupTree
from reader.ui.widgets.search_box import SearchBox
from reader.ui.widgets.status_bar import StatusBar

PREVIEW_DELAY = 0.15  # seconds the cursor must rest on a row before the article is shown


class MainScreen(ArticleActions, Screen):
    """The reader's three panes."""

    BINDINGS = SCREEN_BINDINGS
    AUTO_FOCUS = "#list"  # at once, as the screen is composed: the first key finds it
    preview_delay = PREVIEW_DELAY

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.group: GroupKey = ALL
        self.search_text = ""
        self.newest_first = True
        self._preview: Timer | None = None
        self._open_when_shown: str | None = None
        self.background = Background(self)
        self.watching = Watching(self)
        self.listing = Listing(self)
        self.changes = LiveChanges(self)
        self.search_nodes = SearchNodes(self)
        self.held = HeldCounts(self)
        self.rule_nodes = RuleNodes(self)
        self.stories = StoryRows(self)
        self.related = RelatedRows(self)

    def compose(self) -> ComposeResult:
        tz = self.services.settings.tzinfo
        with Horizontal(id="panes"):
            yield GroupTree(id="tree")
            with Vertical(id="right"):
                yield SearchBox(id="search")
                yield ArticleList(tz, id="list")
                yield ArticlePane(tz, id="article")
        yield StatusBar(id="status")
        yield ReaderFooter()

    def on_mount(self) -> None:
        article_list = self.article_list
        article_list.is_read = self.services.is_read
        article_list.is_starred = self.services.is_starred
        article_list.is_highlighted = self.services.rules.is_highlighted
        article_list.border_title = "Articles"
        self.query_one(GroupTree).border_title = "Groups"  # (", by story" with stories)
        self.article_pane.border_title = "Article"
        self.status.set_part("view", "Loading…")
        self.search_nodes.show()
        self.rule_nodes.show()
        self.services.on_new = lambda: self.post_message(NewFound())  # (from a thread)
        self.background.start()
        self.keys_may_go()  # (run after this handler, once the screen is mounted)

    def on_unmount(self) -> None:
        self.services.on_new = None
        self.background.stop()
        self.stories.stop()

    # -- the parts, as the keys, tests and benchmarks see them -----------------------

    @property
    def outcome(self) -> SearchOutcome:
        return self.listing.outcome

    @property
    def list_complete(self) -> bool:
        return self.listing.complete

    @property
    def list_generation(self) -> int:
        return self.article_list.generation

    @property
    def loaded(self):
        return self.background.loaded

    @property
    def scanning(self) -> bool:
        return self.background.scanning

    def stop_background(self) -> None:
        self.background.stop()

    def refresh_list(self, keep: str | None = None) -> None:
        self.listing.refresh(keep)

    def list_is_current(self) -> bool:
        return self.listing.is_current()

    def show_view_counts(self) -> None:
        self.listing.show_view_counts()

    def action_rescan(self) -> None:
        self.background.rescan()

    def action_toggle_relevance(self) -> None:
        self.listing.toggle_relevance()

    def action_jump_newest(self) -> None:
        self.changes.jump_newest()

    def action_save_search(self) -> None:
        self.search_nodes.save_current()

    def action_glance(self) -> None:
        """The archive at a glance for the group and the search shown; Enter on one of
        its categories or tags selects that group here."""
        from reader.ui.screens.glance import GlanceScreen

        GlanceScreen.open(self.app, self.services, self.group, self.search_text, self.outcome,
                          lambda key: key and self.tree.select_key(key))

    # -- messages from the workers ----------------------------------------------------

    def on_catalog_loaded(self, message: CatalogLoaded) -> None:
        self.background.catalog_loaded(message)
        self.stories.catalog_loaded()

    def on_catalog_changed(self, message: CatalogChanged) -> None:
        self.changes.apply(message.change)
        self.stories.catalog_changed(message.change)
        self.related.catalog_changed(message.change.gone)
        if message.taken is not None:
            message.taken.set()

    def on_scan_finished(self, message: ScanFinished) -> None:
        self.background.scan_finished(message)

    def on_index_grew(self, message: IndexGrew) -> None:
        self.listing.search_again()
        self.related.index_grew()

    def on_indexed(self, message: Indexed) -> None:
        self.background.indexed(message)

    def on_merged(self, message: Merged) -> None:
        self.background.merge.merged(message)

    def on_new_found(self, message: NewFound) -> None:
        """New's members changed (an arrival the catalog had before the writer said it
        was new): the node's count, the status's, and the list when it is New's."""
        if self.services.take_new():
            self.tree.refresh_counts([NEW])
            self.changes.new_grew()
            if self.group == NEW:
                self.refresh_list()

    def on_watched(self, message: Watched) -> None:
        self.watching.watched(message)

    def on_progressed(self, message: Progressed) -> None:
        self.status.set_part(message.part, message.text)

    # -- widgets ------------------------------------------------------------------

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def article_pane(self) -> ArticlePane:
        return self.query_one(ArticlePane)

    @property
    def tree(self) -> GroupTree:
        return self.query_one(GroupTree)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    # -- keys (see reader/ui/key_queue.py) ------------------------------------------

    def keys_must_wait(self) -> bool:
        """True while the next key would act on rows that are not yet those of what was
        typed before it: the search box holds text not yet searched, or the list is
        being recomputed, or the screen has no widgets yet (keys typed as the reader
        starts on a busy machine: on_mount lets them go).  Typing in the box and moving
        in the tree never wait."""
        if not self.is_mounted:
            return True
        if isinstance(self.focused, (SearchBox, GroupTree)):
            return False
        return (self.query_one(SearchBox).value != self.search_text
                or not self.list_is_current() or self.related.pending)

    def quits(self, event: events.Key) -> bool:
        """Whether `event` is the quit key where it would quit (not typed into the search
        box, nor the second key of a chord): the app quits then at once, whatever the
        list is doing (it waits for no key before it: see NewsReaderApp.on_event)."""
        if self._chord is not None or isinstance(self.focused, Input):
            return False
        binding = self.active_bindings.get(event.key)
        return binding is not None and binding.binding.action == "quit"

    def keys_may_go(self) -> None:
        """What keys_must_wait looks at has changed."""
        self.app.key_queue.resume()

    def on_paste(self, event: events.Paste) -> None:
        """A paste outside the search box is searched (a leading / dropped, as if typed
        after it): pasted text never runs the list's commands."""
        text = event.text.strip().removeprefix("/")
        event.stop()
        if text:
            box = self.query_one(SearchBox)
            self.set_focus(box)  # the box selects its old text as it takes the focus,
            box.post_message(events.Paste(text))  # and the paste then replaces it

    # -- the list (see list_updates.py) ----------------------------------------------

    def jump_to(self, path: str, open_it: bool = True) -> None:
        """Show and open one article (or only go to it and show it, not read: `N`),
        clearing the search and group if they hide it."""
        if not any(a.path == path for a in self.article_list.rows):
            self.group, self.search_text = ALL, ""
            self.query_one(SearchBox).value = ""
            self.tree.select_key(ALL)
        self._open_when_shown = path if open_it else None
        self.refresh_list(keep=path)

    # -- messages from the widgets -------------------------------------------------

    def on_group_tree_group_highlighted(self, event: GroupTree.GroupHighlighted) -> None:
        if event.key != self.group:
            self.group = event.key
            self.refresh_list()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search" and event.value != self.search_text:
            self.search_text = event.value
            self.refresh_list()
            self.keys_may_go()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.set_focus(self.article_list)

    def on_search_box_cleared(self, event: SearchBox.Cleared) -> None:
        self.set_focus(self.article_list)

    def on_article_list_highlighted(self, event: ArticleList.Highlighted) -> None:
        self.cursor_moved(event.article)
        if event.index == 0 and self.newest_first:  # the newest in view: looked at
            self.changes.seen()
        if self._preview is not None:
            self._preview.stop()
        if not self._is_shown(event.article):
            self.schedule_preview(event.article.path)

    def schedule_preview(self, path: str) -> None:
        """Show the article once the cursor (or the typing) has rested a moment; not
        over a deleted open article while the cursor is still on the row that took its
        place (the rows were redrawn, the cursor did not move)."""
        if self._preview is not None:
            self._preview.stop()
        if self.changes.holds_gone(path):
            return
        if self.preview_delay <= 0:
            self.load_article(path)
        else:
            self._preview = self.set_timer(self.preview_delay, lambda: self.load_article(path))

    def on_article_list_selected(self, event: ArticleList.Selected) -> None:
        self.open_article(event.article)

    def on_article_list_story_toggled(self, event: ArticleList.StoryToggled) -> None:
        self.stories.toggle(event.article, event.story)

    def action_open_copy(self, n: int) -> None:
        self.stories.open_copy(self.article_list.current, n)

    def action_open_related(self, n: int) -> None:
        self.related.open(n)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.open_url(event.href)

    # -- showing an article ---------------------------------------------------------

    def open_article(self, article: Article) -> None:
        """Show the article now and, if so configured, mark it read."""
        if self._preview is not None:
            self._preview.stop()
        if not self._is_shown(article):
            self.load_article(article.path)
        if self.services.settings.mark_read_on_open:
            self.set_read(self.stories.read_with(article), True)

    def _is_shown(self, article: Article) -> bool:
        """True when the pane shows this article, highlighted for the current search."""
        pane = self.article_pane
        return pane.shown_path == article.path and pane.shown_terms == self.outcome.terms

    @work(thread=True, exclusive=True, group="article")
    def load_article(self, path: str) -> None:
        parsed = self.services.read_article(path)
        if not get_current_worker().is_cancelled:
            self.from_worker(self._show_article, path, parsed)

    def from_worker(self, callback: Callable[..., object], *args: object) -> object:
        """From a worker's thread: `callback(*args)` on the event loop, and its answer;
        dropped (None) if the reader quit meanwhile, as its widgets are gone (a
        NoMatches there failed the worker, and the reader's exit with it)."""
        return self.app.call_from_thread(self._while_shown, callback, *args)

    def _while_shown(self, callback: Callable[..., object], *args: object) -> object:
        if not self.is_mounted or not self.query(ArticleList):
            return None
        return callback(*args)

    def rows_shown(self, rows: list[Article], outcome: SearchOutcome) -> None:
        """New rows are on the list: preview the cursor's article, or open the one asked
        for (jump_to); say why when there are none.  "N arrived" is counted again: the rows
        change when the stories do, and it counts stories."""
        self.background.rows_shown(rows)
        self.changes.show_new()
        current = self.article_list.current
        if current is not None and not self._is_shown(current):
            if self.article_pane.shown_path is None and not self.article_pane.gone:
                self.article_pane.show_message("")  # (not "no article found yet" over
            self.schedule_preview(current.path)  # rows, until the preview comes)
        if current is not None and current.path == self._open_when_shown:
            self.open_article(current)
        self._open_when_shown = None
        if not rows and not self.article_pane.gone:  # a deleted open article stays readable
            self.article_pane.show_message(
                "Nothing matches this search here." if outcome.paths is not None else
                "Scanning the archive: no article found yet." if self.background.first_scan
                else self._why_empty())

    def _why_empty(self) -> str:
        """Why the group lists nothing (a search's note, New's boundary)."""
        since, first = self.services.new_since() if self.group == NEW else (None, False)
        if since is None:
            return self.search_nodes.why_empty(self.group) or "No articles here."
        if first:
            return ("Nothing new: the archive as this first session found it is not new; "
                    "what arrives while the reader is open is listed here.")
        when = local_date(since, self.services.settings.tzinfo, "%Y-%m-%d %H:%M")
        return f"Nothing arrived since the previous session began ({when})."

    def _show_article(self, path: str, parsed: ParsedArticle) -> None:
        current = self.article_list.current
        if current is not None and current.path == path:
            self.article_pane.show(parsed, self.outcome.terms)
            self.article_pane.show_copies(self.stories.copies_text(current))
            self.related.article_shown(current, parsed.body or "")
            self.article_shown(current)
