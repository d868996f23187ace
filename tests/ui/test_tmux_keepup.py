"""End to end, keeping up: the installed `newsreader` in a real terminal (tmux), its
own config file.  A search saved in the reader (`b`) becomes a node of the tree's
Searches section with its count, written to the config file, and the count follows
a mark at once; a hide rule added from the palette is previewed, then takes its
articles out of All and its count into Hidden."""

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
        term.keys("Escape")  # the search cleared: All listed
        term.wait_until(lambda s: "12 in view" in s, "All listed again")
        term.keys("C-p")
        term.keys("Add a rule: hide", literal=True)
        term.wait_for("Add a rule: hide the articles")
        term.keys("Enter")
        term.wait_for("A rule to hide the articles matching:")
        term.keys("source:wire", literal=True)  # the six even articles, none of them read
        term.keys("Enter")
        term.wait_for("Matches 6 articles now")  # the preview, before anything is saved
        assert "[[rules]]" not in config.read_text(encoding="utf-8")
        term.keys("Enter")
        screen = term.wait_until(lambda s: tree_row(s, "Hidden").endswith("6/6")
                                 and tree_row(s, "All").endswith("5/6") and "6 in view" in s,
                                 "the hidden articles out of All and its list, counted in "
                                 "Hidden")  # (the list is recomputed in a worker: a frame
        # may show the tree's new counts before it)
        assert tree_row(screen, "Gold watch").endswith("2/3")
        assert 'query = "source:wire"' in config.read_text(encoding="utf-8")
        term.keys("q")
        term.wait_exit()
