"""A scan's changes to the catalog: made into snapshots in the scan's worker, taken by
the event loop (the part of `Services` that applies `r` and each watched batch).

    change = services.apply_scan(result)            # a worker: one change (scripts)
    delta = services.post_scan(result, post)        # the reader: grouped pieces, posted
    services.take(change)                           # the event loop: shown in one step

What changed is the cache in the scan's scope against the newest snapshot made
(`head`, under its lock), not the scan's own delta, which misses what another
newsreader on the same data dir stored first; each change is applied to the snapshot
the one before made, so none is lost while the event loop has not yet taken it.

With stories grouped, a change's articles are grouped in the worker too, from the
bodies its scan parsed (`result.parsed`: no file is read again), and the event loop
shows those stories with the change: a copy is listed in its story in the step it
appears.  A change of up to `STAGED_MAX` files is one step; a bigger one whose bodies
are at hand (a burst the watcher scanned, a rescan of fewer than 2,000 files) comes in
pieces, newest first (`STAGED_MAX` files, then `PIECE_MAX` at a time), each grouped
before it is posted: the first rows come in a fraction of a second, no copy is ever
its own row, and the counts only move toward the final ones.  A big change without
bodies (a rescan of 2,000 files or more keeps none) is listed at once and grouped after,
on the stories' thread: reading each file again first (about 1 ms of CPU a file)
would list a 20,000-file rescan 20 s late.

Read once is one step wherever a change's stories are shown (`show_stories`): an
arrival that joins a story whose every other copy is read arrives read.
"""

from __future__ import annotations

import threading
from typing import (TYPE_CHECKING, AbstractSet, Callable, Iterable, Iterator, Mapping,
                    Sequence)

from reader.archive import Article, Delta, ScanResult
from reader.archive.reconcile import StampRow, reconcile, stamp
from reader.session.catalog import Catalog, CatalogChange, order_key
from reader.state import READ

if TYPE_CHECKING:
    from reader.session.stories import Staged, Stories

# Articles of a change grouped into stories before it is listed, in one step (about
# 1.2 ms of CPU each at 100k); a bigger change with its bodies comes in pieces of up
# to PIECE_MAX after a first one this size (its newest rows at once), each taken in a
# few milliseconds on the event loop.  A burst of 1,000 at 100k (bench_live, load
# 0.6-1.3): in one step, listed whole 1.49-1.93 s after its last file; as 250 then 750,
# first rows at 0.7-1.0 s but whole at 2.2-2.9 s (each piece waits for the one before):
# issue 11 asks for the whole within 2 s.
STAGED_MAX = 1000
PIECE_MAX = 1000
# Bodies a change in pieces may lack (stored first by another newsreader: read again
# in the worker, about 1 ms of CPU each, before the first piece is listed).
UNPARSED_MAX = 250


class CatalogStamps:
    """A catalog's articles as stamps, (size, mtime) by path, without copying them (what
    reader/archive/reconcile.py compares with the cache)."""

    def __init__(self, catalog: Catalog) -> None:
        self.by_path = catalog.by_path

    def get(self, path: str, default=None):
        article = self.by_path.get(path)
        return default if article is None else stamp(article)

    def __contains__(self, path: object) -> bool:
        return path in self.by_path

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_path)

    def keys(self) -> AbstractSet[str]:
        return self.by_path.keys()

    def differing(self, rows: Iterable[StampRow]) -> list[StampRow]:
        get = self.by_path.get
        return [row for row in rows if (a := get(row[0])) is None
                or a.size != row[1] or a.mtime != row[2]]


