"""Named pipes, sockets, devices and symlinks in an archive (issue 10, items 4 and 5).

A pipe is never opened (opening one for reading waits for a writer, forever), and a
symlink is followed only where it stays inside the archive unless the config says
otherwise; each one skipped is named by doctor.  Every wait here is bounded: a call
still blocked on a pipe after its limit is released (the pipe opened for writing)
and the test fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import article_text

from reader.archive import Archive
from reader.archive.parse import UnreadableFile, parse_file
from reader.config import ConfigError, load_settings
from reader.index.results import read_text

REPO = Path(__file__).resolve().parents[1]
GOOD = {"x/good.md": article_text("good")}
LIMIT = 20  # seconds: far above what any of these takes, far below forever

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def bounded(call, pipes: list[Path]):
    """call()'s value; a call still blocked after LIMIT seconds fails the test (after
    opening each pipe for writing, which releases a reader blocked on opening it)."""
    out: dict = {}

    def run() -> None:
        try:
            out["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - raised again below
            out["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(LIMIT)
    if thread.is_alive():
        for pipe in pipes:
            try:
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        thread.join(LIMIT)
        pytest.fail(f"still blocked after {LIMIT} s: a named pipe was opened")
    if "error" in out:
        raise out["error"]
    return out["value"]


def scan(root: Path, settings, pipes: list[Path] = ()):
    result = bounded(Archive.open(root, settings).scan, list(pipes))
    problems = {p.path: p.reason for p in result.problems}
    return {a.path for a in result.articles}, problems


@needs_fifo
def test_a_named_pipe_is_named_by_doctor_and_never_opened(archive_factory, settings):
    root = archive_factory(GOOD)
    os.mkfifo(root / "x" / "fifo.md")
    paths, problems = scan(root, settings, [root / "x" / "fifo.md"])
    assert paths == {"x/good.md"}
    assert problems["x/fifo.md"] == "is a named pipe, not a regular file: not read"


@needs_fifo
@pytest.mark.parametrize("command", ["scan", "doctor", "index"])
def test_the_commands_end_beside_a_named_pipe(archive_factory, tmp_path, command):
    root = archive_factory(GOOD)
    os.mkfifo(root / "x" / "fifo.md")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "reader.cli.main", "--data-dir", str(tmp_path / "data"),
             command, str(root)], cwd=REPO, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"newsreader {command} hung on a named pipe")
    assert done.returncode == (1 if command == "doctor" else 0), done.stderr
    if command == "doctor":
        assert "x/fifo.md: is a named pipe" in done.stdout


@needs_fifo
def test_a_file_replaced_by_a_pipe_after_the_scan_opens_with_a_reason(archive_factory,
                                                                       settings):
    root = archive_factory(GOOD)
    archive = Archive.open(root, settings)
    archive.scan()
    (root / "x" / "good.md").unlink()
    os.mkfifo(root / "x" / "good.md")
    parsed = bounded(lambda: archive.read("x/good.md"), [root / "x" / "good.md"])
    assert parsed.article.title == "good" and "named pipe" in parsed.article.problem


@needs_fifo
def test_a_pipe_that_takes_a_files_place_between_the_check_and_the_open_is_refused(
        archive_factory, monkeypatch, tmp_path):
    """stat saw a regular file; the name is a pipe by the time it is opened."""
    root = archive_factory(GOOD)
    os.mkfifo(root / "fifo.md")
    real_stat, regular = os.stat, root / "x" / "good.md"
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: real_stat(
        regular if str(path).endswith("fifo.md") else path, *a, **k))
    with pytest.raises(UnreadableFile, match="named pipe"):
        bounded(lambda: parse_file(root, "fifo.md", load_settings(env={}).tzinfo),
                [root / "fifo.md"])


@needs_fifo
def test_the_index_writer_skips_a_file_that_became_a_pipe_after_the_scan(archive_factory,
                                                                          settings):
    from reader.index import update_index

    root = archive_factory({**GOOD, "x/other.md": article_text("other")})
    archive = Archive.open(root, settings)
    articles = archive.scan().articles
    (root / "x" / "good.md").unlink()
    os.mkfifo(root / "x" / "good.md")
    summary = bounded(lambda: update_index(archive, articles=articles), [root / "x" / "good.md"])
    assert (summary.added, summary.failed, summary.error) == (1, 1, "")


@needs_fifo
def test_the_search_text_check_reads_no_pipe(archive_factory):
    root = archive_factory(GOOD)
    os.mkfifo(root / "x" / "fifo.md")
    assert bounded(lambda: read_text(root, {"path": "x/fifo.md"}), [root / "x" / "fifo.md"]) == ""


def test_a_socket_is_named_by_doctor(archive_factory, settings, tmp_path):
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no unix sockets here")
    root = archive_factory(GOOD)
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(root / "s.md"))
    except OSError:
        pytest.skip("the path is too long for a unix socket")
    with server:
        paths, problems = scan(root, settings)
    assert paths == {"x/good.md"} and "a socket" in problems["s.md"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_followed_by_a_symlink_is_named_not_read(archive_factory, settings):
    root = archive_factory(GOOD)
    (root / "zero.md").symlink_to("/dev/zero")
    paths, problems = scan(root, replace(settings, follow_symlinks="all"))
    assert paths == {"x/good.md"}
    assert problems["zero.md"] == "is a character device, not a regular file: not read"


def outside_file(tmp_path: Path, name: str = "outside") -> Path:
    secret = tmp_path / name / "secret.md"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(article_text("a system file"), encoding="utf-8")
    return secret


def test_a_symlink_to_a_file_outside_the_archive_is_not_an_article(archive_factory, settings,
                                                                   tmp_path):
    root = archive_factory(GOOD)
    secret = outside_file(tmp_path)
    (root / "x" / "passwd.md").symlink_to(secret)
    paths, problems = scan(root, settings)
    assert paths == {"x/good.md"}
    assert problems["x/passwd.md"] == (
        f"a symlink to {secret}, outside the archive: not followed "
        '(follow_symlinks = "all" would follow it)')


def test_a_symlinked_folder_outside_the_archive_is_not_followed(archive_factory, settings,
                                                                tmp_path):
    root = archive_factory(GOOD)
    secret = outside_file(tmp_path)
    (root / "share").symlink_to(secret.parent)
    paths, problems = scan(root, settings)
    assert paths == {"x/good.md"} and "outside the archive" in problems["share"]


def test_a_sibling_folder_whose_name_starts_like_the_archive_is_outside(archive_factory,
                                                                        settings, tmp_path):
    root = archive_factory(GOOD)
    secret = outside_file(tmp_path, name=root.name + "-other")
    (root / "near.md").symlink_to(secret)
    paths, problems = scan(root, settings)
    assert paths == {"x/good.md"} and "outside the archive" in problems["near.md"]


def test_symlinks_that_stay_inside_the_archive_are_followed(archive_factory, settings):
    root = archive_factory({**GOOD, "real/a.md": article_text("a")})
    (root / "x" / "alias.md").symlink_to("../real/a.md")
    (root / "linked").symlink_to(root / "real")
    paths, problems = scan(root, settings)
    assert {"x/alias.md", "real/a.md"} <= paths
    assert "outside" not in " ".join(problems.values())


def test_follow_symlinks_all_follows_every_one(archive_factory, settings, tmp_path):
    root = archive_factory(GOOD)
    (root / "x" / "passwd.md").symlink_to(outside_file(tmp_path))
    paths, _ = scan(root, replace(settings, follow_symlinks="all"))
    assert paths == {"x/good.md", "x/passwd.md"}


def test_follow_symlinks_none_follows_none(archive_factory, settings):
    root = archive_factory({**GOOD, "real/a.md": article_text("a")})
    (root / "x" / "alias.md").symlink_to("../real/a.md")
    paths, problems = scan(root, replace(settings, follow_symlinks="none"))
    assert paths == {"x/good.md", "real/a.md"}
    assert problems["x/alias.md"] == 'a symlink: not followed (follow_symlinks = "none")'


def test_a_symlink_loop_through_the_outside_ends(archive_factory, settings, tmp_path):
    root = archive_factory(GOOD)
    (tmp_path / "out").symlink_to(root / "x")
    (root / "x" / "back").symlink_to(tmp_path / "out")
    paths, problems = scan(root, replace(settings, follow_symlinks="all"))
    assert paths == {"x/good.md"} and "symlink loop" in problems["x/back"]


def test_a_file_made_a_symlink_to_the_outside_after_the_scan_is_not_opened(
        archive_factory, settings, tmp_path):
    root = archive_factory(GOOD)
    archive = Archive.open(root, settings)
    archive.scan()
    (root / "x" / "good.md").unlink()
    (root / "x" / "good.md").symlink_to(outside_file(tmp_path))
    parsed = archive.read("x/good.md")
    assert parsed.body == "" and "outside the archive" in parsed.article.problem


@pytest.mark.parametrize("value, ok", [('"inside"', True), ('"all"', True), ('"none"', True),
                                       ('"sometimes"', False), ("5", False), ("true", False)])
def test_the_follow_symlinks_option_is_checked(tmp_path, value, ok):
    config = tmp_path / "config.toml"
    config.write_text(f"follow_symlinks = {value}\n", encoding="utf-8")
    if ok:
        assert load_settings(config_path=config, env={}).follow_symlinks == value.strip('"')
    else:
        with pytest.raises(ConfigError, match='follow_symlinks must be "inside", "all"'):
            load_settings(config_path=config, env={})


def test_symlinks_are_followed_inside_the_archive_by_default(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('theme = "textual-dark"\n', encoding="utf-8")
    assert load_settings(config_path=config, env={}).follow_symlinks == "inside"
