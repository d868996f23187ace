"""The stories of the archive, for the reader and the commands: which story an article
belongs to, its members and the one that stands for it, kept by deltas.

    stories = Stories.build(articles, read_body, store, window_days=14)  # a worker
    story = stories.story_of(path)       # None: the article is a story of its own
    story.members, story.representative, story.why[path]
    changed = stories.apply(delta, bodies)  # the ids of the stories made, changed or gone

The representative is the earliest article (then the smallest path): the one that broke
the story, and a choice that does not change as later copies arrive.  A story's id is its
representative's path.  `Story` values are immutable snapshots: the UI may hold them
while a worker applies the next delta.  One lock guards the grouper, so a delta
applied in a worker and `story_of` asked on the event loop never meet half-way.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

from reader.archive import Archive
from reader.archive.model import Article, Delta
from reader.config import Settings
from reader.stories.compute import file_body, signature_for, stamp
from reader.stories.grouping import StoryGrouper
from reader.stories.store import SignatureStore

ReadBody = Callable[[Article], str]
_BATCH = 500  # signatures computed between writes to the store (and progress calls)


@dataclass(frozen=True)
class Story:
    """Articles that tell one story, earliest first; `why` says for each how it is linked
    ("exact copy", "near copy", "same title")."""

    members: tuple[str, ...]
    why: Mapping[str, str]

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


class Stories:
    def __init__(self, grouper: StoryGrouper, read_body: ReadBody,
                 store: SignatureStore | None = None, enabled: bool = True) -> None:
        self._grouper = grouper
        self._read_body = read_body
        self._store = store
        self.enabled = enabled
        self._lock = threading.Lock()

    @classmethod
    def build(cls, articles: Iterable[Article], read_body: ReadBody,
              store: SignatureStore | None = None, window_days: float = 14.0,
              enabled: bool = True, progress: Callable[[int, int], None] | None = None,
              cancel: threading.Event | None = None) -> "Stories":
        """Every article grouped: stored signatures taken as they are where the file's
        stamp agrees, the others computed (and stored).  With `enabled` false nothing is
        computed and no article has a story."""
        stories = cls(StoryGrouper(window_days), read_body, store, enabled)
        if enabled:
            stories._group_all(list(articles), progress, cancel)
        return stories

    def _group_all(self, articles: list[Article], progress, cancel) -> None:
        stored = self._store.load() if self._store is not None else {}
        todo = [a for a in articles if stored.get(a.path, (None,))[0] != stamp(a)]
        gone = stored.keys() - {a.path for a in articles}
        if gone and self._store is not None:
            self._store.delete(gone)
        redone = {a.path for a in todo}
        for path, (_, sig) in stored.items():
            if path not in gone and path not in redone:
                self._grouper.add(sig)
        for start in range(0, len(todo), _BATCH):
            if cancel is not None and cancel.is_set():
                return
            self._add(todo[start:start + _BATCH], {})
            if progress is not None:
                progress(min(start + _BATCH, len(todo)), len(todo))

    def _add(self, articles: Sequence[Article], bodies: Mapping[str, str]) -> set[int]:
        made = [(stamp(a), signature_for(a, bodies[a.path] if a.path in bodies
                                         else self._read_body(a))) for a in articles]
        if self._store is not None:
            self._store.put(made)
        touched: set[int] = set()
        with self._lock:
            for _, sig in made:
                touched |= self._grouper.add(sig)
        return touched

    def apply(self, delta: Delta, bodies: Mapping[str, str] | None = None) -> frozenset[str]:
        """Group the added and changed articles (`bodies` by path where a scan parsed
        them; the others are read) and drop the removed ones.  The ids of the stories
        made, changed or ended, as they are now or were before."""
        if not self.enabled or not delta:
            return frozenset()
        incoming = (*delta.added, *delta.changed)
        before = self._ids_of([*delta.removed, *(a.path for a in incoming)])
        if delta.removed:
            with self._lock:
                for path in delta.removed:
                    self._grouper.remove(path)
            if self._store is not None:
                self._store.delete(delta.removed)
        self._add(incoming, bodies or {})
        return frozenset(before | self._ids_of(a.path for a in incoming))

    def _ids_of(self, paths: Iterable[str]) -> set[str]:
        return {story.id for story in map(self.story_of, paths) if story is not None}

    def story_of(self, path: str) -> Story | None:
        if not self.enabled:
            return None
        with self._lock:
            number = self._grouper.story_of(path)
            if number is None:
                return None
            members = self._grouper.members(number)
            dates = {p: self._grouper.signature(p).date for p in members}
            why = {p: self._grouper.why.get(p, "") for p in members}
        ordered = tuple(sorted(members, key=lambda p: (dates[p], p)))
        return Story(ordered, why)

    def members(self, story: Story) -> tuple[str, ...]:
        return story.members

    def representative(self, story: Story) -> str:
        return story.representative

    def all(self) -> list[Story]:
        """Every story (of two articles or more), largest first."""
        with self._lock:
            firsts = [members[0] for members in self._grouper.stories().values()]
        stories = [s for s in map(self.story_of, firsts) if s is not None]
        return sorted(stories, key=len, reverse=True)

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

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def open_stories(archive: Archive, settings: Settings, articles: Iterable[Article],
                 progress: Callable[[int, int], None] | None = None,
                 cancel: threading.Event | None = None) -> Stories:
    """The archive's stories, its signatures kept in its data dir (blocking: a worker)."""
    if not settings.group_stories:
        return Stories.build((), archive_body(archive), enabled=False)
    store = SignatureStore.in_dir(archive.data_dir)
    return Stories.build(articles, archive_body(archive), store, settings.story_window_days,
                         progress=progress, cancel=cancel)


def archive_body(archive: Archive) -> ReadBody:
    """How an article's body is read for its signature: its file by its id, else by the
    name the cache holds for it ('' when neither can be read)."""
    def read_body(article: Article) -> str:
        body = file_body(archive.root, article.path)
        if body is None:
            fs_path = archive.cache.fs_path(article.path)
            body = file_body(archive.root, fs_path) if fs_path else None
        return body or ""
    return read_body
