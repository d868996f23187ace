"""The index's segments merged while the index has nothing else to do.

A first index leaves dozens of segments (18 at 100k, 108 at 1M; 50 and 500 on older
indexes), and a search pays each its own lookups.  Once an update is over and the
backlog is empty, and stays so for MERGE_IDLE_SECONDS, the due tiers of segments are merged
(reader/index/updater.py merge_index: in the writer's child at idle priority, one
committed step at a time; the status's index part says "Merging index 3/9").  Work
that comes meanwhile (a watched burst, a rescan, a quit) cancels it: the step under way
is dropped at once (its child ended), those before it are kept, and the work is
indexed first; the next idle period goes on where it stopped.  `merge_when_idle =
false` in the config turns it off.  Owned by the background part (background.py): its
state is changed only on the event loop.
"""

from __future__ import annotations

import threading

from textual.timer import Timer

from reader.index.updater import MERGE_IDLE_SECONDS
from reader.ui.messages import Merged, Progressed

UP_TO_DATE = "Index up to date"
MERGING = "Merging index"


class IdleMerge:
    idle_seconds = MERGE_IDLE_SECONDS  # the index idle so long: a merge starts

    def __init__(self, background) -> None:
        self.background = background
        self.screen = background.screen
        self.running = False  # a merge worker is under way (its Merged not taken yet)
        self._cancel = threading.Event()  # the running merge's
        self._timer: Timer | None = None  # starts a merge once the index was idle so long

    @property
    def enabled(self) -> bool:
        return self.background.services.settings.merge_when_idle

    def when_idle(self) -> None:
        """An index update is over and nothing waits for the index: a merge starts after
        `idle_seconds`, unless work comes first."""
        if not self.enabled or self.running or self.background.stop_event.is_set():
            return
        self._stop_timer()
        self._timer = self.screen.set_timer(self.idle_seconds, self._start)

    def interrupt(self) -> bool:
        """Work for the index came (a batch, a rescan): no merge starts, the one under way
        is cancelled.  Whether one was under way: the work waits for its `Merged`."""
        self._stop_timer()
        if self.running:
            self._cancel.set()
        return self.running

    def stop(self) -> None:
        """The screen goes away (a quit): the merge under way is cancelled at once."""
        self.interrupt()

    def merged(self, message: Merged) -> None:
        background = self.background
        self.running = False
        shown = self.screen.status.parts.get("index", "").startswith(MERGING)
        if (shown or message.text) and not background.backlog and not background.indexing:
            self.screen.status.set_part("index", message.text or UP_TO_DATE)
        background.index_next()  # what came meanwhile

    def _start(self) -> None:
        background = self.background
        self._timer = None
        if self.running or background.indexing or background.backlog \
                or background.scanning or background.stop_event.is_set() \
                or not background.services.searcher.index_complete():
            return
        self.running, self._cancel = True, threading.Event()
        background.run(self._merge, "merge", self._cancel)

    def _merge(self, cancel: threading.Event) -> None:
        """In a worker: the due tiers merged, until done or cancelled."""
        def progress(step: int, steps: int) -> None:
            if not cancel.is_set():
                self.screen.post_message(Progressed("index", f"{MERGING} {step}/{steps}"))

        try:
            text = self.background.services.searcher.merge(progress, cancel)
        except Exception as exc:  # noqa: BLE001 - the index stays as of its last step
            text = f"Index merge failed: {exc}"
        if not self.background.stop_event.is_set():
            self.screen.post_message(Merged(text))

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
