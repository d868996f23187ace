"""Front-matter parsing: the subset reader (reader/archive/yaml_subset.py) against the full
loader it falls back to ("old": every front matter through libyaml + PyYAML).

    python benchmarks/bench_parse.py                       # corpus, /tmp/grow100k, burst
    python benchmarks/bench_parse.py --sample 5000 --burst 1000 --profile

Prints, for the 10k corpus and a `--sample` of a grown archive: ms per file of
parse_text (the text in memory) and of parse_file (read, decode, parse; the files in
the page cache), old and new, each the median of `--repeats` runs taken in turns (the
machine is shared: the load average is printed).  Then the scan_paths time of `--burst`
new files (copies of the grown archive's, as bench_live writes them) into a private
copy of a 100k archive's cache (bench_burst_search.DATA's; else a scan of the corpus),
old and new in turns; with `--profile`, the top of a cProfile of one such scan_paths.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import shutil
import sqlite3
import statistics
import sys
import time
from contextlib import contextmanager, nullcontext
from datetime import timezone
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_burst_search import DATA, tokened  # noqa: E402
from reader.archive import Archive, yaml_subset  # noqa: E402
from reader.archive.frontmatter_io import decode  # noqa: E402
from reader.archive.parse import parse_file, parse_text  # noqa: E402
from reader.config import Settings  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "bulwark" / "content"
GROWN = Path("/tmp/grow100k")


@contextmanager
def full_loader():
    """The old path: every front matter read by the full loader."""
    with mock.patch.object(yaml_subset, "load", lambda fm: None):
        yield


def modes():
    return {"old": full_loader, "new": nullcontext}


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def sample(root: Path, n: int | None, seed: int = 1) -> list[str]:
    rels = sorted(str(p.relative_to(root)) for p in root.rglob("*.md"))
    return rels if n is None or n >= len(rels) else random.Random(seed).sample(rels, n)


def per_file(label: str, root: Path, rels: list[str], repeats: int) -> None:
    """ms per file of parse_text and parse_file, old and new, runs in turns: the CPU time
    (what a shared machine's load disturbs least) and the wall time."""
    texts = [decode((root / rel).read_bytes())[0] for rel in rels]
    runs = {
        "parse_text": lambda: [parse_text(rel, text, timezone.utc, in_content=True)
                               for rel, text in zip(rels, texts)],
        "parse_file": lambda: [parse_file(root, rel, timezone.utc) for rel in rels],
    }
    for what, run in runs.items():
        cpu: dict[str, list[float]] = {"old": [], "new": []}
        wall: dict[str, list[float]] = {"old": [], "new": []}
        for _ in range(repeats):
            for mode, context in modes().items():
                with context():
                    started, cpu_started = time.perf_counter(), time.process_time()
                    run()
                    cpu[mode].append((time.process_time() - cpu_started) / len(rels) * 1e3)
                    wall[mode].append((time.perf_counter() - started) / len(rels) * 1e3)
        old, new = (statistics.median(cpu[m]) for m in ("old", "new"))
        old_wall, new_wall = (statistics.median(wall[m]) for m in ("old", "new"))
        print(f"{label:<16} {what:<10} CPU old {old:6.3f} ms/file  new {new:6.3f} ms/file  "
              f"{old / new:4.1f}x  (wall {old_wall:.3f} / {new_wall:.3f}; {len(rels)} files, "
              f"median of {repeats})", flush=True)


def private_archive(work: Path, cache: Path | None) -> Archive:
    """An archive folder of its own under `work`, with a copy of `cache` (a consistent
    one: the source may be in use) or, without one, the corpus scanned into a new cache."""
    shutil.rmtree(work, ignore_errors=True)
    (work / "archive").mkdir(parents=True)
    settings = Settings(data_root=work / "data", config_path=work / "none.toml")
    data_dir = work / "data" / "archive"
    data_dir.mkdir(parents=True)
    if cache is not None:
        source = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
        target = sqlite3.connect(data_dir / "cache.sqlite3")
        source.backup(target)
        zone = target.execute("SELECT value FROM settings WHERE name = 'timezone'").fetchone()
        source.close()
        target.close()
        if zone:
            settings = Settings(data_root=settings.data_root, config_path=settings.config_path,
                                timezone=zone[0])
        return Archive(work / "archive", data_dir, settings)
    shutil.copytree(CORPUS, work / "archive" / "content")
    archive = Archive(work / "archive", data_dir, settings)
    archive.scan()
    return archive


def write_burst(archive: Archive, sources: list[Path], source_root: Path, tag: str) -> list[str]:
    """`sources` copied in under new names (each with a token), as the scraper adds them."""
    rels = []
    for i, source in enumerate(sources):
        rel = source.relative_to(source_root).with_name(f"{tag}x{i:04d}-{source.name}")
        target = archive.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(tokened(source.read_text(encoding="utf-8"), tag), encoding="utf-8")
        rels.append(rel.as_posix())
    return rels


def bursts(archive: Archive, sources: list[Path], source_root: Path, rounds: int) -> None:
    """scan_paths of the burst's new files, old and new in turns: wall and CPU time."""
    wall: dict[str, list[float]] = {"old": [], "new": []}
    cpu: dict[str, list[float]] = {"old": [], "new": []}
    for number in range(rounds):
        for mode, context in modes().items():
            rels = write_burst(archive, sources, source_root, f"b{number}{mode}")
            with context():
                cpu_started = time.process_time()
                result = archive.scan_paths(rels)
                cpu[mode].append(time.process_time() - cpu_started)
            assert len(result.added) == len(sources), result.added[:3]
            wall[mode].append(result.seconds)
    print(f"scan_paths of {len(sources)} new files ({archive.cache.count():,} cached), "
          f"median of {rounds}:", flush=True)
    for label, times in (("wall", wall), ("CPU", cpu)):
        old, new = (statistics.median(times[m]) for m in ("old", "new"))
        print(f"  {label:<4} old {old:.3f} s  new {new:.3f} s  {old / new:.1f}x  "
              f"(old {', '.join(f'{t:.3f}' for t in times['old'])}; "
              f"new {', '.join(f'{t:.3f}' for t in times['new'])})", flush=True)


def profile(archive: Archive, sources: list[Path], source_root: Path, top: int) -> None:
    rels = write_burst(archive, sources, source_root, "prof")
    profiler = cProfile.Profile()
    profiler.enable()
    archive.scan_paths(rels)
    profiler.disable()
    stats = pstats.Stats(profiler)
    for order in ("tottime", "cumulative"):
        print(f"\ncProfile of scan_paths of {len(rels)} new files (new path), by {order}:")
        stats.sort_stats(order).print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--grown", type=Path, default=GROWN)
    parser.add_argument("--sample", type=int, default=5000, help="files of the grown archive")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--burst", type=int, default=1000, help="new files per scan_paths")
    parser.add_argument("--rounds", type=int, default=3, help="scan_paths runs per path")
    parser.add_argument("--cache", type=Path, default=DATA / "cache.sqlite3",
                        help="a 100k archive's cache to copy (else the corpus is scanned)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-parse"))
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    print(load(), flush=True)
    if args.corpus.is_dir():
        per_file("corpus (10k)", args.corpus, sample(args.corpus, None), args.repeats)
    if args.grown.is_dir():
        per_file(f"{args.grown.name} sample", args.grown, sample(args.grown, args.sample),
                 args.repeats)
    source_root = args.grown if args.grown.is_dir() else args.corpus.parent
    sources = [source_root / rel for rel in sample(source_root, args.burst, seed=2)]
    archive = private_archive(args.work, args.cache if args.cache.is_file() else None)
    try:
        bursts(archive, sources, source_root, args.rounds)
        if args.profile:
            profile(archive, sources, source_root, args.top)
    finally:
        archive.close()
        shutil.rmtree(args.work, ignore_errors=True)
    print(load(), flush=True)


if __name__ == "__main__":
    main()
