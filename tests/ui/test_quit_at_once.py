"""A q is honoured at once (issue 11: q typed 0.3-1 s after the launch took 2-3 s to give
the shell's prompt back): it waits for no list being made, the app's end waits for no
worker when the process ends with it, that end waits for no thread, and the keys typed
before the app ran reach it first."""

from __future__ import annotations

import subprocess
import sys
import threading

from tests.ui.conftest import press, run_app_test

LONG = 30.0  # seconds: a guard, never reached when the test passes


def test_q_quits_while_the_list_is_being_made_but_types_in_the_search_box(make_app):
    async def scenario(pilot, screen):
        await press(pilot, "slash", "q")
        assert screen.query_one("#search").value == "q" and app.return_code is None
        await press(pilot, "escape")
        screen.keys_must_wait = lambda: True  # a start's list being made, for ever
        app.key_queue.wait_limit = LONG
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0  # not held until the list is made (up to 2 s)

    app = make_app()
    run_app_test(app, scenario)


def test_the_app_ending_its_process_waits_for_no_worker_that_ignores_its_stop(make_app):
    app = make_app()
    app.ends_process = True  # as `newsreader` runs it
    started, release, ended = threading.Event(), threading.Event(), threading.Event()

    def stubborn() -> None:  # a worker that never looks at the quit
        started.set()
        release.wait(LONG)

    async def auto_pilot(pilot) -> None:
        app.run_worker(stubborn, thread=True)
        while not started.is_set():
            await pilot.pause()
        await pilot.press("q")

    runner = threading.Thread(target=lambda: (app.run(headless=True, auto_pilot=auto_pilot),
                                              ended.set()))
    runner.start()
    try:
        assert ended.wait(LONG) and not release.is_set()  # the worker still blocked
    finally:
        release.set()
        runner.join()


def test_keys_typed_before_the_app_ran_reach_it_before_the_terminals():
    from reader.ui.terminal_driver import reader_driver

    order = []

    class Driver:  # a stand-in for Textual's driver of the terminal
        def process_message(self, message) -> None:
            order.append(message.key)

        def start_application_mode(self) -> None:
            order.append("reading the terminal")

    reader_driver(Driver, "/油\x1b[A\x1b")().start_application_mode()
    assert order == ["slash", "油", "up", "escape", "reading the terminal"]


def test_the_end_of_input_waits_for_no_reading_thread_where_the_process_ends():
    from reader.ui.terminal_driver import reader_driver

    release = threading.Event()

    class Driver:  # a stand-in for Linux's driver: its reading thread is slow to stop
        def __init__(self) -> None:
            self.exit_event = threading.Event()
            self._key_thread = threading.Thread(target=release.wait, args=(LONG,))
            self._key_thread.start()

        def disable_input(self) -> None:
            if not self.exit_event.is_set():
                self.exit_event.set()
                if self._key_thread is not None:
                    self._key_thread.join()
                self.exit_event.clear()

    driver = reader_driver(Driver, ends_process=True)()
    try:
        driver.disable_input()
        assert driver._key_thread.is_alive() and driver.exit_event.is_set()  # told to stop
    finally:
        release.set()
    driver.disable_input()  # the second call (stop_application_mode's) does nothing


def test_the_process_end_waits_for_no_thread_and_leaves_no_semaphore():
    script = ("import multiprocessing, threading\n"
              "from reader.cli.process_end import end_process\n"
              "queue = multiprocessing.get_context('spawn').Queue()\n"
              "threading.Thread(target=threading.Event().wait).start()\n"
              "print('saved', end='')\n"
              "end_process(3)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=LONG)
    assert (out.returncode, out.stdout) == (3, "saved")
    assert "leaked" not in out.stderr, out.stderr
