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
def unechoed(stream: IO | None = None, keys_readable: bool = False
             ) -> Iterator[int | None]:
    """The terminal of `stream` (stdin) without echo meanwhile, and its descriptor (None,
    with nothing done, where it is not a terminal (a pipe, a test) or where termios is
    missing (Windows)).  `keys_readable`: each key can be read as it is typed (not only
    at the end of a line: reader/cli/start_keys.py reads them)."""
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
    quiet[3] &= ~termios.ECHO  # lflag; signals (ctrl+c) stay as they were
    if keys_readable:
        quiet[3] &= ~termios.ICANON
        quiet[6] = list(quiet[6])
        quiet[6][termios.VMIN], quiet[6][termios.VTIME] = 1, 0
    termios.tcsetattr(fd, termios.TCSANOW, quiet)
    try:
        yield fd
    finally:
        try:
            termios.tcsetattr(fd, termios.TCSANOW, before)
        except (OSError, termios.error):  # the terminal went away (its window closed)
            pass
