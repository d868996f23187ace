"""What the background work tells the main screen, as messages (posted from any thread).

A worker posts; the screen's handlers run on the event loop, in order.  Progress
that a newer report supersedes says so with `can_replace` (as toolong's
messages.py): a flood of reports queued behind a busy loop is drawn once, the
newest.  A change of the catalog is never dropped: each is a delta the
screen applies in turn.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual.message import Message

from reader.archive import ScanResult
from reader.session.catalog import CatalogChange
from reader.session.saved_searches import Found
from reader.session.services import Loaded


@dataclass
class Progressed(Message):
    """A background task's progress: the status bar's `part` now reads `text`."""

    part: str
    text: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Progressed) and message.part == self.part


@dataclass
class CatalogLoaded(Message):
    """A whole catalog: the cache's, or what a first scan has found so far (`so_far`)."""

    loaded: Loaded
    so_far: bool = False
    notices: tuple[str, ...] = ()
    first: bool = False  # the cache's, as the reader opens: the scan starts then

    def can_replace(self, message: Message) -> bool:
        return self.so_far and isinstance(message, CatalogLoaded)


@dataclass
class CatalogChanged(Message):
    """A scan (`r`, or a watched batch) changed the archive: the delta applied; `taken`
    set once the screen has (the worker grouping the next piece waits for it)."""

    change: CatalogChange
    taken: threading.Event | None = None


@dataclass
class IndexGrew(Message):
    """The index committed a batch: a search on screen may find more now."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexGrew)


@dataclass
class ScanFinished(Message):
    """A scan is over (after its catalog's message): `result`, or None and `error`."""

    result: ScanResult | None
    error: str = ""


@dataclass
class Indexed(Message):
    """The index update is over: the status's line, and whether to try again later."""

    text: str
    busy: bool = False
    found: Found | None = None  # the saved searches' members, looked for again
    rules: object = None  # the rules' members (reader/session/rules.py RulesFound)


@dataclass
class Merged(Message):
    """The idle merge of the index's segments is over (done, cancelled or failed): the
    status's line ('' for "up to date")."""

    text: str


@dataclass
class NewFound(Message):
    """The state writer found New's members changed (Services.on_new): hold them."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, NewFound)


@dataclass
class Watched(Message):
    """A watched batch was scanned (its catalog's message came first): the index takes
    `result`'s delta next.  `notice`: watching fell back to rescans, and why."""

    result: ScanResult | None
    notice: str = ""
    first: bool = False  # the folder is watched from now on: the reader's first scan starts
    watched: bool = True  # False: a periodic rescan (not watched), or the folder is missing
    missing: bool = False  # the archive folder is not there: nothing was scanned
