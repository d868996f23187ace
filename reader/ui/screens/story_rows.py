"""The main screen's part for stories (copies of one report, reader/session/stories.py):
opened in a worker once the first catalog is shown, kept by the catalog's deltas, one
row per story in the list (x shows its copies under it), the copies listed under the
article (1-5 open one), and read once: opening a copy marks its whole story read
(`read_story = "story"`, the default) as one step of the undo log.

The stories load in a worker and never delay the first rows: a warm start reads them
from stories.sqlite3 (about 0.3 s CPU at 100,000 articles), a new archive is grouped
from scratch in the background (about 0.8 ms an article) and the list is grouped when
that ends.  Deltas are applied one at a time, in order, on a thread of this part.
"""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Sequence

from rich.text import Text
from textual.screen import Screen

from reader.archive.model import Article
from reader.session.catalog import CatalogChange
from reader.session.stories import Staged, Story
from reader.session.story_open import open_stories
from reader.session.story_counts import story_read
from reader.stories.signing import Signer
from reader.ui.messages import Progressed
from reader.ui.sanitize import clean_line
from reader.ui.wording import numbered_articles

COPIES_SHOWN = 5  # copies listed under the article (keys 1-5)
SIGNING_WORKERS = 2  # processes that make a big change's signatures (reader/stories/signing.py)
WARM_FROM = 10_000  # articles from which they start with the stories, ready for a burst
SOURCES_NAMED = 3  # sources a story's row names before "+N"
GROUPED_AT_ONCE = 500  # articles to group beyond which the counts are by article meanwhile


