"""Bursts of new files at 100k, from the last file written to all of them searchable,
through the real `newsreader watch` (a subprocess: watcher, scan_paths, index writer).

    python benchmarks/bench_burst_search.py          # /tmp/grow100k and its complete index
    python benchmarks/bench_burst_search.py --archive DIR --data ARCHIVE_DATA_DIR --bursts 5

The archive (cp -a) and its data dir (cache, ledger, complete index) are copied to a
private folder first, never touched in place; the copy's data dir gets the name the
copy's root is given (reader.archive.location.data_dir_name).  Each burst writes
`--files` copies of existing articles, with a token of its own in the title and the
body, in a few source folders; the index is then polled in-process (SearchIndex,
refreshed) until all of them are found.  Printed per burst: last file written -> the
watch line that completes it -> all searchable; p50/p95 over the bursts; files parsed
again by the index writer (must be 0: it takes the scan's parsed articles); the load;
then one edited title: written -> searchable.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reader.archive.location import data_dir_name  # noqa: E402
from reader.index import SearchIndex  # noqa: E402

ARCHIVE = Path("/tmp/grow100k")
DATA = Path("/tmp/bench-integ/archives/grow100k-626ee6295482")
LINE = re.compile(r"\+([\d,]+) ~([\d,]+) -([\d,]+).*?(?:, ([\d,]+) parsed again)?$")
TIMEOUT = 120.0


def copy_archive(archive: Path, data: Path, work: Path) -> tuple[Path, Path, Path]:
    """(root, data root, archive data dir) of a private copy."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    root, data_root = work / archive.name, work / "data"
    subprocess.run(["cp", "-a", str(archive), str(root)], check=True)
    target = data_root / "archives" / data_dir_name(root)
    target.parent.mkdir(parents=True)
    subprocess.run(["cp", "-a", str(data), str(target)], check=True)
    (target / "archive.json").write_text(json.dumps({"root": str(root)}), encoding="utf-8")
    return root, data_root, target


class Watch:
    """`newsreader watch` in a subprocess; its lines with the time each came."""

    def __init__(self, root: Path, data_root: Path):
        env = dict(os.environ, PYTHONPATH=str(REPO))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reader.cli.main", "watch", str(root),
             "--data-dir", str(data_root)], cwd=REPO, env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: list[tuple[float, str]] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            with self.changed:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self.changed.notify_all()

    def wait_for(self, text: str, timeout: float = 600.0) -> float:
        deadline = time.perf_counter() + timeout
        with self.changed:
            while not any(text in line for _, line in self.lines):
                if self.process.poll() is not None or not self.changed.wait(
                        max(0.0, deadline - time.perf_counter())):
                    raise SystemExit("watch ended or timed out:\n" + self.dump())
        return next(t for t, line in self.lines if text in line)

    def batches_since(self, start: int) -> list[tuple[float, int, int]]:
        """(time, added + changed, parsed again) of each batch line after line `start`."""
        found = []
        for at, line in self.lines[start:]:
            match = LINE.search(line)
            if match:
                count = int(match[1].replace(",", "")) + int(match[2].replace(",", ""))
                found.append((at, count, int((match[4] or "0").replace(",", ""))))
        return found

    def dump(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def pick_sources(root: Path, files: int, folders: int, seed: int = 1) -> list[Path]:
    """`files` articles from the `folders` biggest source folders."""
    sources = sorted((p for p in (root / "content").glob("*/*/*") if p.is_dir()),
                     key=lambda p: -sum(1 for _ in p.iterdir()))[:folders]
    pool = sorted(f for folder in sources for f in folder.glob("*.md"))
    return random.Random(seed).sample(pool, files)


def tokened(text: str, token: str) -> str:
    """The article with `token` in its title and at the end of its body."""
    return text.replace('title: "', f'title: "{token} ', 1) + f"\n\n{token}\n"


def write_burst(sources: list[Path], number: int, token: str) -> float:
    for i, source in enumerate(sources):
        target = source.with_name(f"b{number}x{i:04d}-{source.name}")
        target.write_text(tokened(source.read_text(encoding="utf-8"), token), encoding="utf-8")
    return time.perf_counter()


def wait_searchable(index: SearchIndex, token: str, expected: int) -> float:
    deadline = time.perf_counter() + TIMEOUT
    while time.perf_counter() < deadline:
        index.refresh()
        if len(index.search(token, limit=0, paths_only=True)) >= expected:
            return time.perf_counter()
        time.sleep(0.05)
    raise SystemExit(f"{token}: not all {expected} searchable after {TIMEOUT:.0f} s")


def burst(watch: Watch, index: SearchIndex, sources: list[Path], number: int) -> dict:
    token = f"burst{'abcdefghij'[number % 10]}tokq"
    start = len(watch.lines)
    load = os.getloadavg()[0]
    last = write_burst(sources, number, token)
    found = wait_searchable(index, token, len(sources))
    deadline = time.perf_counter() + 30
    while sum(b[1] for b in watch.batches_since(start)) < len(sources):
        if time.perf_counter() > deadline:
            raise SystemExit("the watch lines never added up:\n" + watch.dump())
        time.sleep(0.05)
    batches = watch.batches_since(start)
    total, line_at = 0, batches[-1][0]
    for at, count, _ in batches:
        total += count
        if total >= len(sources):
            line_at = at
            break
    return {"line": line_at - last, "searchable": found - last, "batches": len(batches),
            "again": sum(b[2] for b in batches), "load": load}


def edit_title(index: SearchIndex, source: Path) -> float:
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace('title: "', 'title: "editedtitleq ', 1), encoding="utf-8")
    written = time.perf_counter()
    return wait_searchable(index, "title:editedtitleq", 1) - written


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--data", type=Path, default=DATA, help="its data dir, index complete")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-burst-search"))
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--folders", type=int, default=4, help="source folders written to")
    parser.add_argument("--keep", action="store_true", help="keep the private copy")
    args = parser.parse_args()
    started = time.perf_counter()
    root, data_root, data_dir = copy_archive(args.archive, args.data, args.work)
    print(f"copied in {time.perf_counter() - started:.0f} s; load {os.getloadavg()}", flush=True)
    sources = pick_sources(root, args.files, args.folders)
    watch = Watch(root, data_root)
    started = time.perf_counter()
    try:
        watch.wait_for("Ctrl-C ends")
        print(f"watch started in {time.perf_counter() - started:.1f} s:\n{watch.dump()}",
              flush=True)
        index = SearchIndex.open(data_dir / "index", root)
        runs = []
        for number in range(args.bursts):
            runs.append(burst(watch, index, sources, number))
            r = runs[-1]
            print(f"burst {number + 1}: {args.files:,} files, {r['batches']} batch lines, "
                  f"{r['again']} parsed again by the writer; last file written -> watch line "
                  f"{r['line']:.2f} s -> all searchable {r['searchable']:.2f} s "
                  f"(load {r['load']:.2f})", flush=True)
        edited = edit_title(index, sources[0])
        print(f"one edited title: written -> searchable {edited:.2f} s", flush=True)
        index.close()
    finally:
        watch.stop()
        print("watch output:\n" + watch.dump())
        if not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)
    for key, label in (("line", "last file written -> watch line"),
                       ("searchable", "last file written -> all searchable")):
        values = [r[key] for r in runs]
        print(f"{label}: p50 {quantile(values, 0.5):.2f} s, p95 {quantile(values, 0.95):.2f} s "
              f"over {len(runs)} bursts of {args.files:,}")
    print(f"parsed again by the writer: {sum(r['again'] for r in runs)}; "
          f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()
