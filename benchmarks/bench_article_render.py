"""Benchmark of the article pane on hostile and long articles (issue 10.1).

    python benchmarks/bench_article_render.py [CASE ...] [--file PATH ...]

Each case runs in a fresh process: a headless reader over a normal article and the
case's article, the normal one shown first; `j` opens the case.  Prints per case the
time until it is rendered, the event loop's worst and p95 lag meanwhile (a 10 ms
heartbeat), the widgets built, and the process's peak RSS (VmHWM) before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CASES = {
    "wide-table": lambda: "|" + "c|" * 300_000 + "\n|" + "-|" * 300_000 + "\n|" + "x|" * 300_000,
    "pipes": lambda: "|" * 500_000 + "\n" + "|-" * 250_000 + "|\n",
    "long-table": lambda: "| a | b | c |\n|---|---|---|\n" + "| 1 | 2 | 3 |\n" * 100_000,
    "paragraphs": lambda: "a\n\n" * 600_000,
    "list": lambda: "- a\n" * 400_000,
    "quotes": lambda: "> " * 100_000 + "deep\n",
    "heading": lambda: "# " + "h" * 1_900_000 + "\n",
}


def peak_mb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) // 1024


async def measure(body: str) -> str:
    from reader.archive import Archive
    from reader.config import Settings
    from reader.ui.app import NewsReaderApp
    from reader.session.services import Services

    tmp = Path(tempfile.mkdtemp())
    root = tmp / "archive" / "en"
    root.mkdir(parents=True)
    head = '---\ntitle: "{}"\ndate: "2025-02-0{} 10:00:00"\n---\n\n'
    (root / "normal.md").write_text(head.format("Normal", 2) + "Text.\n\n| a | b |\n|-|-|\n| 1 | 2 |\n")
    (root / "case.md").write_text(head.format("Case", 1) + body)
    settings = Settings(data_root=tmp / "data", config_path=tmp / "config.toml")
    archive = Archive.open(root.parent, settings)
    app = NewsReaderApp(archive, settings, services=Services(archive, settings, open_link=bool))
    async with app.run_test(size=(120, 36)) as pilot:
        app.screen.preview_delay = 0
        for _ in range(50):
            await app.workers.wait_for_complete()
            await pilot.pause()
        before = peak_mb()
        lags: list[float] = []

        async def heartbeat() -> None:
            while True:
                started = time.perf_counter()
                await asyncio.sleep(0.01)
                lags.append(time.perf_counter() - started - 0.01)

        beat = asyncio.create_task(heartbeat())
        started = time.perf_counter()
        await pilot.press("j")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        elapsed = time.perf_counter() - started
        beat.cancel()
        lags.sort()
        widgets = len(app.screen.article_pane.query("*"))
    return (f"{elapsed:6.2f} s  lag max {lags[-1]:.2f} s p95 {lags[int(len(lags) * .95)]:.2f} s  "
            f"{widgets:5} widgets  peak RSS {before} -> {peak_mb()} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*",
                        help=f"of {', '.join(CASES)} (default: all, unless --file)")
    parser.add_argument("--file", action="append", default=[], help="an article file to open")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        body = CASES[args.child]() if args.child in CASES else \
            Path(args.child).read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        print(asyncio.run(measure(body)))
        return
    for case in (args.cases or ([] if args.file else list(CASES))) + args.file:
        result = subprocess.run([sys.executable, __file__, "--child", case],
                                capture_output=True, text=True, timeout=600)
        print(f"{Path(case).name[:40]:40} {result.stdout.strip() or result.stderr[-300:]}")


if __name__ == "__main__":
    main()
