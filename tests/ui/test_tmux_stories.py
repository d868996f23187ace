"""End to end in a real terminal (tmux): three copies of one report are one row with its
count and sources; x shows the copies under it; Enter opens it, lists the other copies
under the article and marks every copy read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.ui.conftest import sample_files
from tests.ui.test_stories_ui import COPIES, TITLE
from tests.ui.test_tmux_e2e import TMUX, open_reader


LIST_ROW = re.compile(r"▕.  (?:\d{4}-)?02-20 ")  # a list row: its mark, then its date


def story_lines(screen: str) -> list[str]:
    """The list's rows of the story (not the copies listed under the article)."""
    return [line for line in screen.splitlines()
            if TITLE[:12] in line and LIST_ROW.search(line)]


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_a_story_in_tmux_one_row_expanded_opened_all_read(archive_factory, tmp_path: Path):
    root = archive_factory(sample_files() | COPIES)
    with open_reader(root, tmp_path, config="group_stories = true\n") as term:
        screen = term.wait_until(lambda s: "13 stories in view" in s  # 12 articles, 1 story
                                 and len(story_lines(s)) == 1, "one row for the story")
        assert "▸" in story_lines(screen)[0] and "×3 reuters, tr" in screen  # (cut to fit)
        term.keys("x")  # the newest row, the story's, has the cursor
        screen = term.wait_until(lambda s: len(story_lines(s)) == 3, "the copies")
        assert sum("↳" in line for line in story_lines(screen)) == 2
        assert all("●" in line for line in story_lines(screen))  # none read yet
        term.keys("Enter")
        screen = term.wait_until(lambda s: "Also in this story (2)" in s
                                 and not any("●" in line for line in story_lines(s)),
                                 "the story opened and read")
        assert "1 02-20" in screen  # the first copy, one key away
        term.keys("q")
        term.wait_exit()
