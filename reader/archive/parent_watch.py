"""Ending a worker process when the process that started it dies, a kill -9 included.

The reader's child processes (the scan's parsers, the index writer) are spawned
by multiprocessing, which leaves each child one end of a pipe whose other end
only the parent holds: it reads as closed the moment the parent is gone,
whatever ended it (`multiprocessing.parent_process().join()` waits for that, on
every platform).  Without this an orphaned writer kept the index locked until
it finished ("being updated by process N"), and orphaned parsers waited for
work forever.
"""

from __future__ import annotations

import multiprocessing
import threading
from typing import Callable


def on_parent_exit(callback: Callable[[], None]) -> None:
    """Run `callback` in a thread of its own once this process's parent has ended; nothing
    when this process was not started by multiprocessing."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # returns once the pipe to the parent is closed
        callback()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
