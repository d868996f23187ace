"""The stories of the archive, for the reader and the commands: which story an article
belongs to, its members and the one that stands for it, kept by deltas.

    stories = Stories.build(articles, read_body, store, window_days=14)  # a worker
    story = stories.story_of(path)       # None: the article is a story of its own
    story.members, story.representative, story.why[path]
    changed = stories.apply(delta, bodies)  # the ids of the stories made, changed or gone
    staged = stories.stage(delta, bodies)   # the reader: grouped in the scan's worker,
    stories.show(staged)                    # shown by the event loop with the delta

The representative is the earliest article (of two at the same time, the one that came
first): the one that broke the story, and a choice that does not change as later copies
arrive.  A story's id is its representative's path.  `Story` values are immutable
snapshots: the UI may hold them while a worker applies the next delta.  One lock guards
the grouper, so a delta applied in a worker and `story_of` asked on the event loop never
meet half-way; a staged change is shown only by `show` (so the list, the counts and the
stories of a burst change in one step), and a view older than the one shown never is.
"""

from __future__ import annotations

import sqlite3
import threading
from operator import itemgetter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, Sequence

from reader.archive.model import Article, Delta
from reader.stories.signing import CHUNK, Made, Signer
from reader.stories.store import SignatureStore

if TYPE_CHECKING:
    from reader.stories.grouping import StoryGrouper
# reader.stories.compute and .grouping (the signatures' folding, 40 ms of imports) are
# imported where something is grouped: a command that reads the stories stored needs none

ReadBody = Callable[[Article], str]
_BATCH = 500  # signatures stored in one transaction (and progress calls between)
_END: list = []  # (the signer's batches are over)


class _Stopped(Exception):
    """The signer stopped (a quit): the transaction under way is rolled back."""

_STAMPS = 5000  # stamps compared between two looks at a quit (a few ms)


@dataclass(frozen=True)
class Story:
    """Articles that tell one story, earliest first; `why` says for each how it is linked
    ("exact copy", "near copy", "same title")."""

    members: tuple[str, ...]
    why: Mapping[str, str]
    ties: Mapping[str, str] = field(default_factory=dict)  # a member -> the member of
    # its very time that came first (members of one time only; most stories have none)

    @property
    def id(self) -> str:
        return self.members[0]

    @property
    def representative(self) -> str:
        return self.members[0]

    def copies_of(self, path: str) -> tuple[str, ...]:
        return tuple(p for p in self.members if p != path)

    def __len__(self) -> int:
        return len(self.members)


@dataclass(frozen=True, eq=False)
class Staged:
    """The stories as a change made them, to be shown with it (`Stories.show`);
    `reshaped`: a story lost a member that it had (removed or changed), so a list cut by
    the stories before may lack the row that stands for it now."""

    view: Mapping[str, Story]
    number: int  # views are numbered as they are made: an older one is never shown
    reshaped: bool = False


