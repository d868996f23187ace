"""How long q takes to give the shell's prompt back, pressed at each stage of a start.

    python benchmarks/bench_quit.py --archive /tmp/A --data /tmp/D [--runs 5]
        [--stages 0.3,1,Loading,Scanning,burst] [--fresh] [--code /work/main | --newsreader PATH]

The reader (this checkout's by default, `--code DIR` another's on PYTHONPATH, or an
installed `--newsreader`) is opened on ARCHIVE in a private tmux server (120x40) with the
data dir DATA, and `q` is sent at a stage of its start:

- a number: that many seconds after the launch (0.3: Python is still importing; 1: the
  app is composing, or just up);
- a word: once the screen shows it (`Loading`: a warm start reading the cache;
  `Scanning`: the start's scan, a first scan's `Scanning N/M`);
- `burst`: once the start is over (the list shown, no Loading or Scanning), during a
  burst of `--burst-files` files copied into ARCHIVE/bench-quit/ (q once half of them
  are written, or with `--burst-at reading` once the status says the reader is reading
  them).  ARCHIVE must then be a copy you may write to; the files are removed
  after each run (the next start's scan takes them out again).

The time is from `q` sent to the shell's marker after the process ended (polled every
20 ms).  `--fresh`: each run has a new empty data dir (a first open: nothing cached,
nothing indexed; DATA is then only a parent folder).  Prints, per stage, each run's
q->prompt seconds, the median, the reader's CPU (user+sys of the process and its
children, bash's `time`) and the load average at the q.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = "READER-ENDED"
CPU_MARK = "READER-CPU"
POLL = 0.02
TIMEOUT = 60.0  # seconds a stage or a quit is waited for at most


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


class Session:
    """One reader in its own tmux server."""

    count = 0

    def __init__(self, command: str) -> None:
        Session.count += 1  # a server of its own: a new one on the last's socket could
        # meet it still exiting
        self.tmux = ["tmux", "-L", f"bench-quit-{os.getpid()}-{Session.count}", "-f",
                     "/dev/null"]
        script = (f"TIMEFORMAT='{CPU_MARK} %U %S'; time {command}; echo {MARKER}; "
                  "sleep 600")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run([*self.tmux, "new-session", "-d", "-s", "q", "-x", "120", "-y",
                        "40", "-c", "/",  # (python -m puts the folder first on its path)
                        f"bash -c {shlex.quote(script)}"], check=True, env=env)
        self.launched = time.perf_counter()

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", "q"],
                              capture_output=True, text=True).stdout

    def wait_for(self, test, timeout: float = TIMEOUT) -> str | None:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            screen = self.screen()
            if test(screen):
                return screen
            time.sleep(POLL)
        return None

    def quit(self) -> tuple[float | None, float | None]:
        """q sent now: (seconds to the marker, the reader's CPU seconds)."""
        subprocess.run([*self.tmux, "send-keys", "-t", "q", "q"], check=True)
        pressed = time.perf_counter()
        screen = self.wait_for(lambda s: MARKER in s)
        if screen is None:
            return None, None
        took = time.perf_counter() - pressed
        cpu = next((sum(map(float, line.split()[1:3])) for line in screen.splitlines()
                    if line.startswith(CPU_MARK)), None)
        return took, cpu

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], check=False, stderr=subprocess.DEVNULL)


def started(screen: str) -> bool:
    """The start is over: rows listed, nothing loading or scanning."""
    return "in view" in screen and "Loading" not in screen and "Scanning" not in screen


def burst_files(archive: Path, count: int) -> list[bytes]:
    sources = []
    for path in archive.rglob("*.md"):
        sources.append(path.read_bytes())
        if len(sources) == count:
            break
    return sources


def copy_burst(folder: Path, sources: list[bytes], half: threading.Event) -> None:
    folder.mkdir(parents=True)
    for i, data in enumerate(sources):
        (folder / f"q{i:04}.md").write_bytes(data)
        if i + 1 == len(sources) // 2:
            half.set()


def one_run(args, stage: str, number: int, sources: list[bytes]) -> tuple:
    data = args.data
    if args.fresh:
        data = Path(tempfile.mkdtemp(prefix=f"run{number}-", dir=args.data))
    (data / "none.toml").touch()
    reader = (shlex.quote(str(args.newsreader)) if args.newsreader else
              f"env PYTHONPATH={shlex.quote(str(args.code))} {shlex.quote(sys.executable)} "
              "-m reader.cli.main")
    session = Session(f"{reader} --data-dir {shlex.quote(str(data))} --config "
                      f"{shlex.quote(str(data / 'none.toml'))} {shlex.quote(str(args.archive))}")
    folder = args.archive / "bench-quit" / f"r{os.getpid()}-{number}"
    copier = None
    try:
        seen = ""
        if stage == "burst":
            if session.wait_for(started) is None:
                return None, None, load(), "never started"
            half = threading.Event()
            copier = threading.Thread(target=copy_burst, args=(folder, sources, half))
            copier.start()
            half.wait()
            seen = f"{len(sources) // 2} of {len(sources)} files written"
            if args.burst_at == "reading":  # the reader taking a batch of them
                copier.join()
                shown = session.wait_for(lambda s: "reading" in s and "changed files" in s,
                                         timeout=3.0)
                seen = "'reading N changed files'" if shown else "3 s after the burst"
        elif stage[0].isdigit():
            time.sleep(max(0.0, float(stage) - (time.perf_counter() - session.launched)))
            seen = f"{time.perf_counter() - session.launched:.2f} s"
        else:
            screen = session.wait_for(lambda s: stage in s)
            if screen is None:
                return None, None, load(), f"{stage!r} never shown"
            seen = f"at {time.perf_counter() - session.launched:.2f} s"
        at_load = load()
        took, cpu = session.quit()
        return took, cpu, at_load, seen
    finally:
        session.close()
        if copier is not None:
            copier.join()
            shutil.rmtree(folder, ignore_errors=True)
            if not any((args.archive / "bench-quit").iterdir()):
                (args.archive / "bench-quit").rmdir()
        if args.fresh:
            shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stages", default="0.3,1,Loading,Scanning,burst")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--code", type=Path, default=ROOT)
    parser.add_argument("--newsreader", type=Path)
    parser.add_argument("--burst-files", type=int, default=600)
    parser.add_argument("--burst-at", choices=("half", "reading"), default="half",
                        help="q once half the burst is written, or once the reader "
                             "says it is reading it (else 3 s after its last file)")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    stages = args.stages.split(",")
    sources = burst_files(args.archive, args.burst_files) if "burst" in stages else []
    print(f"reader: {args.newsreader or args.code}; archive {args.archive}; "
          f"{'fresh data dirs in' if args.fresh else 'data'} {args.data}; load {load()}",
          flush=True)
    for stage in stages:
        times, cpus, loads = [], [], []
        for number in range(args.runs):
            took, cpu, at_load, seen = one_run(args, stage, number, sources)
            times.append(took if took is not None else float("inf"))
            cpus.append(cpu or 0.0)
            loads.append(float(at_load))
            shown = f"{took:.2f} s" if took is not None else "no prompt"
            print(f"  {stage:>9} run {number + 1}: q->prompt {shown}, reader CPU "
                  f"{cpu or 0:.2f} s, load {at_load} (q {seen})", flush=True)
        print(f"{stage:>9}: q->prompt median {statistics.median(times):.2f} s, max "
              f"{max(times):.2f} s; reader CPU median {statistics.median(cpus):.2f} s; "
              f"load {min(loads):.1f}-{max(loads):.1f}", flush=True)


if __name__ == "__main__":
    main()
