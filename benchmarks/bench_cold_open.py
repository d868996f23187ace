"""Benchmark of a cold first open (empty data dir) of a big archive (issue 11: usable in 3 s).

    python benchmarks/bench_cold_open.py --archive /tmp/grow100k --data /tmp/bench-cold \
        [--reference /tmp/bench-integ [--quick]] [--tmux /work/venv-cold/bin/newsreader]

Prints, from the app's construction (headless Textual, 120x40; the first look started
just before, as the CLI starts it before it imports Textual): the time to the first rows,
to the archive's true newest 20 listed (the newest 20 of the completed scan's catalog, or
of --reference's with --quick), and to the scan complete; where the time went (the first
look done, then the scan's walk, newest-first order, first batch stored); with --reference
(a data dir with a complete scan of the same archive), whether the cold scan's catalog
equals it.  --quick stops once the true newest 20 are listed (no catalog check).  With
--tmux (an installed `newsreader`), the whole process in a real terminal: launch to the
first rows and to the newest title on the screen.  The archive is only read.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import reader.archive.first_look as look_module  # noqa: E402
import reader.archive.scan as scan_module  # noqa: E402
from reader.archive import Archive  # noqa: E402
from reader.config import Settings  # noqa: E402

# Textual is imported in `headless` only: the worker processes (spawned: they import this
# module) then start as the CLI's do, without it.

POLL = 0.05
ROW_DATE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")  # a row of the list, in tmux
TOP = 20


def settings_for(data: Path) -> Settings:
    return Settings(data_root=data, config_path=data / "none.toml")


class Phases:
    """When the scan's parts ended, from `t0` (set when the app is built)."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.marks: dict[str, float] = {}
        real_walk, real_order, real_store = (scan_module.walk, scan_module.newest_first,
                                             scan_module._store)

        def walk(*args, **kwargs):
            self.mark("scan started")
            yield from real_walk(*args, **kwargs)
            self.mark("walk done")

        def order(*args):
            out = real_order(*args)
            self.mark("newest-first order done")
            return out

        def store(*args):
            real_store(*args)
            self.mark("first batch stored")

        scan_module.walk, scan_module.newest_first, scan_module._store = walk, order, store
        real_result = look_module.FirstLook.result

        def result(look, *args):
            out = real_result(look, *args)
            self.mark("first look done")
            return out

        look_module.FirstLook.result = result

    def mark(self, what: str) -> None:
        self.marks.setdefault(what, time.perf_counter() - self.t0)


async def headless(root: Path, data: Path, truth: tuple[str, ...] | None = None) -> dict:
    """The cold open; with `truth` (the newest 20 paths), it stops once they are listed."""
    from reader.ui.app import NewsReaderApp

    shutil.rmtree(data, ignore_errors=True)
    phases = Phases()
    settings = settings_for(data)
    archive = Archive.open(root, settings)
    archive.look_ahead()  # as the CLI, before the app
    app = NewsReaderApp(archive, settings)
    seen: list[tuple[float, tuple[str, ...]]] = []  # (time, the first 20 rows) when they change
    out: dict = {"imports": phases.t0 - STARTED}
    async with app.run_test(size=(120, 40)) as pilot:
        while time.perf_counter() - phases.t0 < 600:
            await pilot.pause(POLL)
            now = time.perf_counter() - phases.t0
            rows = getattr(app.screen.article_list, "rows", None) or []
            top = tuple(a.path for a in rows[:TOP])
            if top and (not seen or seen[-1][1] != top):
                seen.append((now, top))
            if truth is not None and top == truth:
                break
            if seen and "Scanned" in app.screen.status.parts.get("scan", ""):
                out["scan complete"] = now
                break
    final = Archive.open(root, settings)
    truth = truth or tuple(a.path for a in final.cached_newest(TOP))
    out["first rows"] = seen[0][0] if seen else None
    out[f"true newest {TOP} listed"] = next((t for t, top in seen if top == truth), None)
    out["phases"] = phases.marks
    out["catalog"] = final.cached()
    out["newest"] = listed_date(final.cached_newest(1))
    final.close()
    return out


