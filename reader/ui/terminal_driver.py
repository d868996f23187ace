"""The reader's driver of the terminal: Textual's, with two changes for `newsreader`.

- Keys typed while the reader started (read by reader/cli/start_keys.py, which ends
  the start at once on a q) are posted to the app before the driver reads the
  terminal: they reach the app first, in the order typed.
- Where the process ends with the app (reader/cli/process_end.py), the end of input
  does not wait for the thread reading the terminal: it looks at its stop only after
  its select of 0.1 s (and one more select after that), 0.1-0.25 s of every quit at a
  high load.  It still stops, and what it may read meanwhile is typed-ahead that the
  driver discards anyway (its flush of the terminal's input).
"""

from __future__ import annotations

from textual.driver import Driver


def reader_driver(driver_class: type[Driver], typed: str = "",
                  ends_process: bool = False) -> type[Driver]:
    """`driver_class` (a terminal's: Linux's, Windows') so changed; as it is when there is
    nothing to change."""
    if not typed and not ends_process:
        return driver_class

    class ReaderDriver(driver_class):
        def start_application_mode(self) -> None:
            if typed:
                from textual._xterm_parser import XTermParser

                parser = XTermParser()
                for event in (*parser.feed(typed), *parser.feed("")):  # "": the end
                    self.process_message(event)                       # (a lone escape)
            super().start_application_mode()

        def disable_input(self) -> None:
            thread = getattr(self, "_key_thread", None)
            if not ends_process or thread is None or self.exit_event.is_set():
                super().disable_input()
                return
            self._key_thread = None  # (Linux's driver joins it; Windows' has none)
            try:
                super().disable_input()  # it sets the thread's stop, then clears it
            finally:
                self._key_thread = thread
            self.exit_event.set()  # the thread's stop, kept set: it ends at its next look

    return ReaderDriver
