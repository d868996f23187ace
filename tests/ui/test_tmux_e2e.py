"""End to end: the installed `newsreader` in a real terminal (tmux), driven by keys.

The test runs its own tmux server (a private socket), so it neither needs nor
disturbs anyone's sessions, and it waits on tmux's control-mode output
notifications instead of sleeping: after every burst of output from the app
it looks at the screen again, until the text it waits for is there.
"""

from __future__ import annotations

import os
import re
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
        return self.wait_until(lambda screen: text in screen and not (absent and absent in screen),
                               repr(text), EXITED in text)

    def wait_until(self, holds, what: str, exit_expected: bool = False) -> str:
        """The screen once `holds(screen)` is true."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if holds(screen):
                return screen
            if EXITED in screen and not exit_expected:
                break
            self.wait_output(deadline)
        raise AssertionError(f"{what} never appeared; the screen was:\n{screen}")

    def wait_exit(self) -> None:
        """Wait for the app to end, and check that it ended well."""
        self.wait_for(f"{EXITED}0]")

    def __enter__(self) -> "Terminal":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        self.control.kill()
        self.control.wait()
        self.config.unlink(missing_ok=True)


def open_reader(root: Path, tmp_path: Path, config: str | None = None) -> Terminal:
    """The installed `newsreader` on `root`, its data in tmp_path/data, in a new tmux;
    `config`: the text of its config file."""
    exe = shutil.which("newsreader")
    command = ([exe] if exe else [sys.executable, "-m", "reader.cli.main"])
    command += ["--data-dir", str(tmp_path / "data"), str(root)]
    if config is not None:
        (tmp_path / "config.toml").write_text(config, encoding="utf-8")
        command += ["--config", str(tmp_path / "config.toml")]
    return Terminal(command, cwd=Path(__file__).resolve().parents[2], scratch=tmp_path)


def open_search(term: Terminal, ready: str) -> None:
    """Once `ready` shows, press / and wait until the search box has the focus."""
    term.wait_for(ready)
    term.keys("/")
    term.wait_for("▏^p palette", absent="? Help")  # the footer of the search box


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_newsreader_in_tmux(archive_factory, tmp_path: Path):
    root = archive_factory(sample_files())
    with open_reader(root, tmp_path) as term:
        open_search(term, "12 in view")
        term.keys("gold", literal=True)
        # the count shows once the search is done (1 hit from titles, 3 from the index);
        # Gold report 03 is on screen before the search too.  Each letter is searched as
        # it lands ("g" may show "0 hits"): wait for the whole word's count
        screen = term.wait_until(lambda s: box_text(s) == "gold" and " hit" in s
                                 and "Gold report 03" in s, "the hits of 'gold'")
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


FIRST_FRAME = "/ search:"  # the empty search box: the main screen is drawn


def warm_up(root: Path, tmp_path: Path) -> None:
    """A first run: the cache and the index are made, as a user's second start finds them."""
    with open_reader(root, tmp_path) as term:
        term.wait_for("Index up to date")
        term.keys("q")
        term.wait_exit()


def box_text(screen: str) -> str:
    """What the search box holds: the screen's first line, right of the tree's top."""
    return re.split("[┐▕]", screen.splitlines()[0], maxsplit=1)[-1].strip()


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_slash_and_a_word_in_one_burst_at_the_first_frame(archive_factory, tmp_path: Path):
    """Ten fresh starts on a warm data dir: `/word` sent in one write the moment the
    screen is first drawn, every time the whole word in the box and its hits listed."""
    root = archive_factory(sample_files())
    warm_up(root, tmp_path)
    for start in range(10):
        word = ("gold", "黄金")[start % 2]
        with open_reader(root, tmp_path) as term:
            term.wait_for(FIRST_FRAME)
            term.keys(f"/{word}", literal=True)
            # (a prefix of the word may find the same 3 hits: wait for the whole word)
            # (a frame may be captured half drawn: the status before the list)
            screen = term.wait_until(lambda s: "3 hits" in s and box_text(s) == word
                                     and "Articles (3)" in s, f"3 hits of {word!r}")
            assert "Gold report 03" in screen and "Nvidia report" not in screen


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_a_word_enter_and_G_in_one_burst_go_to_the_last_hit(archive_factory, tmp_path: Path):
    root = archive_factory(sample_files())
    with open_reader(root, tmp_path) as term:
        open_search(term, "Index up to date")
        term.keys("黄\rG", literal=True)
        # the last (oldest) of the three hits is shown: its link is in the article pane
        screen = term.wait_for("https://example.com/3")
        assert "3 hits" in screen and box_text(screen) == "黄", screen
