"""The main screen's part that answers a change of the archive (`r`, or a watched batch).

A scan's delta arrives as `CatalogChanged` (see Services.apply_scan) and is applied
in place: the catalog and counts are swapped (Services.take), the tree's nodes are
relabelled, added or removed by group key, the list's rows are edited without
moving what the user sees, and the status says how many arrived since the user
last looked ("N arrived"; `N` jumps to the newest; a path counted once however often
its file goes and comes back), of New's members: what the state store says is new
since the last visit (reader/state/visits.py), so that the two never disagree (the
rest of an archive whose first scan a quit cut short is found by the next open's
scan, and is no news: the status said "10,768 new" while New held none).  The
open article never moves: if its file is deleted it stays readable, marked as
gone; if it changed, or is written back after it went, it is read and shown anew,
wherever the cursor is (and the cursor, moved off it by its going, comes back to
it if it has not moved since).
"""

from __future__ import annotations

from itertools import chain, compress
from operator import attrgetter, not_
from typing import Sequence

from functools import partial

from textual.screen import Screen
from textual.worker import get_current_worker

from reader.archive.model import Article, ParsedArticle
from reader.session.catalog import CatalogChange, edited, order_key
from reader.state.groups import NEW
from reader.ui.wording import unit_noun

_PATH = attrgetter("path")


