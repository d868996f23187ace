#!/usr/bin/env python3
"""How fast the state store and the tree's counts are on a big archive.

usage: python benchmarks/bench_state.py [--n 100000] [--archive DIR] [--scan]

Without --archive, grows an archive of N articles under /tmp (once; reused on
later runs) with ../shared/tools/grow_corpus.py.  Articles are built from each
file's front matter by a small reader here (title, categories, tags, lang;
the source from the path), or with --scan by the archive's own scan.  Prints
the time to compute all counts, to mark every article read in one transaction,
to undo that, to read the read set, and more.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reader.archive.model import Article  # noqa: E402
from reader.state import GroupCounts, StateStore  # noqa: E402
from reader.state.transfer import write_document  # noqa: E402

GROW = REPO.parent / "shared" / "tools" / "grow_corpus.py"
FRONT = re.compile(r"\A---\r?\n(.*?)\r?\n---", re.S)


def grown_archive(n: int) -> Path:
    root = Path(tempfile.gettempdir()) / f"nr-state-bench-{n}"
    if not (root / ".complete").exists():
        if not GROW.exists():
            sys.exit(f"no archive given and {GROW} is absent: pass --archive DIR")
        print(f"growing {n} articles under {root} ...", flush=True)
        subprocess.run([sys.executable, str(GROW), str(n), str(root)], check=True)
        (root / ".complete").touch()
    return root


def read_front(root: Path, rel: str) -> Article:
    """Title, categories, tags and lang from a file's front matter (block lists only)."""
    with open(root / rel, encoding="utf-8", errors="replace") as f:
        match = FRONT.match(f.read(8192))
    fields: dict[str, list[str] | str] = {"categories": [], "tags": []}
    key = None
    for line in (match.group(1).splitlines() if match else []):
        if line.startswith("  - ") and key in ("categories", "tags"):
            fields[key].append(line[4:].strip().strip('"'))  # type: ignore[union-attr]
        elif ":" in line and not line.startswith(" "):
            key, _, value = line.partition(":")
            if key in ("title", "lang"):
                fields[key] = value.strip().strip('"')
    parts = rel.split("/")
    return Article(path=rel, title=str(fields.get("title", "")), date=datetime.now(timezone.utc),
                   categories=tuple(fields["categories"]), tags=tuple(fields["tags"]),
                   lang=str(fields.get("lang", "")), source=parts[3] if len(parts) > 4 else "")


def articles_of(root: Path, scan: bool) -> list[Article]:
    if scan:
        from reader.archive import Archive
        from reader.config import Settings

        data = Path(tempfile.mkdtemp(prefix="nr-state-bench-data-"))
        settings = Settings(data_root=data, config_path=data / "none.toml")
        return Archive.open(root, settings).scan().articles
    rels = []
    for dirpath, _, names in os.walk(root):
        rels.extend(os.path.relpath(os.path.join(dirpath, n), root).replace(os.sep, "/")
                    for n in names if n.endswith(".md"))
    return [read_front(root, rel) for rel in sorted(rels)]


def timed(label: str, func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"  {label:<52} {time.perf_counter() - start:8.3f} s", flush=True)
    return result


def counts_from(store: StateStore, articles: list[Article]) -> GroupCounts:
    return GroupCounts(articles, store.read_set(), store.starred_set())


def run(articles: list[Article], folder: Path) -> None:
    paths = [a.path for a in articles]
    n = len(articles)
    groups = {k for a in articles for k in (("lang", a.lang), ("source", a.source))}
    groups |= {("category", c) for a in articles for c in a.categories}
    groups |= {("tag", t) for a in articles for t in a.tags}
    print(f"{n} articles, {len(groups)} groups (categories, tags, languages, sources)")
    store = timed("open a new store", StateStore.open, folder / "state.sqlite3")
    timed("all counts, nothing read (GroupCounts)", GroupCounts, articles, set(), set())
    changed = timed(f"mark {n} read in one transaction", store.mark_read, paths,
                    articles=articles)
    assert changed == n
    timed(f"star every 20th ({n // 20}) in one transaction", store.mark_starred, paths[::20])
    read = timed("read_set()", store.read_set)
    assert len(read) == n
    timed("starred_set()", store.starred_set)
    timed("all counts from the store (read_set + starred_set + build)", counts_from,
          store, articles)
    counts = GroupCounts(articles, read, store.starred_set())
    sample = articles[:10000]
    start = time.perf_counter()
    for a in sample:
        counts.apply_read(a, False)
    per = (time.perf_counter() - start) / len(sample) * 1e6
    print(f"  {'apply_read (incremental count update), per article':<52} {per:8.2f} µs")
    timed("is:unread over all paths (read_set + filter, as the reader does)",
          unread_paths, store, paths)
    timed("undo the star change", store.undo)
    restored = timed(f"undo the mark of {n} read", store.undo)
    assert restored.restored == n and not store.read_set()
    singles = paths[:200]
    start = time.perf_counter()
    for p in singles:
        store.mark_read([p])
    per = (time.perf_counter() - start) / len(singles) * 1000
    print(f"  {'single mark (committed, synchronous=FULL), each':<52} {per:8.3f} ms")
    store.mark_read(paths)
    doc = timed(f"export_state() of {n} marks", store.export_state)
    with open(folder / "export.json", "w", encoding="utf-8") as out:
        timed("write the export JSON", write_document, doc, out)
    store.close()
    reopened = timed("reopen (integrity quick_check) with undo log", StateStore.open,
                     folder / "state.sqlite3")
    reopened.close()
    with StateStore.open(folder / "other.sqlite3") as other:
        timed(f"import_state() of {n} marks into an empty store", other.import_state, doc)
    size = sum(f.stat().st_size for f in folder.glob("state.sqlite3*"))
    print(f"  state file with {n} marks and its undo log: {size / 1e6:.1f} MB")


def unread_paths(store: StateStore, paths: list[str]) -> list[str]:
    read = store.read_set()
    return [p for p in paths if p not in read]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles to grow (default 100000)")
    parser.add_argument("--archive", type=Path, help="use this archive instead of growing one")
    parser.add_argument("--scan", action="store_true", help="build articles with Archive.scan()")
    args = parser.parse_args()
    root = args.archive or grown_archive(args.n)
    articles = timed(f"build Article records from {root}", articles_of, root, args.scan)
    with tempfile.TemporaryDirectory(prefix="nr-state-bench-") as folder:
        run(articles, Path(folder))


if __name__ == "__main__":
    main()
