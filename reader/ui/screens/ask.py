"""A one-line question (a saved search's name or query, a rule's query): enter answers,
escape cancels; `ask` and `attempt`, how the parts that edit the config use it."""

from __future__ import annotations

from typing import Callable

from textual.screen import Screen

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from reader.config import ConfigError


class AskScreen(ModalScreen[str | None]):
    """Ask for a line of text, `default` filled in; dismissed with the text or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel")]

    DEFAULT_CSS = """
    AskScreen { align: center middle; }
    AskScreen > Vertical { width: 70%; height: auto; border: round $accent;
                           padding: 0 1; background: $surface; }
    """

    def __init__(self, prompt: str, default: str = "") -> None:
        super().__init__()
        self.prompt = prompt
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.prompt, markup=False)
            yield Input(self.default, id="answer", select_on_focus=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask(screen: Screen, prompt: str, default: str, then: Callable[[str], None]) -> None:
    """Ask for a line; `then` it, unless cancelled (through `attempt`)."""
    def answered(text: str | None) -> None:
        if text is not None:
            attempt(screen, lambda: then(text))

    screen.app.push_screen(AskScreen(prompt, default), answered)


def attempt(screen: Screen, action: Callable[[], object]) -> None:
    """Do an edit of the config; say why when it cannot be done (nothing changed then)."""
    try:
        action()
    except (ValueError, ConfigError) as exc:
        screen.notify(str(exc), severity="error", timeout=8)
