"""The keys typed while the reader starts: a quit is honoured at once, the rest kept.

The reader takes the terminal only once Textual runs, a second or more after
`newsreader` is typed (three at a high load: most of it imports).  A `q` typed
meanwhile was read by Textual only then, and the shell's prompt came back seconds
later.  From the CLI's start until the reader hands the terminal to Textual
(`hand_over`), the terminal echoes nothing (reader/cli/unechoed.py) and a thread reads
the keys (`listen`; not while the first look forks its workers, `paused`: the terminal
holds the keys typed then): a quit key typed before any other key ends the start there
(the main thread is interrupted, as by ctrl+c, and the reader returns 0); any other
key, and all that follow it, are kept and handed to the app, which reads them first
(`typed`), in the order typed.

    with StartKeys(quit_keys(settings.keys)) as keys:     # no echo from here
        try:
            keys.listen()                    # a q from here ends the start
            ...                              # open the archive
            with keys.paused():
                archive.look_ahead()         # (it forks: no other thread)
            ...                              # import the app
            typed = keys.hand_over()         # the keys typed so far
        except KeyboardInterrupt:
            if not keys.quit:
                raise
            return 0                         # q: the reader never starts
        return run_app(archive, settings, typed)

Where stdin is no terminal (a pipe, a test) nothing is read.
"""

from __future__ import annotations

import os
import select
import signal
import threading
from contextlib import contextmanager
from typing import IO, AbstractSet, Iterator, Mapping

DEFAULT_QUIT = "q"


def quit_keys(keys: Mapping[str, str]) -> frozenset[bytes]:
    """The one-character keys bound to quit (the config's `[keys] quit`, else q)."""
    named = keys.get("quit", DEFAULT_QUIT).split(",")
    return frozenset(k.strip().encode() for k in named
                     if len(k.strip()) == 1 and k.strip().isprintable())


class StartKeys:
    """No echo from the start; the keys read until `hand_over` (see the module's doc)."""

    def __init__(self, quit_keys: AbstractSet[bytes] = frozenset({b"q"}),
                 stream: IO | None = None) -> None:
        self._quit_keys = quit_keys
        self._stream = stream
        self._typed = bytearray()
        self._lock = threading.Lock()  # the quit and the hand-over: one of them
        self._handed = False
        self._thread: threading.Thread | None = None
        self._wake: tuple[int, int] | None = None
        self._terminal = None
        self._fd: int | None = None
        self.quit = False  # a quit key was typed first: the main thread is interrupted

    def __enter__(self) -> "StartKeys":
        from reader.cli.unechoed import unechoed

        self._terminal = unechoed(self._stream, keys_readable=True)
        self._fd = self._terminal.__enter__()
        return self

    def listen(self) -> None:
        """Start reading the keys (those typed since the start too: the terminal holds
        them); again after `paused`."""
        if self._fd is not None and self._thread is None and not self._handed:
            self._wake = os.pipe()
            self._thread = threading.Thread(target=self._read, args=(self._fd,),
                                            daemon=True, name="start-keys")
            self._thread.start()

    def __exit__(self, *exc) -> None:
        try:
            self._stop()
        finally:
            self._terminal.__exit__(*exc)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No thread reads meanwhile (the first look forks its workers only while this
        process has no other thread: reader/archive/first_look.py); the keys typed stay
        in the terminal, read once this is over."""
        listening = self._thread is not None
        self._stop()
        try:
            yield
        finally:
            if listening and not self.quit:
                self.listen()

    def hand_over(self) -> str:
        """Stop reading: the keys typed so far, for the app to read first; the keys
        typed from now on stay in the terminal's queue for it.  Raises KeyboardInterrupt
        if a quit's interruption was swallowed on its way (raised in a garbage
        collector's callback or a finalizer, which only print it)."""
        with self._lock:
            self._handed = True
        self._stop()
        if self.quit:
            raise KeyboardInterrupt
        return self._typed.decode("utf-8", "replace")

    def _stop(self) -> None:
        thread, wake = self._thread, self._wake
        self._thread = self._wake = None
        if thread is None:
            return
        os.write(wake[1], b"x")
        thread.join()
        for end in wake:
            os.close(end)

    def _read(self, fd: int) -> None:
        wake = self._wake[0]
        while True:
            try:
                ready, _, _ = select.select([fd, wake], [], [])
                if wake in ready:
                    return
                data = os.read(fd, 4096)
            except OSError:  # the terminal went away
                return
            if not data:
                return
            if not self._typed and data[:1] in self._quit_keys:
                with self._lock:
                    if not self._handed and _interrupts():
                        self.quit = True
                        # as ctrl+c: the start unwinds (even out of a blocking call)
                        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
                        return
            self._typed += data


def _interrupts() -> bool:
    """Whether a SIGINT raises KeyboardInterrupt here (not where it is ignored: the q is
    then the app's, as any other key)."""
    return signal.getsignal(signal.SIGINT) is signal.default_int_handler