class ScanChanges:
    """Owns the newest snapshot made (`head`): changed by one worker at a time (a whole
    scan's pieces are made and posted before another scan's change is made)."""

    def __init__(self, services) -> None:  # the Services it is part of
        self.services = services
        self.head = services.catalog
        self._head_lock = threading.Lock()
        self._applying = threading.Lock()  # one scan's changes at a time, in order

    def started(self, catalog: Catalog) -> Catalog:
        """A whole new catalog made (`Services.load`): the head from now on; the one
        before it."""
        with self._head_lock:
            before, self.head = self.head, catalog
        return before

    # -- in the worker -----------------------------------------------------------------

    def apply(self, result: ScanResult, cancel: threading.Event | None = None
              ) -> CatalogChange:
        """The catalog with what changed in `result`'s scope, as one change."""
        with self._applying:
            return self._whole(*self._reconciled(result), cancel)

    def post(self, result: ScanResult, post: Callable[[CatalogChange], None],
             cancel: threading.Event | None = None) -> Delta:
        """What changed in `result`'s scope, in pieces where it is big and its bodies
        are at hand (`in_pieces`), each given to `post` once made and grouped (none when
        nothing changed); returns the whole delta (for the status and the index).  A
        quit (`cancel`) posts no more pieces."""
        with self._applying:
            delta, bodies = self._reconciled(result)
            stories = self.services.stories
            if delta and not in_pieces(delta, bodies, stories.enabled):
                self._posted(post, self._whole(delta, bodies, cancel, hold=True))
            elif delta:
                for piece in pieces(delta):
                    change = self._change(piece, bodies, stories, cancel, hold=True)
                    if cancel is not None and cancel.is_set():
                        stories.settle()
                        break
                    self._posted(post, change)
            return delta

    def _posted(self, post: Callable[[CatalogChange], None], change: CatalogChange) -> None:
        """`change` to `post`, and then its stories stored (they were held for it)."""
        try:
            post(change)
        finally:
            self.services.stories.settle()

    def _reconciled(self, result: ScanResult) -> tuple[Delta, dict[str, str]]:
        """The delta from the head to the cache in the scan's scope (sightings recorded),
        and the bodies the scan parsed, by path."""
        services = self.services
        with self._head_lock:
            delta = reconcile(services.archive.cache, CatalogStamps(self.head),
                              result.scope, result.delta)
        whole = result.scope is None  # a whole scan: part of the baseline, until it ends
        services.see([a.path for a in delta.added], baseline=whole, whole=whole)
        return delta, {path: parsed.body for path, parsed in result.parsed.items()}

    def _whole(self, delta: Delta, bodies: Mapping[str, str],
               cancel: threading.Event | None, hold: bool = False) -> CatalogChange:
        """`delta` as one change: grouped with it up to `STAGED_MAX` files, else after."""
        small = len(delta.added) + len(delta.changed) <= STAGED_MAX
        return self._change(delta, bodies, self.services.stories if small else None, cancel,
                            hold)

    def _change(self, delta: Delta, bodies: Mapping[str, str], stories: Stories | None,
                cancel: threading.Event | None, hold: bool = False) -> CatalogChange:
        """`delta` applied to the head, and grouped by `stories` (None: after, on the
        stories' thread, from the bodies the change carries)."""
        with self._head_lock:
            before = self.head
            self.head = head = before.apply(delta).ready()
        staged = stories.stage(delta, bodies, cancel, hold) if stories is not None else None
        return CatalogChange(head, delta, tuple(before.outgoing(delta)), staged, bodies)

    # -- on the event loop -------------------------------------------------------------

    def take(self, change: CatalogChange) -> None:
        """Swap in the change's catalog and its stories, and apply its counts delta."""
        services = self.services
        services.catalog = change.catalog
        services.searcher.set_catalog(change.catalog)
        if change.stories is not None:  # (read once before the counts: counted read)
            self.show_stories(change.stories, change.delta.added)
        services.counts.remove(change.outgoing)
        services.counts.add(change.incoming, services.read, services.starred)
        services.counts.forget(change.gone)
        services.rules.on_change(change.gone, change.incoming)  # before anything is shown
        services.take_new(a.path for a in change.incoming)
        for observer in tuple(services.observers):
            observer.catalog_changed(change)

    def show_stories(self, staged: Staged, added: Sequence[Article], counted: bool = False
                     ) -> list[Article]:
        """The stories a change made shown, and read once (`read_story = "story"`): the
        articles it `added` that join a story whose every other copy is read arrive
        read, kept as any mark is (not a step of the undo log: the user did not mark
        them).  `counted`: the change was taken before its stories were grouped, so the
        counts hold the arrivals already and count their marks now (and the observers
        are told).  Returns the articles so marked."""
        services = self.services
        services.stories.show(staged)
        if services.settings.read_story != "story":
            return []
        view, paths, read = services.stories.view, {a.path for a in added}, services.read
        joining = [a for a in added if a.path not in read and (s := view.get(a.path))
                   and read_besides(s.members, paths, read)]
        read.update(a.path for a in joining)
        if counted:
            for article in joining:
                services.counts.apply_read(article, True)
            services.tell_marks(READ, joining, True)
        services.keep_marks(READ, joining, True, undoable=False)
        return joining


def in_pieces(delta: Delta, bodies: Mapping[str, str], grouping: bool) -> bool:
    """Whether a change comes in pieces: stories grouped, more than `STAGED_MAX` files,
    and the bodies of all but at most `UNPARSED_MAX` of them at hand (those few are
    read, as a staged change reads what another newsreader stored first)."""
    incoming = (*delta.added, *delta.changed)
    if not grouping or len(incoming) <= STAGED_MAX:
        return False
    return sum(a.path not in bodies for a in incoming) <= UNPARSED_MAX


def pieces(delta: Delta) -> Iterator[Delta]:
    """`delta` in pieces, newest first: the removals and the `STAGED_MAX` newest
    records, then `PIECE_MAX` at a time."""
    changed = {a.path for a in delta.changed}
    incoming = sorted((*delta.added, *delta.changed), key=order_key)
    start, size, removed = 0, STAGED_MAX, delta.removed
    while start < len(incoming) or removed:
        part = incoming[start:start + size]
        yield Delta(tuple(a for a in part if a.path not in changed),
                    tuple(a for a in part if a.path in changed), removed)
        start, size, removed = start + size, PIECE_MAX, ()


def read_besides(members: Sequence[str], incoming: AbstractSet[str],
                 read: AbstractSet[str]) -> bool:
    """Whether a story had members before `incoming` came, and all of them are read."""
    before = [p for p in members if p not in incoming]
    return bool(before) and all(p in read for p in before)