class Stories:
    """The stories as the reader sees them (`story_of`: a dict look-up, for every row
    drawn), changed by a grouper whose state is the store (`store`, else one in
    memory): a warm start whose files are those the stories stored were grouped from
    loads the stored stories and nothing else (a few milliseconds and a few MB at
    100,000 articles), and a change looks up its candidates in the store."""

    def __init__(self, read_body: ReadBody, store: SignatureStore | None = None,
                 window_days: float = 14.0, enabled: bool = True,
                 signer: Signer | None = None) -> None:
        self._read_body = read_body
        self.signer = signer or Signer()  # (none of its own: signatures made here)
        if store is None and enabled:
            store = SignatureStore.in_memory()
        self._store = store
        self.window_days = window_days
        self.enabled = enabled
        self._view: dict[str, Story] = {}  # a member's path -> its story, as shown
        self._head = self._view  # as the newest change made it (staged, maybe not shown)
        self._made = self._shown = 0  # views made, and the number of the one shown
        self._holding = 0  # a change staged with `hold`, not yet settled
        self._lock = threading.RLock()  # one change at a time (the grouper, the head);
        # held from a `stage(hold=True)` to its `settle`, on that change's thread
        self._showing = threading.Lock()  # one view shown at a time (`_view`, `_shown`)

    @classmethod
    def build(cls, articles: Iterable[Article], read_body: ReadBody,
              store: SignatureStore | None = None, window_days: float = 14.0,
              enabled: bool = True, progress: Callable[[int, int], None] | None = None,
              cancel: threading.Event | None = None, signer: Signer | None = None
              ) -> "Stories":
        """Every article grouped: the stored stories taken as they are, or signatures
        stored where the file's stamp agrees, the others computed (and stored: by
        `signer`'s workers, if it has any).  With `enabled` false nothing is computed
        and no article has a story."""
        stories = cls(read_body, store, window_days, enabled, signer)
        if enabled:
            stories.load_stored()
            stories.catch_up(list(articles), progress, cancel)
        return stories

    def load_stored(self, paths: Iterable[str] | None = None) -> bool:
        """Show the stories stored (only those of `paths`, when given: a command's hits),
        if they are every stored signature's (in this window): True.  Nothing is
        grouped; `catch_up` brings them up to date."""
        store = self._store
        if store is None or store.grouped() != float(self.window_days):
            return False
        view = {}
        stored = store.stories() if paths is None else store.stories_of(paths)
        for members in stored.values():
            story = _story([(p, d) for p, d, _ in members], {p: w for p, _, w in members})
            view.update(dict.fromkeys(story.members, story))
        self._view = self._head = view
        return True

    def catch_up(self, articles: list[Article], progress=None, cancel=None) -> None:
        """Group what changed since the stories were stored: `articles` whose stamp
        differs from their signature's, and the signatures of files gone (a warm start
        with nothing changed reads the stamps only).  `progress(done, total)` counts
        the whole of `articles`: those whose signature is stored already are done
        (a grouping resumed says `3,700/29,700`, not `0/26,000`)."""
        from reader.stories.compute import stamp

        stopped = cancel.is_set if cancel is not None else bool
        stored, todo = self._store.stamps(), []
        for start in range(0, len(articles), _STAMPS):  # a quit looks in between
            if stopped():
                return
            todo += [a for a in articles[start:start + _STAMPS]
                     if stored.get(a.path) != stamp(a)]
        gone = stored.keys() - {a.path for a in articles}
        if todo or gone or not self._view_is_stored():
            self._change(gone, todo, {}, progress, cancel, done=len(articles) - len(todo))

    def _view_is_stored(self) -> bool:
        return self._store.grouped() == float(self.window_days)

    def apply(self, delta: Delta, bodies: Mapping[str, str] | None = None) -> frozenset[str]:
        """Group the added and changed articles (`bodies` by path where a scan parsed
        them; the others are read) and drop the removed ones, and show the stories so
        made.  The ids of the stories made, changed or ended, as they are now or were
        before."""
        if not self.enabled or not delta:
            return frozenset()
        incoming = (*delta.added, *delta.changed)
        before = self._ids_of([*delta.removed, *(a.path for a in incoming)])
        self._change(delta.removed, incoming, bodies or {})
        return frozenset(before | self._ids_of(a.path for a in incoming))

    def stage(self, delta: Delta, bodies: Mapping[str, str] | None = None,
              cancel: threading.Event | None = None, hold: bool = False) -> Staged | None:
        """As `apply`, in the worker that made the delta, without showing the stories:
        the event loop shows them (`show`) as it takes the delta.  None when nothing is
        grouped (grouping off, an empty delta, or cut short by `cancel`).  `hold`: the
        change is stored in one transaction, committed at `settle` (which must follow,
        on this thread: the store and the stories are this change's until then), so
        that the commit (0.1 s a 500 signatures at 100,000 articles: the band keys'
        pages) comes after the screen has the change, not before."""
        if not self.enabled or not delta:
            return None
        if hold and self._store is not None:
            self._lock.acquire()
            self._store.hold()
            self._holding += 1
        incoming = (*delta.added, *delta.changed)
        try:
            made = self._change(delta.removed, incoming, bodies or {}, cancel=cancel,
                                show=False)
        except BaseException:
            self.settle()  # (what it stored rolled back: the store free again)
            raise
        if made is None:
            return None
        view, number, before = made
        left = (*delta.removed, *(a.path for a in delta.changed))
        return Staged(view, number, reshaped=any(p in before for p in left))

    def settle(self) -> None:
        """The change staged with `hold` stored (its transaction committed), and the
        store free for the next change; nothing when none is held."""
        if not self._holding:
            return
        self._holding -= 1
        try:
            self._store.commit()
        finally:
            self._lock.release()

    def show(self, staged: Staged) -> None:
        """On the event loop: the stories of a staged change shown, unless a newer view
        is shown already (a catch-up's, say)."""
        with self._showing:
            if staged.number > self._shown:
                self._view, self._shown = staged.view, staged.number

    def _change(self, gone: Iterable[str], incoming: Sequence[Article],
                bodies: Mapping[str, str], progress=None, cancel=None, show: bool = True,
                done: int = 0
                ) -> tuple[Mapping[str, Story], int, Mapping[str, Story]] | None:
        """Each change stored in a transaction of its batch, so that the stories stored
        are always those of the signatures stored (a change cut short is taken up at
        the next start, where it stopped).  `cancel` is looked at before each article's
        signature: a quit waits for one article, not a batch (the batch under way is
        stored not at all).  `progress` counts `done` articles (grouped before) into
        both numbers, after each batch.  The view made, its number and the view it was
        made from (None if `cancel` cut it short: no view is made); shown at once if
        `show`."""
        from reader.stories.grouping import StoryGrouper

        store, gone = self._store, list(gone)
        with self._lock:
            before = self._head
            grouper = StoryGrouper(store, self.window_days)
            old = self._members_of([*gone, *(a.path for a in incoming)])
            touched: set[int] = set()
            stopped = cancel.is_set if cancel is not None else bool
            if not self._view_is_stored():  # another window, or a store made anew
                old |= before.keys()
                touched = self._regroup_all(grouper, stopped)
                if stopped():
                    return None
            if gone:
                with store.batch():
                    for path in gone:
                        touched |= grouper.remove(path)
            body_of = self._body_of(bodies)
            batches = self.signer.batches(incoming, body_of, stopped, min(CHUNK, _BATCH))
            added = self._add(grouper, batches, progress, done, done + len(incoming))
            if added is None:  # a quit: no view is made, the next start goes on
                return None
            touched |= added
            self._made_anew(old, touched)
            made = self._head, self._made
        if show:
            self.show(Staged(*made))
        return None if cancel is not None and cancel.is_set() else (*made, before)

    def _regroup_all(self, grouper: StoryGrouper, stopped: Callable[[], bool]) -> set[int]:
        """Every stored signature grouped anew; the store says so once all are (a regroup
        cut short, even inside a batch, is done again from the start)."""
        store, touched = self._store, set()
        with store.batch():
            store.set_grouped(None)
        signatures = store.signatures()
        for start in range(0, len(signatures), _BATCH):
            with store.batch():
                for sig in signatures[start:start + _BATCH]:
                    if stopped():
                        return touched
                    touched |= grouper.regroup(sig)
        with store.batch():
            store.set_grouped(self.window_days)
        return touched

    def _body_of(self, bodies: Mapping[str, str]) -> ReadBody:
        read_body = self._read_body
        return lambda a: bodies[a.path] if a.path in bodies else read_body(a)

    def _add(self, grouper: StoryGrouper, batches: Iterator[Made | None], progress,
             done: int, total: int) -> set[int] | None:
        """The stories the signatures of `batches` touched (the signer's, a chunk at a time:
        grouped as they come, so a burst's grouping waits for its first chunk's
        signatures, not for its first `_BATCH`), stored `_BATCH` to a transaction, and
        `progress(done, total)` after each; None once the signer stops (the transaction
        under way is stored not at all)."""
        touched: set[int] = set()
        ended = False
        while not ended:
            count = 0
            try:
                with self._store.batch():
                    while count < _BATCH:
                        made = next(batches, _END)
                        if made is None:
                            raise _Stopped
                        if made is _END:
                            ended = True
                            break
                        for stamped, sig in made:
                            touched |= grouper.add(stamped, sig)
                        count += len(made)
            except _Stopped:  # (the transaction rolled back)
                return None
            done += count
            if progress is not None and count:
                progress(done, total)
        return touched

    def _members_of(self, paths: Iterable[str]) -> set[str]:
        view = self._head
        return {p for path in paths if (s := view.get(path)) for p in s.members}

    def _made_anew(self, old: set[str], touched: set[int]) -> None:
        """The newest view (`_head`, numbered) with the stories `touched` as they are now
        and the paths of the stories `old` as they were (those in no story now are
        dropped)."""
        made = []
        for number in touched:
            members = self._store.members(number)
            if len(members) > 1:
                made.append(_story([(p, d) for p, d, _ in members],
                                   {p: w for p, _, w in members}))
        view = dict(self._head)  # the UI reads the view it holds, never one half made
        for path in old:
            view.pop(path, None)
        for story in made:
            view.update(dict.fromkeys(story.members, story))
        self._head = view
        self._made += 1

    def _ids_of(self, paths: Iterable[str]) -> set[str]:
        return {story.id for story in map(self._head.get, paths) if story is not None}

    def story_of(self, path: str) -> Story | None:
        return self._view.get(path)

    @property
    def view(self) -> Mapping[str, Story]:
        """Every member's story (a snapshot: a change makes a new one)."""
        return self._view

    def members(self, story: Story) -> tuple[str, ...]:
        return story.members

    def representative(self, story: Story) -> str:
        return story.representative

    def all(self) -> list[Story]:
        """Every story (of two articles or more), largest first."""
        unique = {id(s): s for s in self._view.values()}
        return sorted(unique.values(), key=len, reverse=True)

    def one_per_story(self, paths: Iterable[str]) -> list[tuple[str, Story | None]]:
        """`paths` (hits, in their order) with each story's later members left out: the
        first of a story stands for it."""
        seen: set[str] = set()
        out = []
        for path in paths:
            story = self.story_of(path)
            if story is not None:
                if story.id in seen:
                    continue
                seen.add(story.id)
            out.append((path, story))
        return out

    def copies_among(self, path: str, paths: Sequence[str]) -> set[str]:
        """Those of `paths` that are copies of `path`, or of one of `paths` before them,
        whatever their dates (the same tests as grouping's, with no window: a copy with
        no date of its own is dated by its file, outside its story's window); read on a
        connection of the caller's thread's own where the store is a file (a change may
        be writing on the store's meanwhile)."""
        from reader.stories.copies import copies_among

        store = self._store
        if store is None or not paths:
            return set()
        own = store.path != ":memory:"  # (an in-memory store has no other connection)
        reader = SignatureStore.read_only_file(Path(store.path)) if own else store
        if reader is None:
            return set()
        try:
            return copies_among(reader.signatures_of([path, *paths]), path, paths)
        except sqlite3.Error:  # (damaged, or made anew meanwhile: no copy known)
            return set()
        finally:
            if own:
                reader.close()

    def warm(self, workers: bool) -> None:
        """Ready for the first change: the grouping's modules imported (70 ms, which the
        first file to arrive after a warm start paid), and the signer's workers started
        if `workers` (a burst to come)."""
        from reader.stories import grouping  # noqa: F401

        if workers:
            self.signer.warm()

    def close(self) -> None:
        self.signer.close()
        if self._store is not None:
            self._store.close()


def _story(dated: list[tuple[str, float]], why: Mapping[str, str]) -> Story:
    """The story of these (path, date) members, in the order they came (the store's):
    earliest first, and of two at one time the one that came first."""
    ordered = sorted(dated, key=itemgetter(1))  # (stable: the order they came in)
    first_at: dict[float, str] = {}
    ties = {p: first_at[d] for p, d in ordered if first_at.setdefault(d, p) != p}
    return Story(tuple(map(itemgetter(0), ordered)), why, ties)
