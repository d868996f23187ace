"""End to end, live: the installed `newsreader` open in a real terminal (tmux) on an
archive that changes under it.  Files copied in, edited and deleted show on the screen
by themselves, without a key (new rows arrive above the viewport, which stays put: the
status counts them, `N` goes to them); the new articles are found by a search once
indexed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.ui.conftest import article, sample_files
from tests.ui.test_tmux_e2e import TMUX, box_text, open_reader


def in_list(screen: str, title: str) -> bool:
    return any(title in line for line in screen.splitlines()[1:])


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_the_screen_follows_the_folder_without_a_key(archive_factory, tmp_path: Path):
    root = archive_factory(sample_files())
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    for i in range(3):  # newer than any: the top of the list
        (incoming / f"arrived{i}.en.md").write_text(article(
            f"Arrived while open {i}", f"2025-03-0{1 + i} 10:00:00",
            f"Text about quokkas {i}."), encoding="utf-8")
    with open_reader(root, tmp_path) as term:
        term.wait_for("Index up to date")
        shutil.copytree(incoming, root / "en/news/incoming")  # as `cp -r` does
        # the rows come above the viewport, which stays as it was; the status says so
        screen = term.wait_until(lambda s: "3 arrived" in s and "15 in view" in s
                                 and "All                   15/15" in s, "the copied files")
        assert not in_list(screen, "Arrived while open") and in_list(screen, "report 09")
        term.keys("N")  # to the newest
        screen = term.wait_until(lambda s: all(in_list(s, f"Arrived while open {i}")
                                               for i in range(3)), "the newest rows")
        edited = root / "en/news/daily/009.en.md"  # "… report 09" on screen
        text = edited.read_text(encoding="utf-8")
        title = text.split('title: "', 1)[1].split('"', 1)[0]
        assert in_list(screen, title)
        edited.write_text(text.replace(title, "Retitled on disk"), encoding="utf-8")
        term.wait_until(lambda s: in_list(s, "Retitled on disk") and not in_list(s, title),
                        "the edited title")
        (root / "en/news/incoming/arrived1.en.md").unlink()
        term.wait_until(lambda s: not in_list(s, "Arrived while open 1")
                        and in_list(s, "Arrived while open 2"), "the deleted file gone")
        term.keys("/")
        term.wait_for("▏^p palette", absent="? Help")
        term.keys("quokkas", literal=True)
        screen = term.wait_until(lambda s: box_text(s) == "quokkas" and "2 hits" in s,
                                 "the new articles found by the index")
        assert in_list(screen, "Arrived while open 0") and in_list(screen, "Arrived while open 2")
        term.keys("Escape")
        term.wait_for("? Help")  # the search cleared, the list has the focus
        term.keys("q")
        term.wait_exit()
