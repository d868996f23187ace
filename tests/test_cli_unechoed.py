"""A key typed while the reader starts is not echoed (reader/cli/unechoed.py): the
terminal echoes nothing from the CLI's start, the key stays to be read, and the
terminal's settings come back as they were."""

from __future__ import annotations

import io
import os

import pytest

termios = pytest.importorskip("termios")
pty = pytest.importorskip("pty")

from reader.cli.unechoed import unechoed  # noqa: E402


def test_the_terminal_echoes_nothing_meanwhile_and_is_put_back_after():
    leader, follower = pty.openpty()
    try:
        before = termios.tcgetattr(follower)
        assert before[3] & termios.ECHO
        with open(follower, "rb", buffering=0, closefd=False) as tty, unechoed(tty):
            assert not termios.tcgetattr(follower)[3] & termios.ECHO
            os.write(leader, b"q\n")  # typed before the reader takes the terminal
            assert os.read(follower, 10) == b"q\n"  # there to be read
        assert termios.tcgetattr(follower) == before
        os.set_blocking(leader, False)
        with pytest.raises(BlockingIOError):
            os.read(leader, 10)  # and never echoed
    finally:
        os.close(leader)
        os.close(follower)


def test_where_stdin_is_no_terminal_nothing_is_done():
    with unechoed(io.StringIO("")):
        pass
