"""End to end: the installed `newsreader` in a real terminal (tmux), driven by keys.

The test runs its own tmux server (a private socket), so it neither needs nor
disturbs anyone's sessions, and it waits on tmux's control-mode output
notifications instead of sleeping: after every burst of output from the app
it looks at the screen again, until the text it waits for is there.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.ui.conftest import sample_files

TMUX = shutil.which("tmux")
DEADLINE_SECONDS = 60.0
EXITED = "[newsreader exited "


class Terminal:
    """One app in a 100x30 tmux window on a private server."""

    def __init__(self, command: list[str], cwd: Path, scratch: Path) -> None:
        self.socket = f"nr-test-{uuid.uuid4().hex[:8]}"
        # our own config: no user settings, and a dead pane stays to be read
        self.config = scratch / "tmux.conf"
        self.config.write_text("set -g remain-on-exit on\n", encoding="utf-8")
        # the shell says when the app ends, so that the end is output to wait for
        shell_command = (" ".join(f"'{part}'" for part in command)
                         + f"; printf '\\n{EXITED}%s]\\n' $?")
        self.tmux("new-session", "-d", "-s", "app", "-x", "100", "-y", "30",
                  "-c", str(cwd), shell_command)
        self.control = subprocess.Popen(
            ["tmux", "-L", self.socket, "-C", "attach", "-t", "app"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "-f", str(self.config), *args],
                              check=True, capture_output=True, text=True).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "app", *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "app")

    def wait_output(self, deadline: float) -> None:
        """Block until the app writes something, or the deadline passes."""
        ready, _, _ = select.select([self.control.stdout], [], [],
                                    max(0.0, deadline - time.monotonic()))
        if ready:
            os.read(self.control.stdout.fileno(), 65536)

    def wait_for(self, text: str, absent: str = "") -> str:
        """The screen once `text` shows on it (and `absent` does not)."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen and not (absent and absent in screen):
                return screen
            if EXITED in screen and EXITED not in text:
                break
            self.wait_output(deadline)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def wait_exit(self) -> None:
        """Wait for the app to end, and check that it ended well."""
        self.wait_for(f"{EXITED}0]")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        self.control.kill()
        self.control.wait()
        self.config.unlink(missing_ok=True)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_newsreader_in_tmux(archive_factory, tmp_path: Path):
    root = archive_factory(sample_files())
    exe = shutil.which("newsreader")
    command = ([exe] if exe else [sys.executable, "-m", "reader.cli.main"])
    command += ["--data-dir", str(tmp_path / "data"), str(root)]
    term = Terminal(command, cwd=Path(__file__).resolve().parents[2], scratch=tmp_path)
    try:
        term.wait_for("12 in view")
        term.keys("/")
        term.wait_for("▏^p palette", absent="? Help")  # the search box has focus
        term.keys("gold", literal=True)
        # the count shows once the search is done (1 hit from titles, 3 from the index);
        # Gold report 03 is on screen before the search too
        screen = term.wait_for(" hit")
        assert "Gold report 03" in screen and "Nvidia report" not in screen
        term.keys("Enter")
        term.wait_for("? Help")  # the list has focus again
        term.keys("Enter")
        term.wait_for("Categories: daily")
        term.keys("?")
        term.wait_for("─ Keys ─")
        term.keys("Escape")
        term.wait_for("in view", absent="─ Keys ─")
        term.keys("q")
        term.wait_exit()
    finally:
        term.close()
