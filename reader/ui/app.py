"""The reader application: built from an Archive and Settings, so tests pass their own.

    run_app(Archive.open(root, settings), settings)   # what `newsreader ARCHIVE` does
"""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen

from reader.archive import Archive
from reader.config import Settings
from reader.resources import styles_path
from reader.ui import cjk_wrap
from reader.ui.commands import JumpToArticle, SavedSearchCommands
from reader.ui.rule_commands import RuleCommands
from reader.ui.key_queue import KeyQueue
from reader.ui.keys import APP_BINDINGS, SCREEN_BINDINGS, chord_rows, keymap_problems
from reader.ui.sanitize import clean_line, clean_text
from reader.ui.screens.main import MainScreen
from reader.session.services import Services
from reader.ui.svg_cells import fix_text_lengths
from reader.ui.terminal_driver import reader_driver
from reader.ui.theme_colours import reader_variables

UNSAVED_RETRY = 10.0  # seconds between two tries at marks a full disk refused


def style_files() -> list:
    """The app-wide stylesheets, in name order."""
    return sorted(styles_path().glob("*.tcss"))


class Unwaited(ThreadPoolExecutor):
    """The loop's executor (Textual's thread workers) where the process ends with the
    app: its shutdown, as the app's loop closes, waits for no worker.  A quit sets the
    workers' stop; the essential is closed before (the marks saved by Services.close),
    and a worker still on its way (a stories' signature, a batch of the scan) is ended
    with the process, as by a kill, which each leaves consistent."""

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=False, cancel_futures=True)


class NewsReaderApp(App[int]):
    """Three panes over one archive: groups, articles, the article."""

    TITLE = "newsreader"
    COMMANDS = App.COMMANDS | {JumpToArticle, SavedSearchCommands, RuleCommands}
    BINDINGS = APP_BINDINGS

    def __init__(self, archive: Archive, settings: Settings,
                 services: Services | None = None, typed: str = "",
                 ends_process: bool = False) -> None:
        self.CSS_PATH = style_files()
        super().__init__()
        # keys typed while the reader started are read first, and where the process ends
        # with the app the end of input waits for no thread (reader/ui/terminal_driver.py)
        self.driver_class = reader_driver(self.driver_class, typed, ends_process)
        cjk_wrap.install()
        _start_resource_tracker()
        self.settings = settings
        self.services = services or Services(archive, settings)
        # notify only posts a message: safe from the state writer's thread, and it never
        # waits for the event loop (call_from_thread did: a write failing while the app
        # shut down, waiting for that writer, hung the quit for good)
        self.services.on_error = lambda message: self.notify(message, severity="error")
        self.services.on_notice = self.notify
        self.sub_title = str(archive.root)
        self.key_queue = KeyQueue(self, super().on_event, self._keys_must_wait)
        self.lost_marks = 0  # mark changes that could not be saved by the close
        self.ends_process = ends_process

    async def on_event(self, event: events.Event) -> None:
        if self.key_queue.takes(event):  # one at a time, in order (see key_queue.py)
            if self.key_queue.idle and self._quits(event):  # a q waits for no list
                self.exit(0)
                return
            await self.key_queue.put(event)
        else:
            await super().on_event(event)

    def _quits(self, event: events.Event) -> bool:
        screen = self.screen
        return isinstance(event, events.Key) and isinstance(screen, MainScreen) \
            and screen.quits(event)

    def on_load(self) -> None:
        if self.ends_process:  # the process ends once the app has: no thread is waited
            asyncio.get_running_loop().set_default_executor(Unwaited())

    def _keys_must_wait(self) -> bool:
        screen = self.screen
        return isinstance(screen, MainScreen) and screen.keys_must_wait()

    def get_default_screen(self) -> Screen:
        return MainScreen(self.services)

    def on_mount(self) -> None:
        self.set_interval(UNSAVED_RETRY, self.services.retry_unsaved)  # a full disk freed
        for problem in (*self.settings.problems, *self.services.rules.warnings()):
            self.notify(problem, severity="warning", timeout=15)
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
            for problem in keymap_problems(self.settings.keys):
                self.notify(problem, severity="warning", timeout=15)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.notify(f"Unknown theme {self.settings.theme!r}; using {self.theme}.",
                        severity="warning")

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables and the reader's own ($reader-focus: theme_colours.py)."""
        variables = super().get_css_variables()
        return variables | reader_variables(variables)

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification is plain text (they name paths and errors, which are data):
        never parsed as markup, control characters removed, whatever the caller asked."""
        super().notify(clean_text(message), title=clean_line(title), severity=severity,
                       timeout=timeout, markup=False)

    def export_screenshot(self, *, title: str | None = None, simplify: bool = False) -> str:
        """The screen as SVG, each text run as wide as its cells (Chinese unsqueezed)."""
        return fix_text_lengths(super().export_screenshot(title=title, simplify=simplify))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for binding in SCREEN_BINDINGS:
                if binding.action != "quit" and not binding.action.startswith("chord("):
                    yield SystemCommand(binding.description, f"key: {binding.key_display or binding.key}",
                                        _runner(screen, binding.action))
            for keys, (action, what) in chord_rows(self.settings.keys):
                yield SystemCommand(what, f"keys: {keys}", _runner(screen, action))

    def on_unmount(self) -> None:
        self.lost_marks = self.services.close(process_ends=self.ends_process)


def _runner(screen: Screen, action: str):
    async def run() -> None:
        await screen.run_action(action)

    return run


def _start_resource_tracker() -> None:
    """The index is written by a spawned child process; multiprocessing's resource tracker
    must start while sys.stderr is still the real one (Textual replaces it while running)."""
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()


def run_app(archive: Archive, settings: Settings, typed: str = "",
            ends_process: bool = False) -> int:
    """Run the reader in this terminal until the user quits; returns the exit code.
    `typed`: keys typed before, read first; `ends_process`: the caller ends the process
    at once after (reader/cli/process_end.py), so the app's end waits for no worker."""
    app = NewsReaderApp(archive, settings, typed=typed, ends_process=ends_process)
    result = app.run()
    if app.lost_marks:  # the screen is gone: the terminal is told
        print(f"newsreader: {app.lost_marks:,} read/starred change(s) could not be saved: "
              "the state file took no writes (a full disk?)", file=sys.stderr)
        return 1
    return app.return_code or int(result or 0)  # a crash: Textual's code (1), not 0
