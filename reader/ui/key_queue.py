"""Keys are handed on one at a time, each once the one before has been handled through.

Textual forwards a key to the widget focused *when the app takes the key from its
queue*, but runs a binding only when the key has bubbled back up to the app.  Keys
that arrive together (a paste, a macro, key repeat, or keys typed while the reader
was busy starting) were all forwarded before the first one's binding ran: after `/`
the word went to the list instead of the search box, after `enter` the `G` acted
on the rows of the old search.

This queue holds every key (and paste) the terminal sends and hands the next one on
only when the one before has gone its whole way (a callback queued behind it on
each widget it passes tells) and the screen has been drawn since (a scroll is done
at the next frame, a new screen's widgets are sized then), and when the screen is
ready for it (`must_wait`: the list is not being recomputed for what was typed
before).  A burst so acts exactly as the same keys typed slowly; a key never waits
longer than WAIT_LIMIT seconds, whatever happens.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Awaitable, Callable

from textual import events
from textual.app import App, ScreenStackError
from textual.message_pump import MessagePump
from textual.timer import Timer

WAIT_LIMIT = 2.0  # seconds a key waits at most for the one before, or for the screen

Dispatch = Callable[[events.Event], Awaitable[None]]


class KeyQueue:
    """The app's keys, in the order typed, handed on one at a time."""

    wait_limit = WAIT_LIMIT

    def __init__(self, app: App, dispatch: Dispatch, must_wait: Callable[[], bool]) -> None:
        self._app = app
        self._dispatch = dispatch  # what the app does with a key: bindings, forwarding
        self._must_wait = must_wait
        self._waiting: deque[events.Event] = deque()
        self._in_flight: object | None = None  # the key on its way, while it is
        self._since = 0.0  # since when the key on its way has been on it, or the next waited
        self._watchdog: Timer | None = None

    @property
    def idle(self) -> bool:
        """True when no key waits and none is on its way."""
        return not self._waiting and self._in_flight is None

    @staticmethod
    def takes(event: events.Event) -> bool:
        """True for the terminal's keys and pastes (not those already forwarded)."""
        return isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded

    async def put(self, event: events.Event) -> None:
        """Take a key from the terminal; it is handed on now if nothing is before it.
        Keys are handed on from the app's own message loop only."""
        if self._watchdog is None:
            self._watchdog = self._app.set_interval(self.wait_limit / 4, self._check)
        if not self._waiting and self._in_flight is None:
            self._since = time.monotonic()
        self._waiting.append(event)
        await self.hand_on()

    def resume(self) -> None:
        """The screen is ready for the next key (callable from any widget's handler)."""
        if self._waiting:
            self._app.call_later(self.hand_on)

    async def hand_on(self) -> None:
        """Hand on waiting keys while nothing is on its way and the screen is ready."""
        while self._waiting and self._in_flight is None and self._may_go():
            event = self._waiting.popleft()
            target = self._app.focused or _screen_or_app(self._app)
            self._in_flight = token = object()
            self._since = time.monotonic()
            await self._dispatch(event)
            self._follow(token, target.ancestors_with_self)

    def _may_go(self) -> bool:
        return not self._must_wait() or self._waited_too_long()

    def _waited_too_long(self) -> bool:
        return time.monotonic() - self._since >= self.wait_limit

    async def _check(self) -> None:
        """Never stuck: a key lost on its way, or a screen that is never ready, holds the
        next keys back for WAIT_LIMIT seconds at most."""
        if self._in_flight is not None and self._waited_too_long():
            self._in_flight = None
        if self._waiting:
            await self.hand_on()

    def _follow(self, token: object, nodes: list[MessagePump]) -> None:
        """Queue a callback behind the key on the next node it may pass: it runs once
        that node has handled the key (and handed it to its parent, if it bubbles)."""
        for index, node in enumerate(nodes):
            if node.call_later(self._passed, token, nodes[index:]):
                return
        self._in_flight = None  # every node is closing: the app is ending

    async def _passed(self, token: object, nodes: list[MessagePump]) -> None:
        if len(nodes) > 1:
            self._follow(token, nodes[1:])
        elif self._in_flight is token:  # through the app itself, where bindings run:
            # done once the screen shows what the key did (a scroll, a new screen)
            screen = _screen_or_app(self._app)
            if not screen.call_after_refresh(self._app.call_later, self._arrived, token):
                await self._arrived(token)

    async def _arrived(self, token: object) -> None:
        if self._in_flight is token:
            self._in_flight = None
            self._since = time.monotonic()
            await self.hand_on()


def _screen_or_app(app: App) -> MessagePump:
    try:
        return app.screen
    except ScreenStackError:  # keys before the first screen is up
        return app
