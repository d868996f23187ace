"""Segments written by another process, taken into an index at a writer's commit.

A delta of many articles is indexed by two processes at once (reader/index/parts.py):
the second writes its half as a standalone index of one segment in a folder of its
own, and the writer holding the index's lock moves that segment's files into the
index and lists it in the commit's table of contents.  Whoosh 2.7.4 has no public way
to do this: the segment objects are read from the part's TOC (`TOC.read`), their files
are found by `segment_id()`, and the merge policy the commit calls (a documented hook)
returns them along with the segments it keeps.  A crash between the move and the
commit leaves files no TOC lists: Whoosh's next commit deletes them (`clean_files`).
"""

from __future__ import annotations

import os
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC


def part_segments(part_dir: Path, indexname: str) -> list:
    """The segments of the standalone index in `part_dir`."""
    return list(TOC.read(FileStorage(str(part_dir)), indexname).segments)


def move_segments(segments: list, part_dir: Path, index_dir: Path) -> None:
    """Move the segments' files from `part_dir` into the index folder (same file system)."""
    for segment in segments:
        prefix = segment.segment_id()
        for name in os.listdir(part_dir):
            if name.startswith(prefix):
                os.replace(Path(part_dir) / name, Path(index_dir) / name)


def with_segments(policy, foreign: list):
    """A merge policy: `policy`'s choice of the index's segments, plus `foreign`."""
    def merge(writer, segments):
        return list(policy(writer, segments)) + list(foreign)

    return merge
