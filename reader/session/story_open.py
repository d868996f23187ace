"""The stories opened for the reader (grouped up to date, in a worker) or for a command
(as the reader stored them), and how an article's body is read for its signature."""

from __future__ import annotations

import threading
from typing import Callable, Iterable

from reader.archive import Archive
from reader.archive.model import Article
from reader.config import Settings
from reader.session.stories import ReadBody, Stories
from reader.stories.signing import Signer
from reader.stories.store import SignatureStore

COMMAND_GROUPS = 5_000  # articles a command groups itself (about 4 s CPU from scratch)


def open_stories(archive: Archive, settings: Settings, articles: Iterable[Article],
                 progress: Callable[[int, int], None] | None = None,
                 cancel: threading.Event | None = None, signer: Signer | None = None
                 ) -> Stories:
    """The archive's stories, its signatures kept in its data dir (blocking: a worker);
    those of a big change made by `signer`'s workers, if it has any."""
    if not settings.group_stories:
        return Stories(archive_body(archive), enabled=False)
    store = SignatureStore.in_dir(archive.data_dir)
    return Stories.build(articles, archive_body(archive), store, settings.story_window_days,
                         progress=progress, cancel=cancel, signer=signer)


def stored_stories(archive: Archive, settings: Settings,
                   paths: Iterable[str] | None = None) -> Stories:
    """For a command: the stories as the reader last stored them (those of `paths` only,
    when given), without grouping and without writing (a few milliseconds: checking them
    against the cache would cost 0.2 s at 100,000 articles, and grouping what changed
    seconds).  Files new since stand alone until the reader groups them.  An archive of
    up to `COMMAND_GROUPS` articles is grouped up to date instead; a larger one never
    grouped has no stories."""
    if not settings.group_stories:
        return Stories(archive_body(archive), enabled=False)
    if not archive.cache.holds_more_than(COMMAND_GROUPS):
        return open_stories(archive, settings, archive.cached())
    store = SignatureStore.read_only(archive.data_dir)
    if store is None:  # none yet, or of another version: no story is stored
        return Stories(archive_body(archive), enabled=False)
    stories = Stories(archive_body(archive), store, settings.story_window_days)
    stories.load_stored(paths)
    return stories


def archive_body(archive: Archive) -> ReadBody:
    """How an article's body is read for its signature: its file by its id, else by the
    name the cache holds for it ('' when neither can be read)."""
    def read_body(article: Article) -> str:
        from reader.stories.compute import file_body

        body = file_body(archive.root, article.path)
        if body is None:
            fs_path = archive.cache.fs_path(article.path)
            body = file_body(archive.root, fs_path) if fs_path else None
        return body or ""
    return read_body