class LiveChanges:
    """The screen's part that applies a catalog's deltas to the panes.  It owns
    `new_paths`: what arrived since the user last jumped to the newest; `left`: the
    paths whose files went while they were not counted new (back, they are not new);
    `displaced`: the open article gone from under the cursor, and the path the cursor
    went to instead."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.services = screen.services
        self.new_paths: set[str] = set()
        self.left: set[str] = set()
        self.displaced: tuple[str, str | None] | None = None

    def apply(self, change: CatalogChange) -> None:
        """On the event loop: the delta to the catalog, counts, tree, list, pane, status."""
        screen = self.screen
        keys_of = self.services.groups.keys_of  # held groups: their members before, after
        keys = set(chain.from_iterable(map(keys_of, change.outgoing)))
        self.services.take(change)
        keys.update(chain.from_iterable(map(keys_of, change.incoming)))
        screen.tree.update_groups(self.services.tree_counts, keys)
        under_cursor = _path_of(screen.article_list.current)
        if self._edit_list(change, under_cursor):
            self._follow_open_article(change, under_cursor)
        self._count_new(change)
        self._update_open_article(change)
        screen.listing.show_view_counts()

    def _edit_list(self, change: CatalogChange, under_cursor: str | None) -> bool:
        """The list's rows with the delta applied, keeping the view: rows the view would
        hold are inserted, gone rows removed, changed rows replaced.  A search on screen
        keeps its hits (replaced or removed) and is run again once the index has the new
        files, or at once while the index holds only some articles (the arrivals are
        searched by their titles, the status's total follows); a list still being
        computed is computed again, from the new catalog.  The rows are cut by the stories
        the change made (one row a story: a copy arriving is never listed alone); All's
        are the whole catalog cut by them, in a worker (`_regroup_all`: 50 ms at 100,000
        articles, 300 ms under load, held the event loop).  False when the rows come
        later, from that worker."""
        screen, listing = self.screen, self.screen.listing
        if not listing.is_current():
            listing.refresh()
            return True
        rows, grouped = screen.article_list.rows, self.services.story_rows
        incoming: Sequence[Article] = change.incoming
        if self._lists_everything():
            screen.run_worker(partial(self._regroup_all, change, under_cursor,
                                      screen.article_list.generation), thread=True,
                              group="list-edit", description="regroup All")
            return False
        if listing.outcome.paths is not None:  # a search: only the hits it holds
            shown = set(map(_PATH, rows))
            if listing.outcome.partly_indexed:  # arrivals not indexed: searched by their
                listing.search_again()  # titles, and the status's total follows
            incoming = [a for a in incoming if a.path in shown]
        else:
            keep = self.services.member(screen.group)
            incoming = incoming if keep is None else list(filter(keep, incoming))
        new = grouped(edited_rows(rows, change.outgoing, incoming, screen.newest_first,
                                  listing.by_relevance, bool(self.services.expanded)),
                      screen.newest_first and not listing.outcome.ranked)
        listing.edited(new, change.gone)  # its size counted as list_rows counts it
        screen.article_list.update_rows(new)
        return True

    def _regroup_all(self, change: CatalogChange, under_cursor: str | None,
                     generation: int) -> None:
        """In a worker: All's rows from the change's catalog, one row a story."""
        articles = change.catalog.articles
        newest = self.screen.newest_first
        rows = self.services.story_rows(articles if newest else articles[::-1], newest)
        if not get_current_worker().is_cancelled:
            self.screen.from_worker(self._show_all, change, under_cursor, generation, rows)

    def _show_all(self, change: CatalogChange, under_cursor: str | None, generation: int,
                  rows: list[Article]) -> None:
        """All's rows in place, unless the list was made again meanwhile (another group,
        a search, a story expanded: their rows are newer) or a newer change came (its own
        worker has them); the open article followed either way."""
        screen, listing = self.screen, self.screen.listing
        if (screen.article_list.generation == generation
                and self.services.catalog is change.catalog and listing.is_current()
                and self._lists_everything()):
            screen.article_list.update_rows(rows)
            listing.show_view_counts()  # (new rows drop the title's unit: "stories")
        self._follow_open_article(change, under_cursor)

    def _lists_everything(self) -> bool:
        """The list holds every article (All, or a group every one is in), no search."""
        return (self.screen.listing.outcome.paths is None
                and self.services.member(self.screen.group) is None)

    def _follow_open_article(self, change: CatalogChange, under_cursor: str | None
                             ) -> None:
        """The cursor back on the open article when its file, gone from under the cursor,
        is back, unless the cursor has moved since (it went to the row that took its
        place: `displaced`)."""
        rows, shown = self.screen.article_list, self.screen.article_pane.shown_path
        if shown is not None and shown == under_cursor and shown in change.gone:
            self.displaced = shown, _path_of(rows.current)
            return
        if self.displaced is None or self.displaced[0] not in _paths(change.incoming):
            return
        (gone, took), self.displaced = self.displaced, None
        if gone == shown and _path_of(rows.current) == took:
            back = next((i for i, a in enumerate(rows.rows) if a.path == gone), None)
            if back is not None:
                rows.move_to(back)

    def displaced_to(self, left: str | None, took: str) -> None:
        """The rows, made again, put the cursor on `took` from `left`: the row of the
        open article gone (its story's new row, or the next), or the row it was put on
        before (the story's row, back in the rows)."""
        pane = self.screen.article_pane
        if pane.shown_path == left:
            self.displaced = left, took
        elif self.displaced is not None and self.displaced[1] == left and pane.gone:
            self.displaced = self.displaced[0], took

    def holds_gone(self, under_cursor: str | None) -> bool:
        """True while the pane keeps a deleted open article and the cursor is still on
        the row that took its place: rows shown again (a search run again once the
        index lost the file) leave the pane as it is."""
        pane = self.screen.article_pane
        return (pane.gone and self.displaced is not None
                and self.displaced == (pane.shown_path, under_cursor))

    def _count_new(self, change: CatalogChange) -> None:
        """What arrived, once: a path whose file went while it was not new (it was here
        before, or the user has seen it since) is not new when it comes back."""
        gone = change.gone
        self.left.update(gone - self.new_paths)
        self.new_paths.difference_update(gone)
        known = set(map(_PATH, change.outgoing)) | self.left
        self.new_paths.update(a.path for a in change.delta.added if a.path not in known)
        self.show_new()

    def new_grew(self) -> None:
        """New took arrivals the catalog had before the state writer said they were new:
        the status counts them now."""
        self.show_new()

    def _arrived(self) -> set[str]:
        """What arrived since the user last looked that New holds."""
        return self.new_paths & self.services.group(NEW).paths

    def show_new(self) -> None:
        """"N arrived": the stories that arrived while the reader is open, since the user
        last looked at the newest, of which no member was here before (a copy joining an
        older story is none), or the articles (count_by = "articles"), saying which while
        there are stories ("3 stories arrived"); again when the stories change (a burst
        grouped).  Not "new": New counts every story with a copy first seen since the
        previous visit began (users read "238 new stories" beside `New 2,321` as a
        contradiction)."""
        arrived, unit = self._arrived(), self.services.counted
        count = self.services.new_count(arrived)
        noun = unit_noun(count != 1, unit)
        text = f"{count:,}{' ' + noun if noun else ''} arrived (N: newest)" if count else ""
        self.screen.status.set_part("new", text)

    def _update_open_article(self, change: CatalogChange) -> None:
        pane = self.screen.article_pane
        if pane.shown_path in change.gone:
            pane.mark_gone()
        elif pane.shown_path in _paths(change.incoming):  # edited, or back after it went
            self._read_again(pane.shown_path)

    def _read_again(self, path: str) -> None:
        """The open article read anew in a worker and shown, its title and body as the
        file has them now, whether or not the cursor is on it (its own group: a preview
        the cursor asked for meanwhile is not cancelled)."""
        self.screen.run_worker(partial(self._reread, path), name="reread",
                               description="reread", group="reread", thread=True,
                               exclusive=True)

    def _reread(self, path: str) -> None:
        parsed = self.services.read_article(path)
        if not get_current_worker().is_cancelled:
            self.screen.from_worker(self._show_again, path, parsed)

    def _show_again(self, path: str, parsed: ParsedArticle) -> None:
        pane = self.screen.article_pane
        if pane.shown_path == path:  # still the open article
            pane.show(parsed, pane.shown_terms)

    def jump_newest(self) -> None:
        """To the newest article that arrived (the newest of all if none did): shown, not
        opened (a look is not a read; Enter opens it, `mark_read_on_move` reads it as
        any article the cursor rests on)."""
        catalog = self.services.catalog
        arrived = [catalog.by_path[p] for p in self._arrived() if p in catalog.by_path]
        newest = min(arrived, key=order_key) if arrived else \
            (catalog.articles[0] if catalog.articles else None)
        self.seen()
        if newest is not None:
            self.screen.jump_to(newest.path, open_it=False)

    def seen(self) -> None:
        """The user has looked at the newest: nothing is new any more."""
        if self.new_paths:
            self.new_paths.clear()
            self.show_new()


def _path_of(article: Article | None) -> str | None:
    return None if article is None else article.path


def _paths(articles: Sequence[Article]) -> set[str]:
    return set(map(_PATH, articles))


def edited_rows(rows: Sequence[Article], outgoing: Sequence[Article],
                 incoming: Sequence[Article], newest_first: bool, by_relevance: bool,
                 expanded: bool = False) -> list[Article]:
    """`rows` in the list's order (newest or oldest first, or by relevance) with the
    delta applied.  `expanded`: a story's copies may be listed under its row, out of
    the date order by which `edited` finds the rows that go (a deleted `↳` copy with a
    hit dated between it and its story's row was missed: it stayed listed, off its
    story); the rows that go are then dropped by their paths."""
    if by_relevance:  # hits in the index's order: replaced where they are
        gone, new = {a.path for a in outgoing}, {a.path: a for a in incoming}
        return [new.get(a.path, a) for a in rows if a.path in new or a.path not in gone]
    if expanded and outgoing:
        rows, outgoing = _without(rows, {a.path for a in outgoing}), ()
    if newest_first:
        return edited(rows, outgoing, incoming)
    return edited(rows[::-1], outgoing, incoming)[::-1]


def _without(rows: Sequence[Article], gone: set[str]) -> list[Article]:
    """The rows but those of the `gone` paths, whatever their order (at C speed)."""
    return list(compress(rows, map(not_, map(gone.__contains__, map(_PATH, rows)))))
