"""End to end: the installed `newsreader` in a real terminal (tmux), driven by keys."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.ui.conftest import sample_files

TMUX = shutil.which("tmux")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def wait_for(session: str, text: str, tries: int = 200, absent: str = "") -> str:
    """Capture the pane until `text` shows (and `absent` does not)."""
    screen = ""
    for _ in range(tries):
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen and not (absent and absent in screen):
            return screen
        subprocess.run(["tmux", "run-shell", "-t", session, "sleep 0.05"], check=False)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_newsreader_in_tmux(archive_factory, tmp_path: Path):
    root = archive_factory(sample_files())
    exe = shutil.which("newsreader")
    command = ([exe] if exe else [sys.executable, "-m", "reader.cli.main"])
    command += ["--data-dir", str(tmp_path / "data"), str(root)]
    session = f"nr-{uuid.uuid4().hex[:8]}"
    repo = Path(__file__).resolve().parents[2]
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", "-c", str(repo),
         " ".join(f"'{part}'" for part in command))
    try:
        wait_for(session, "12 in view")
        tmux("send-keys", "-t", session, "/", "")
        wait_for(session, "▏^p palette", absent="? Help")  # the search box has focus
        tmux("send-keys", "-t", session, "-l", "gold")
        # the count shows once the search is done (1 hit from titles, 3 from the index);
        # Gold report 03 is on screen before the search too
        screen = wait_for(session, " hit")
        assert "Gold report 03" in screen and "Nvidia report" not in screen
        tmux("send-keys", "-t", session, "Enter", "")
        wait_for(session, "? Help")  # the list has focus again
        tmux("send-keys", "-t", session, "Enter", "")
        wait_for(session, "Categories: daily")
        tmux("send-keys", "-t", session, "?", "")
        wait_for(session, "─ Keys ─")
        tmux("send-keys", "-t", session, "Escape", "")
        wait_for(session, "in view", absent="─ Keys ─")
        tmux("send-keys", "-t", session, "q", "")
        for _ in range(200):
            if session not in tmux("list-sessions", "-F", "#{session_name}"):
                break
            subprocess.run(["tmux", "run-shell", "-t", session, "sleep 0.05"], check=False)
        else:
            raise AssertionError("newsreader did not quit on q")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
