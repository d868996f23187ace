"""Progress on the command line: a bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressPrinter:
    """Call with (done, total).  On a TTY redraws one line; elsewhere prints a line per ~10%."""

    def __init__(self, label: str, stream: TextIO | None = None, quiet: bool = False):
        self.label = label
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = self.stream.isatty()
        self._last_step = -1
        self._last_draw = 0.0
        self._line_open = False  # a bar is drawn and its line not ended yet

    def __call__(self, done: int, total: int) -> None:
        if self.quiet or total <= 0:
            return
        if self.tty:
            self._draw_bar(done, total)
        else:
            step = done * 10 // total
            if step != self._last_step:
                self._last_step = step
                print(f"{self.label}: {done}/{total} ({done * 100 // total}%)", file=self.stream,
                      flush=True)

    def _draw_bar(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
        self.stream.flush()
        self._line_open = True

    def finish(self) -> None:
        """End the bar's line (once)."""
        if self._line_open:
            self.stream.write("\n")
            self._line_open = False
