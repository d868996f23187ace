"""`newsreader watch`: files copied in are scanned and indexed, a line per batch; Ctrl-C
ends it with exit 0.  The command runs as a subprocess; the test reads its lines with a
timeout (no sleeps)."""

from __future__ import annotations

import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from conftest import article_text

REPO = Path(__file__).resolve().parents[1]
WAIT = 60  # seconds for a line, at most (the first index build starts a child process)


class Command:
    """A running `newsreader ...` whose output lines are read in a thread."""

    def __init__(self, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reader.cli.main", *args], cwd=REPO, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def line_with(self, text: str) -> str:
        """The next line that holds `text` (the lines before it are skipped)."""
        while True:
            line = self.lines.get(timeout=WAIT)
            assert line is not None, f"the command ended before printing {text!r}"
            if text in line:
                return line

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=WAIT)


def test_watch_scans_and_indexes_files_copied_in_and_ends_on_ctrl_c(tmp_path):
    archive = tmp_path / "archive"
    (archive / "news/w").mkdir(parents=True)
    (archive / "news/w/a.md").write_text(article_text("Alpha"))
    data = ["--data-dir", str(tmp_path / "data")]
    watch = Command(*data, "watch", str(archive))
    try:
        assert "1 articles, indexed 1" in watch.line_with("watching")
        source = tmp_path / "incoming"
        source.mkdir()
        for i in range(3):
            (source / f"{i}.md").write_text(article_text(f"Zebracorn {i}"))
        shutil.copytree(source, archive / "news/incoming")
        line = watch.line_with("+")
        assert "+3 ~0 -0  indexed 3 in" in line and line[:2].isdigit()
        (archive / "news/w/a.md").unlink()
        assert "+0 ~0 -1  indexed 1 in" in watch.line_with("-1")
    finally:
        code = watch.interrupt()
    assert code == 0 and watch.line_with("stopped").endswith("  stopped")
    found = subprocess.run(
        [sys.executable, "-m", "reader.cli.main", *data, "search", "zebracorn", "--archive",
         str(archive), "--no-update", "--json"], cwd=REPO, capture_output=True, text=True)
    assert found.stdout.count('"path"') == 3, found.stdout + found.stderr


def test_watch_without_the_index_keeps_the_cache_alone(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    watch = Command("--data-dir", str(tmp_path / "data"), "watch", "--no-index", str(archive))
    try:
        assert watch.line_with("watching").endswith(": 0 articles; Ctrl-C ends")
        (archive / "b.md").write_text(article_text("Beta"))
        assert watch.line_with("+1").endswith("+1 ~0 -0")
    finally:
        assert watch.interrupt() == 0
    assert list((tmp_path / "data").rglob("index")) == []


def test_watch_reports_what_changed_though_another_process_stored_it_first(tmp_path):
    """A reader on the same data dir scans the change first (it stores the records, or
    forgets them, before this command's batch comes): the lines still say +3 and -3."""
    from reader.archive import Archive
    from reader.config import Settings

    archive = tmp_path / "archive"
    (archive / "news").mkdir(parents=True)
    watch = Command("--data-dir", str(tmp_path / "data"), "watch", "--no-index", str(archive))
    reader = Archive.open(archive, Settings(data_root=tmp_path / "data",
                                            config_path=tmp_path / "none.toml"))
    try:
        assert watch.line_with("watching").endswith(": 0 articles; Ctrl-C ends")
        (archive / "news/in").mkdir()
        for i in range(3):
            (archive / f"news/in/{i}.md").write_text(article_text(f"Wombat {i}"))
        reader.scan_paths(["news/in"])
        assert watch.line_with("+").endswith("+3 ~0 -0")
        shutil.rmtree(archive / "news/in")
        reader.scan_paths(["news/in"])
        assert watch.line_with("-").endswith("+0 ~0 -3")
    finally:
        reader.close()
        assert watch.interrupt() == 0
