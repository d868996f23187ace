"""The main screen's part for related articles (reader/session/related.py): the five
articles most like the one shown that are not copies of it, listed under its text once
it is shown, found in a worker over the index as it is (a look at the index's term
statistics and one OR query: tens of milliseconds at 100,000 articles, never on the
event loop), each one key away (6, 7, 8, 9, 0) on the article under the cursor.
Nothing is listed while the index is empty, or for an article too short to have
distinctive words."""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from functools import partial
from typing import AbstractSet, Sequence

from rich.text import Text
from textual.screen import Screen
from textual.worker import get_current_worker

from reader.archive.model import Article
from reader.session.related import related_articles
from reader.ui.keys import RELATED_KEYS
from reader.ui.wording import numbered_articles

KNOWN = 64  # articles whose related articles are kept (a key on one goes at once)


class RelatedRows:
    """Owns what is listed (the article it is for and its related articles) and the
    related articles found of the last few articles.  A key 6-0 acts on the article
    under the cursor, as 1-5 do: if its related articles are not found yet (keys typed
    in a burst: `j6` before `j`'s article was even shown), the key waits for them, and
    the keys after it wait too (`pending`), so a burst acts as the same keys typed
    slowly."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.services = screen.services
        self.path = ""  # the article the list under the pane is of
        self.found: Sequence[Article] = ()
        self._known: OrderedDict[str, list[Article]] = OrderedDict()  # path -> found
        self._wanted: tuple[str, int] | None = None  # a key waiting: (article, n)

    @property
    def pending(self) -> bool:
        """True while a key 6-0 waits for its article's related articles."""
        return self._wanted is not None

    def article_shown(self, article: Article, body: str) -> None:
        """An article is shown: its related articles, known or found in a worker (a
        newer article's replaces it: exclusive)."""
        self.path, self.found = article.path, ()
        known = self._known.get(article.path)
        self.screen.article_pane.show_related(self.text(known) if known else None)
        if known is not None:
            self.found = known
        elif self._wanted is None or self._wanted[0] != article.path:  # (else a key's
            self._start(article, body)  # worker finds them, and lists them here)

    def catalog_changed(self, gone: AbstractSet[str]) -> None:
        """Files went: they are no longer listed, nor opened by a key."""
        if not gone:
            return
        for path, found in self._known.items():
            if any(a.path in gone for a in found):
                self._known[path] = [a for a in found if a.path not in gone]
        if any(a.path in gone for a in self.found):
            self.found = [a for a in self.found if a.path not in gone]
            self.screen.article_pane.show_related(self.text(self.found))

    def index_grew(self) -> None:
        """What was found is of a smaller index: found again when asked, and now for the
        article shown if none was found for it (it was shown before the index had it)."""
        self._known.clear()
        article = self.services.by_path.get(self.path)
        if (article is not None and not self.found and not self.pending
                and self.screen.article_pane.shown_path == self.path):
            self._start(article, None)

    def _start(self, article: Article, body: str | None, key: bool = False) -> None:
        """Find them in a worker: the article shown's is replaced by the next article
        shown's (exclusive); a key's is never cancelled (the keys after it wait for it)."""
        self.screen.run_worker(partial(self._find, article, body), thread=True,
                               exclusive=not key, group="related-key" if key else "related",
                               description="related")

    def _find(self, article: Article, body: str | None) -> None:
        try:
            if body is None:  # (a key's: the article not read yet)
                body = self.services.read_article(article.path).body or ""
            found = related_articles(self.services, article, body, len(RELATED_KEYS))
        except (OSError, sqlite3.Error):  # the index or the stories cannot be read now:
            found = []  # nothing is listed (a search says why)
        if not get_current_worker().is_cancelled:
            self.screen.from_worker(self._show, article.path, found)

    def _show(self, path: str, found: list[Article]) -> None:
        self._known[path] = found
        self._known.move_to_end(path)
        while len(self._known) > KNOWN:
            self._known.popitem(last=False)
        pane = self.screen.article_pane
        if path == self.path and pane.shown_path == path:
            self.found = found
            pane.show_related(self.text(found))
        if self._wanted is not None and self._wanted[0] == path:  # (another article's
            n, self._wanted = self._wanted[1], None  # find, the shown one's, leaves it)
            self._open(found, n)
            self.screen.keys_may_go()

    def text(self, found: Sequence[Article]) -> Text | None:
        """`Related:` and a numbered line for each, the keys that open them."""
        if not found:
            return None
        return numbered_articles(Text("Related:", style="bold", no_wrap=True,
                                      overflow="ellipsis"), RELATED_KEYS, found,
                                 self.services.settings.tzinfo, "%Y-%m-%d")

    def open(self, n: int) -> None:
        """Key n: the n-th related article of the article under the cursor, opened (the
        search and group cleared if they hide it); found first if need be."""
        current = self.screen.article_list.current
        if current is None:
            return
        known = self._known.get(current.path)
        if known is not None:
            self._open(known, n)
            return
        self._wanted = (current.path, n)
        self._start(current, None, key=True)

    def _open(self, found: Sequence[Article], n: int) -> None:
        if 1 <= n <= len(found):
            self.screen.jump_to(found[n - 1].path)