def listed_date(articles: list) -> str:
    return articles[0].date.strftime("%Y-%m-%d %H:%M") if articles else "(no articles)"


def reference_newest(root: Path, reference: Path) -> tuple[str, ...]:
    warm = Archive.open(root, settings_for(reference))
    try:
        return tuple(a.path for a in warm.cached_newest(TOP))
    finally:
        warm.close()


def same_catalog(cold: list, reference: Path, root: Path) -> bool:
    warm = Archive.open(root, settings_for(reference))
    try:
        return sorted(warm.cached(), key=lambda a: a.path) == sorted(cold, key=lambda a: a.path)
    finally:
        warm.close()


def in_tmux(newsreader: str, root: Path, data: Path, newest: str) -> dict:
    """The installed reader in a private tmux server: launch to the first rows (a row's
    date on the screen) and to the newest article's row (`newest`: its date as the list
    shows it, to the minute)."""
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    (data / "none.toml").write_text("", encoding="utf-8")  # no user settings
    socket = f"bench-cold-{time.monotonic_ns() % 10**8}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    marks: dict[str, float] = {}
    t0 = time.perf_counter()
    subprocess.run([*tmux, "new-session", "-d", "-s", "cold", "-x", "120", "-y", "40",
                    f"{newsreader} --data-dir {data} --config {data}/none.toml {root}"], check=True)
    try:
        while time.perf_counter() - t0 < 120 and "newest listed" not in marks:
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", "cold"], capture_output=True,
                                    text=True).stdout
            now = time.perf_counter() - t0
            if ROW_DATE.search(screen):
                marks.setdefault("first rows", now)
            if newest in screen:
                marks["newest listed"] = now
            time.sleep(POLL)
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True, help="scratch (wiped)")
    parser.add_argument("--reference", type=Path, help="data dir of a complete scan")
    parser.add_argument("--tmux", help="an installed newsreader to time in tmux")
    parser.add_argument("--only-tmux", action="store_true",
                        help="skip the headless run (the titles come from --reference)")
    parser.add_argument("--quick", action="store_true",
                        help="stop once --reference's newest 20 are listed")
    args = parser.parse_args()
    if args.quick and not args.reference:
        parser.error("--quick needs --reference (the true newest come from it)")
    if args.only_tmux:
        warm = Archive.open(args.archive, settings_for(args.reference))
        newest = listed_date(warm.cached_newest(1))
        warm.close()
        return print_tmux(in_tmux(args.tmux, args.archive, args.data / "tmux", newest))
    truth = reference_newest(args.archive, args.reference) if args.quick else None
    result = asyncio.run(headless(args.archive, args.data / "headless", truth))
    print(f"imports                 {result['imports']:6.2f} s (before the app is built)")
    for name, value in result["phases"].items():
        print(f"{name:<24}{value:6.2f} s")
    for name in ("first rows", f"true newest {TOP} listed", "scan complete"):
        value = result.get(name)
        print(f"{name:<24}" + (f"{value:6.2f} s" if value is not None else "  never"))
    print(f"articles                {len(result['catalog']):,}")
    if args.reference and not args.quick:
        print(f"catalog equals the reference scan's: "
              f"{same_catalog(result['catalog'], args.reference, args.archive)}")
    if args.tmux:
        print_tmux(in_tmux(args.tmux, args.archive, args.data / "tmux", result["newest"]))


def print_tmux(marks: dict[str, float]) -> None:
    for name in ("first rows", "newest listed"):
        value = marks.get(name)
        print(f"tmux: {name:<18}" + (f"{value:6.2f} s" if value is not None else "  never"))


if __name__ == "__main__":
    main()
