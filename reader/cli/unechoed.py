"""Keys typed while the reader starts are not echoed.

The reader takes the terminal (raw mode, no echo) only once Textual runs, a second or
more after `newsreader` is typed (longer at a high load).  A key typed meanwhile (a
`q`) was echoed by the terminal and stayed on the screen above the shell's prompt
once the reader quit.  From the CLI's start the terminal echoes nothing; the keys stay
in its queue (Textual reads them: a `q` quits), and its settings are put back as they
were when the reader ends (Textual puts back those it found: these).
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import IO, Iterator


@contextmanager
def unechoed(stream: IO | None = None) -> Iterator[None]:
    """The terminal of `stream` (stdin) without echo meanwhile; nothing is done where it
    is not a terminal (a pipe, a test) or where termios is missing (Windows)."""
    try:
        import termios
    except ImportError:
        termios = None
    try:
        fd = (stream or sys.stdin).fileno()
        before = termios.tcgetattr(fd)
    except (AttributeError, ValueError, OSError, termios.error if termios else OSError):
        yield
        return
    quiet = list(before)
    quiet[3] &= ~termios.ECHO  # lflag; canonical input and signals stay as they were
    termios.tcsetattr(fd, termios.TCSANOW, quiet)
    try:
        yield
    finally:
        try:
            termios.tcsetattr(fd, termios.TCSANOW, before)
        except (OSError, termios.error):  # the terminal went away (its window closed)
            pass
