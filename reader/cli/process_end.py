"""The reader's process ends as soon as the reader has closed, waiting for no thread.

Once the app has quit and closed what must be closed (the marks saved, the state and
the cache closed: Services.close), what was left took seconds more: Python's exit
joins every thread still running (a worker on its way: the stories' signature of an
article, a batch of the scan, the search's warm-up), and then frees each of the
hundreds of thousands of objects a big archive's catalog is made of (0.5-1 s at a
load of 10).  None of it is needed: each worker's work is kept consistent by its
transactions whatever moment it stops at (it would be the same after a kill), and
the child processes (the index writer, the scan's parsers) end themselves as their
parent goes (reader/archive/parent_watch.py), the writer dropping its batch as on a
quit.  So the process ends with `os._exit`, after the output is flushed and
multiprocessing's exit-time finalizers of priority 0 and up have run (its named
semaphores unlinked, else its resource tracker would report them leaked on the
terminal once the prompt is back).
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def end_process(code: int) -> NoReturn:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    util = sys.modules.get("multiprocessing.util")
    if util is not None:
        try:
            util._run_finalizers(0)  # what its atexit does first (the semaphores)
        except Exception:  # noqa: BLE001  (the process ends whatever happens here)
            pass
    os._exit(code)
