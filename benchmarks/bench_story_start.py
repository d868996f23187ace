"""What grouping stories adds to a warm start: the catalog read from the cache, then
the stories (`open_stories`), each in a fresh process, in CPU seconds
(`time.process_time`) and peak RSS (`ru_maxrss`) and USS at the end (/proc/self/smaps_rollup).

    python benchmarks/bench_story_start.py --archive /tmp/grow100k --data-dir D

The data dir must hold the archive's cache (a scan) and, for a warm start of stories,
stories.sqlite3 (the first run groups from scratch, or from the stored signatures).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {repo!r})
from reader.archive import Archive
from reader.config import load_settings
from dataclasses import replace
settings = replace(load_settings(data_dir={data!r}, config_path=None, env={{}}),
                   group_stories=True)
archive = Archive.open({archive!r}, settings)
start = time.process_time()
articles = archive.cached()
catalog = time.process_time() - start
stories = None
if {stories!r}:
    from reader.session.story_open import open_stories
    stories = open_stories(archive, settings, articles)
total = time.process_time() - start
uss = sum(int(line.split()[1]) * 1024 for line in open("/proc/self/smaps_rollup")
          if line.startswith(("Private_Clean", "Private_Dirty")))
print(json.dumps(dict(articles=len(articles), catalog=catalog, total=total,
                      stories=len(stories.all()) if stories else 0,
                      peak=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      uss=uss / 2**20)))
"""


def run(archive: Path, data: Path, stories: bool) -> dict:
    code = CHILD.format(repo=str(REPO), data=str(data), archive=str(archive), stories=stories)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for stories in (False, True, False, True) * max(1, args.runs // 2):
        r = run(args.archive, args.data_dir, stories)
        print(f"{'with stories   ' if stories else 'catalog only   '} {r['articles']:,} "
              f"articles: catalog {r['catalog']:.3f} s CPU, in all {r['total']:.3f} s CPU, "
              f"peak RSS {r['peak']:.0f} MB, USS {r['uss']:.0f} MB, "
              f"{r['stories']:,} stories")


if __name__ == "__main__":
    main()
