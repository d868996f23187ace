"""A rule's preview, before it is saved: how many articles it matches now and the newest
of them (FreshRSS users ask for this, #8139).  Enter saves, escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from reader.session.rules import Preview
from reader.ui.sanitize import clean_line
from reader.ui.wording import local_date, plural

VERBS = {"hide": "hide", "read": "mark read", "star": "star", "highlight": "highlight"}


def preview_lines(preview: Preview, tz) -> list[str]:
    """The preview as lines of plain text (article text is data: never markup)."""
    lines = [f"Rule: {VERBS.get(preview.action, preview.action)} "
             f"{clean_line(preview.query)}"]
    if preview.problem:
        return [*lines, f"Cannot be a rule: {preview.problem}"]
    lines.append(f"Matches {plural(len(preview.paths), 'article')} now"
                 + (f" ({preview.note})" if preview.note else ""))
    lines += [f"  {local_date(a.date, tz, '%Y-%m-%d')}  {clean_line(a.title) or '(untitled)'}"
              for a in preview.sample]
    if len(preview.paths) > len(preview.sample):
        lines.append(f"  … and {len(preview.paths) - len(preview.sample):,} more")
    return lines


class RulePreviewScreen(ModalScreen[bool]):
    """What a rule would match; dismissed with True (save it) or False."""

    BINDINGS = [Binding("enter", "save", "Save the rule", id="rule.save"),
                Binding("escape", "cancel", "Cancel", id="rule.cancel")]

    DEFAULT_CSS = """
    RulePreviewScreen { align: center middle; }
    RulePreviewScreen > Vertical { width: 80%; height: auto; max-height: 80%;
                                   border: round $accent; padding: 0 1;
                                   background: $surface; }
    RulePreviewScreen #hint { color: $text-muted; }
    """

    def __init__(self, preview: Preview, tz) -> None:
        super().__init__()
        self.preview = preview
        self.lines = preview_lines(preview, tz)

    def compose(self) -> ComposeResult:
        with Vertical():
            for number, line in enumerate(self.lines):
                yield Label(line, markup=False, id="summary" if number == 1 else None)
            hint = "escape: back" if self.preview.problem else "enter: save the rule · escape: cancel"
            yield Label(hint, id="hint")

    def action_save(self) -> None:
        self.dismiss(not self.preview.problem)

    def action_cancel(self) -> None:
        self.dismiss(False)