class StoryRows:
    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.services = screen.services
        self.ready = threading.Event()  # the stories are open (tests wait on it)
        self._started = False
        self._cancel = threading.Event()
        self._changes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stories")
        self._labels: dict[int, str] = {}  # id(story) -> its row's label
        self._grouped = 0  # the articles of the catalog the stories were last brought to

    # -- opening and keeping them ----------------------------------------------------

    def catalog_loaded(self) -> None:
        """A whole catalog is shown: open the stories in a worker (the first time), or
        bring them up to it (a first scan's, after the cache's)."""
        if not self.services.settings.group_stories:
            return
        if not self._started:
            self._started = True
            self.screen.run_worker(self._open, thread=True, group="stories")
        elif self.ready.is_set():
            catalog = self.services.catalog
            if len(catalog) - self._grouped > GROUPED_AT_ONCE:  # by article from now on,
                self._grouping_long(True)  # not from its first progress: a first scan's
            self._in_turn(self._catch_up, catalog)  # end said "by story" of half of it

    def _progress(self, done: int, total: int) -> None:
        """From the grouping's thread: how much of the catalog is grouped (what was
        grouped before counts as done: `grouping stories 3,700/29,700`).  More than a
        batch to group: counted by article meanwhile, and the tree says so."""
        if done < total and not self.services.grouping_long:
            self.screen.from_worker(self._grouping_long, True)
        self.screen.post_message(Progressed("stories", f"grouping stories {done:,}/{total:,}"))

    def _grouping_long(self, long: bool) -> None:
        """On the event loop: a long grouping begins (every count by article: the counts
        held for the stories let go, or the stories of a first look counted while a
        catch-up goes on) or ends (by story again, with its `_stories_changed`)."""
        services = self.services
        if services.grouping_long == long or services.counting == "articles" and long:
            return
        services.grouping_long = long
        if not long:
            return
        if self.screen.held.stories_pending:
            self.screen.held.stories_loaded(by_article=True)
        tree = self.screen.tree
        tree.count_by("articles")
        tree.counts = services.tree_counts
        tree.refresh_all_counts()
        self.screen.listing.show_view_counts()

    def _open(self) -> None:
        services, app = self.services, self.screen.app
        catalog = services.catalog
        try:
            stories = open_stories(services.archive, services.settings, catalog.articles,
                                   self._progress, self._cancel, Signer(SIGNING_WORKERS))
            stories.warm(workers=len(catalog) >= WARM_FROM)  # (a burst to come: its
            # workers ready for it)
        except (OSError, sqlite3.Error) as exc:  # the data dir cannot hold stories.sqlite3
            self.screen.from_worker(self.screen.held.stories_loaded)  # counted by article
            app.call_from_thread(self.screen.notify, f"Stories are not grouped: {exc}",
                                 severity="warning", timeout=10)
            return
        if not self._cancel.is_set():
            self.screen.from_worker(self._opened, stories, catalog)

    def _opened(self, stories, catalog) -> None:
        self._grouped = len(catalog)
        self._grouping_long(False)
        self.services.stories = stories
        self.screen.article_list.story_of = stories.story_of
        self.screen.article_list.story_label = self.label
        self.screen.article_list.story_read = self.is_read
        self.screen.status.set_part("stories", "")
        self.ready.set()
        if stories.view:
            self._stories_changed()
        self.screen.held.stories_loaded()  # the counts, held till now, by story
        if self.services.catalog is not catalog:  # a newer one came meanwhile
            self._in_turn(self._catch_up, self.services.catalog)

    def catalog_changed(self, change: CatalogChange) -> None:
        """Files came or went: their stories were grouped in the scan's worker and shown
        with the delta (the list already has them in their stories), or, where that
        worker had no stories open yet, they change on this part's thread, in order."""
        if not self.ready.is_set() or not change.delta:
            return
        if change.stories is not None:  # (the tree has the change's groups counted)
            reshaped = change.stories.reshaped
            self._stories_changed(rows=reshaped, counts=reshaped)
        else:
            self._in_turn(self._apply, change)

    def _in_turn(self, job, *args) -> None:
        """Run `job` on this part's thread, after the jobs before it, in a worker that
        waits for it (so that tests, and the app's exit, see it as work under way)."""
        future = self._changes.submit(job, *args)
        self.screen.run_worker(future.result, thread=True, group="stories")

    def _apply(self, change: CatalogChange) -> None:
        """A change listed before its stories were grouped (a big rescan that kept no
        bodies) grouped here, and shown on the event loop."""
        staged = self.services.stories.stage(change.delta, change.bodies, self._cancel)
        if staged is not None and not self._cancel.is_set():
            self.screen.from_worker(self._show, staged, change)

    def _show(self, staged: Staged, change: CatalogChange) -> None:
        """The stories a change made, shown: read once for its arrivals (they were
        listed, and counted, unread) and the list cut by the stories anew where they
        touched it."""
        joining = self.services.show_stories(staged, change.delta.added, counted=True)
        self.screen.show_marks(joining)
        view, paths = staged.view, (a.path for a in change.incoming)
        if staged.reshaped or any(p in view for p in paths):
            self._stories_changed()

    def _catch_up(self, catalog) -> None:
        """The stories brought up to a whole catalog (a first scan's newer look, or its
        end), its progress counted of that catalog as the opening's is."""
        before = self.services.stories.view
        self.services.stories.catch_up(list(catalog.articles), self._progress, self._cancel)
        if self._cancel.is_set():
            return
        self.screen.post_message(Progressed("stories", ""))  # after its last count
        self.screen.from_worker(self._caught_up, self.services.stories.view is not before,
                                len(catalog))

    def _caught_up(self, changed: bool, grouped: int) -> None:
        """By story again after a long catch-up, unless the catalog has grown by more
        than a batch meanwhile (a first scan's next catch-up is to come: by article until
        it ends, not by story for a moment of half the archive); the rows and counts
        anew if it changed the stories (or counted by article meanwhile)."""
        self._grouped = grouped
        was_long = self.services.grouping_long
        if len(self.services.catalog) - grouped > GROUPED_AT_ONCE:
            if changed:  # (the rows by the stories grouped so far; counts by article)
                self._stories_changed(counts=False)
            return
        self._grouping_long(False)
        if changed or was_long:
            self._stories_changed()

    def _stories_changed(self, rows: bool = True, counts: bool = True) -> None:
        """The stories changed: the list's rows (`rows`: made again; a change's own edit
        of them had its stories), the tree's counts by story (`counts`: every group's;
        a change's own stories count in its groups alone, which it relabelled, unless a
        story lost a member), its x key (shown while there is a story to expand) and the
        copies under the article."""
        self._labels.clear()
        self.screen.article_list.grouping = bool(self.services.stories.view)
        self.screen.article_list.refresh_bindings()
        if rows:
            self.screen.refresh_list()
        else:
            self.screen.article_list.refresh()  # (the labels)
        for observer in self.services.observers:  # (the glance's stories of the day)
            if hasattr(observer, "stories_changed"):
                observer.stories_changed()
        tree, grouped = self.screen.tree, bool(self.services.stories.view)
        tree.count_by(self.services.counting if grouped else "")  # said while it matters
        if counts and self.services.counting == "stories":  # each story counted once
            tree.counts = self.services.tree_counts
            tree.refresh_all_counts()
        pane = self.screen.article_pane
        shown = self.services.by_path.get(pane.shown_path or "")
        if shown is not None:  # the copies under the article shown
            pane.show_copies(self.copies_text(shown))

    def stop(self) -> None:
        self._cancel.set()
        self._changes.shutdown(wait=False, cancel_futures=True)
        self.services.stories.signer.close()  # (its workers: the store is left open)

    # -- the list --------------------------------------------------------------------

    def toggle(self, article: Article, story: Story) -> None:
        """Show or hide the story's copies under its row; the cursor stays on it."""
        expanded = self.services.expanded ^ {story.id}
        self.services.expanded = self.screen.article_list.expanded = expanded
        self.screen.refresh_list(keep=article.path)

    def is_read(self, story: Story) -> bool:
        """A folded story's look: read when every copy of it in the group shown is, as
        the tree counts it (reader/session/story_counts.py)."""
        services = self.services
        return story_read(story, services.read, services.by_path,
                          services.member(self.screen.group))

    def label(self, story: Story) -> str:
        """`×3 reuters, tradingview, investing`: the copies and their sources."""
        label = self._labels.get(id(story))
        if label is None:
            by_path = self.services.by_path
            sources = list(dict.fromkeys(clean_line(by_path[p].source) for p in story.members
                                         if p in by_path and by_path[p].source))
            named = ", ".join(sources[:SOURCES_NAMED])
            more = f" +{len(sources) - SOURCES_NAMED}" if len(sources) > SOURCES_NAMED else ""
            label = self._labels[id(story)] = f"×{len(story)} {named}{more}".rstrip()
        return label

    # -- the article pane --------------------------------------------------------------

    def copies(self, article: Article) -> list[Article]:
        story = self.services.stories.story_of(article.path)
        if story is None:
            return []
        by_path = self.services.by_path
        return [by_path[p] for p in story.copies_of(article.path) if p in by_path]

    def copies_text(self, article: Article) -> Text | None:
        """The other copies of the article's story, numbered for keys 1-5."""
        copies = self.copies(article)
        if not copies:
            return None
        heading = Text(f"Also in this story ({len(copies)}):", style="bold")
        return numbered_articles(heading, map(str, range(1, COPIES_SHOWN + 1)), copies,
                                 self.services.settings.tzinfo, "%m-%d %H:%M")

    def open_copy(self, article: Article | None, n: int) -> None:
        """Key n: the article's n-th copy, shown in its expanded story and opened."""
        copies = self.copies(article)[:COPIES_SHOWN] if article is not None else []
        if not 1 <= n <= len(copies):
            return
        story = self.services.stories.story_of(article.path)
        if story.id not in self.services.expanded:
            expanded = self.services.expanded | {story.id}
            self.services.expanded = self.screen.article_list.expanded = expanded
        self.screen.jump_to(copies[n - 1].path)

    # -- read once ---------------------------------------------------------------------

    def row_of(self, article: Article) -> Sequence[Article]:
        """What the article's row stands for: its folded story's every copy (marked as
        the row looks: as one), or itself."""
        story = self.services.stories.story_of(article.path)
        if story is None or story.id in self.services.expanded:
            return [article]
        return [article, *self.copies(article)]

    def read_with(self, article: Article) -> Sequence[Article]:
        """What opening `article` marks read: its whole story (`read_story = "story"`),
        or itself."""
        if self.services.settings.read_story != "story":
            return [article]
        return [article, *self.copies(article)]
