"""The keys typed while the reader starts (reader/cli/start_keys.py): a q typed first
ends the start there (it took 2-3 s to reach the shell: Textual read it only once it
ran), any other key is kept, in order, for the app, and nothing is echoed."""

from __future__ import annotations

import os
import threading

import pytest

termios = pytest.importorskip("termios")
pty = pytest.importorskip("pty")

from reader.cli.start_keys import StartKeys, quit_keys  # noqa: E402

LONG = 30.0  # seconds a start would take at most: never reached when the test passes


@pytest.fixture
def terminal():
    leader, follower = pty.openpty()
    tty = open(follower, "rb", buffering=0, closefd=False)
    yield leader, follower, tty
    tty.close()
    os.close(leader)
    os.close(follower)


def test_a_q_typed_first_interrupts_the_start_even_in_a_blocking_call(terminal):
    leader, follower, tty = terminal
    before = termios.tcgetattr(follower)
    busy = threading.Event()  # the start: imports, the cache opened (here: blocked)
    with pytest.raises(KeyboardInterrupt):
        with StartKeys(quit_keys({}), tty) as keys:
            os.write(leader, b"q")  # typed before the keys are listened to: kept for it
            keys.listen()
            busy.wait(LONG)
            keys.hand_over()  # (raises too, should the interruption be swallowed)
    assert keys.quit and not busy.is_set()
    assert termios.tcgetattr(follower) == before  # the terminal as it was


def test_other_keys_are_kept_in_order_and_a_q_after_them_is_one_of_them(terminal):
    leader, follower, tty = terminal
    read = threading.Event()
    with StartKeys(quit_keys({}), tty) as keys:
        keys.listen()
        real = keys._typed

        class Seen(bytearray):  # the keys read by the thread, told to the test
            def __iadd__(self, data):
                out = bytearray.__iadd__(self, data)
                if b"q" in out:
                    read.set()
                return out

        keys._typed = Seen(real)
        os.write(leader, "/油q".encode())
        assert read.wait(LONG)
        typed = keys.hand_over()
        os.write(leader, b"j")  # after the hand-over: left for the app's own reading
        assert os.read(follower, 10) == b"j"
    assert typed == "/油q" and not keys.quit
    os.set_blocking(leader, False)
    with pytest.raises(BlockingIOError):
        os.read(leader, 10)  # nothing echoed


def test_paused_no_thread_reads_and_a_q_typed_then_quits_once_over(terminal):
    """The first look forks its workers only while the process has no other thread."""
    leader, follower, tty = terminal
    busy = threading.Event()
    with pytest.raises(KeyboardInterrupt):
        with StartKeys(quit_keys({}), tty) as keys:
            keys.listen()
            with keys.paused():
                assert threading.active_count() == 1
                os.write(leader, b"q")
            busy.wait(LONG)
            keys.hand_over()
    assert keys.quit and not busy.is_set()


def test_the_quit_keys_are_the_configs_one_character_ones():
    assert quit_keys({}) == {b"q"}
    assert quit_keys({"quit": "x, ctrl+q"}) == {b"x"}


def test_where_stdin_is_no_terminal_nothing_is_read():
    import io

    with StartKeys(quit_keys({}), io.StringIO("")) as keys:
        keys.listen()
        assert keys.hand_over() == ""
