"""`newsreader` starts the first look (reader/archive/first_look.py) before it imports
Textual: the worker processes find the newest articles while Textual loads; and they
start without Whoosh."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# The reader with its UI replaced: says whether Textual was loaded when the look began,
# and whether the UI got the archive that looks.
SCRIPT = """
import sys, threading, types
import reader.archive
seen = {}

def look_ahead(archive):  # (its workers are forked only while there is no other thread)
    seen["textual"], seen["archive"] = "textual" in sys.modules, archive
    seen["threads"] = threading.active_count()

reader.archive.Archive.look_ahead = look_ahead
ui = types.ModuleType("reader.ui.app")
ui.run_app = lambda archive, settings, *typed, **how: print(
    seen["textual"], seen["archive"] is archive, seen["threads"]) or 0
sys.modules["reader.ui.app"] = ui
from reader.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_reader_looks_before_it_imports_textual(tmp_path, sample_root):
    """...and before the keys typed meanwhile are read (reader/cli/start_keys.py: a
    thread, in a terminal, as here)."""
    import pty

    (tmp_path / "none.toml").write_text("")
    leader, follower = pty.openpty()
    try:
        out = subprocess.run([sys.executable, "-c", SCRIPT, "--data-dir",
                              str(tmp_path / "data"), "--config", str(tmp_path / "none.toml"),
                              str(sample_root)], stdin=follower,
                             cwd=REPO, capture_output=True, text=True, timeout=60)
    finally:
        os.close(leader)
        os.close(follower)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True", "1"]


def test_the_command_imports_no_whoosh_before_it_needs_it():
    """Every worker process a reader spawns imports the command's module again: Whoosh,
    a third of a second of CPU, is imported where a command searches or indexes."""
    out = subprocess.run([sys.executable, "-c", "import sys, reader.cli.main; "
                          "print(sorted(m for m in sys.modules if m.startswith('whoosh')))"],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
