"""Story grouping on a real archive: quality and time.

    python benchmarks/bench_stories.py                         # the 10k corpus in ../shared
    python benchmarks/bench_stories.py --archive /tmp/grow100k --no-sample   # time at 100k

Prints (CPU seconds, `time.process_time`, of this process: the machine is shared):
- the time to compute every signature from the files and group them from scratch, and a
  warm start's (signatures read back from stories.sqlite3);
- recall on exact-title duplicates across sources: of the pairs of articles from two
  sources with the same folded title within the window, the share in one story;
- a sample of 200 grouped pairs whose titles differ (title and first paragraph of each),
  for a person to judge precision by reading;
- false merges on 10,000 random pairs of articles of different stories: how many pairs
  drawn at random (whose titles differ) the grouping put in one story, each printed.
The archive is scanned into a private data dir (never into the archive).
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = REPO.parent / "shared" / "corpus" / "bulwark" / "content"

from reader.archive import Archive  # noqa: E402
from reader.config import load_settings  # noqa: E402
from reader.index.analysis import fold  # noqa: E402
from reader.session.stories import Stories  # noqa: E402
from reader.session.story_open import archive_body  # noqa: E402
from reader.stories.store import SignatureStore  # noqa: E402

DAY = 86_400


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=CORPUS)
    parser.add_argument("--data-dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "bench-stories-data")
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--no-sample", action="store_true", help="times only")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    settings = load_settings(data_dir=args.data_dir, config_path=None, env={})
    archive = Archive.open(args.archive, settings)
    archive.scan()
    articles = archive.cached()
    print(f"{len(articles):,} articles in {archive.root}")
    stories = timings(archive, articles, settings.story_window_days)
    if not args.no_sample:
        rng = random.Random(args.seed)
        by_path = {a.path: a for a in articles}
        recall(stories, articles, settings.story_window_days)
        sample(stories, by_path, archive, args.sample, rng)
        false_merges(stories, articles, rng)
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def timings(archive, articles, window: float) -> Stories:
    store_path = archive.data_dir / "bench-stories.sqlite3"
    store_path.unlink(missing_ok=True)
    started = time.process_time()
    Stories.build(articles, archive_body(archive), SignatureStore(store_path), window).close()
    cold = time.process_time() - started
    started = time.process_time()
    stories = Stories.build(articles, _never, SignatureStore(store_path), window)
    warm = time.process_time() - started
    n = len(articles)
    print(f"from scratch (files read, signatures computed and stored, grouped): "
          f"{cold:.1f} s CPU ({cold / n * 1000:.2f} ms an article)")
    print(f"warm start (stories read back: nothing grouped): {warm:.1f} s CPU")
    found = stories.all()
    print(f"{len(found):,} stories of {sum(map(len, found)):,} articles "
          f"(largest {len(found[0]) if found else 0})")
    return stories


def _never(article):
    raise AssertionError(f"{article.path}: computed again on a warm start")


def _title(article) -> str:
    return re.sub(r"\s+", " ", fold(article.title)).strip()


def recall(stories: Stories, articles, window: float) -> None:
    by_title = defaultdict(list)
    for a in articles:
        by_title[_title(a)].append(a)
    pairs = together = 0
    for group in by_title.values():
        for a, b in itertools.combinations(group, 2):
            if a.source != b.source and abs((a.date - b.date).total_seconds()) <= window * DAY:
                pairs += 1
                together += _same(stories, a.path, b.path)
    print(f"recall on exact-title duplicates across sources: {together}/{pairs} = "
          f"{together / max(pairs, 1):.3f}")


def _same(stories: Stories, a: str, b: str) -> bool:
    story = stories.story_of(a)
    return story is not None and b in story.members


def sample(stories: Stories, by_path, archive, size: int, rng: random.Random) -> None:
    pairs = [(a, b) for story in stories.all() for a, b in
             itertools.combinations(story.members, 2)
             if _title(by_path[a]) != _title(by_path[b])]
    chosen = rng.sample(pairs, min(size, len(pairs)))
    print(f"\n{len(chosen)} of {len(pairs)} grouped pairs whose titles differ:")
    read = archive_body(archive)
    for i, (a, b) in enumerate(chosen, 1):
        why = stories.story_of(a).why
        print(f"\n#{i} ({why.get(a)}, {why.get(b)})")
        for path in (a, b):
            article = by_path[path]
            print(f"  [{article.source} {article.date:%Y-%m-%d %H:%M}] {article.title}")
            print(f"      {_first_paragraph(read(article))}")


def _first_paragraph(body: str, limit: int = 200) -> str:
    for para in body.split("\n\n"):
        text = " ".join(para.split())
        if text and not text.startswith("["):
            return text[:limit]
    return ""


def false_merges(stories: Stories, articles, rng: random.Random, n: int = 10_000) -> None:
    merged = []
    tried = 0
    while tried < n:
        a, b = rng.sample(articles, 2)
        if _title(a) == _title(b):
            continue  # possibly one story: not a pair of different stories
        tried += 1
        if _same(stories, a.path, b.path):
            merged.append((a, b))
    print(f"\nfalse merges: {len(merged)} of {n:,} random pairs with different titles")
    for a, b in merged:
        print(f"  {a.title}  |  {b.title}")


if __name__ == "__main__":
    main()
