"""End to end, keeping up: the installed `newsreader` in a real terminal (tmux), its
own config file.  A search saved in the reader (`b`) becomes a node of the tree's
Searches section with its count, written to the config file, and the count follows
a mark at once."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.ui.conftest import sample_files
from tests.ui.test_tmux_e2e import TMUX, Terminal, open_search


def open_with_config(root: Path, tmp_path: Path, config: Path) -> Terminal:
    exe = shutil.which("newsreader")
    command = ([exe] if exe else [sys.executable, "-m", "reader.cli.main"])
    command += ["--data-dir", str(tmp_path / "data"), "--config", str(config), str(root)]
    return Terminal(command, cwd=Path(__file__).resolve().parents[2], scratch=tmp_path)


def tree_row(screen: str, name: str) -> str:
    """The tree's row for `name` (its left column), "" when it is not shown."""
    for line in screen.splitlines()[1:]:
        left = line.split("▕", 1)[0]
        if left.lstrip("└├│ ").startswith(name + " "):
            return left.strip()
    return ""


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_a_search_saved_in_the_reader_is_a_node_with_a_live_count(archive_factory,
                                                                  tmp_path: Path):
    root = archive_factory(sample_files())
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    with open_with_config(root, tmp_path, config) as term:
        open_search(term, "Index up to date")
        term.keys("gold", literal=True)
        term.wait_until(lambda s: "3 hits" in s, "the hits of 'gold'")
        term.keys("Enter")
        term.wait_for("? Help")  # the list has the focus
        term.keys("b")
        term.wait_for("Save the search 'gold' as:")
        term.keys("C-u")
        term.keys("Gold watch", literal=True)
        term.keys("Enter")
        screen = term.wait_until(lambda s: tree_row(s, "Gold watch").endswith("3/3"),
                                 "the saved search's node and count")
        assert "Searches (1)" in screen
        assert 'name = "Gold watch"' in config.read_text(encoding="utf-8")
        term.keys("m")  # the article under the cursor (a hit of gold) read
        term.wait_until(lambda s: tree_row(s, "Gold watch").endswith("2/3")
                        and tree_row(s, "All").endswith("11/12"), "the counts after a mark")
        term.keys("q")
        term.wait_exit()
