"""Every place newsreader reaches into Whoosh's internals, and the one version it fits.

Whoosh 2.7.4 (2016) is pinned exactly: each module here relies on private
names or on behaviour of that version, and is worth what it says (measured).

  mapped_parts   compound-segment parts read in place from the memory map instead
                 of copied into a BytesIO: opening a searcher at 100k articles no
                 longer copies ~600 MB (twice: the reader has two searchers).
                 Replaces CompoundStorage.open_file (`install()`).
  codec          ArticleCodec: posting lists shorter than 8 inlined in the term
                 record (2.7.4 calls `set_inline`, which does not exist, so only
                 "never inline" worked: most CJK bigrams are in a handful of
                 articles), field lengths looked up once per field, and a short
                 list's term record packed at once (9 terms in 10; byte for byte
                 the postings writer's record).
                 Segments pickle it: reader/index/codec.py re-exports it.
  posting_pool   a posting pool without per-posting asserts, swapped onto the
                 writer (SegmentWriter ignores `poolclass`).  With the codec: 146
                 instead of 73 articles/s on the 10k corpus.
  merge_policy   merge only small and mostly-deleted segments, small ones within a
                 budget per commit: MERGE_SMALL's pure-Python merge of everything
                 stalled the 100k build at 38,000.
  foreign_segments  a segment another process wrote (half of a big delta, see
                 reader/index/parts.py) moved in and listed in a writer's commit.
  term_lookup    whether a segment holds a path, its term hash table probed with
                 the key hashed once: 1,000 lookups over 51 segments 1.04 -> 0.22 s.
  leaf_ids       document numbers read block by block from posting blocks (W3
                 leaf matcher's `_read_ids`), for prefixes and filters: Whoosh's
                 constant-score prefix took p95 161 ms at 10k.
  prefix_records a segment's terms that start with a prefix, with their documents:
                 the range found by bisecting the key index, records parsed in
                 place, only the ids of each pickle of postings unpickled (a fresh
                 word being typed, `sup` at 100k: 30 -> 16 ms of CPU).
  path_terms     every document's path in a segment from its `path` term records,
                 the term table read in one piece: 100,000 paths in 0.13 s, where
                 stored fields took 3.3 s for 67,000 (a saved search's hits).
  hash_directory  a terms file's directory of 256 hash tables read in one piece, not
                 256 reads: opening a searcher over 50 segments 0.06 -> ~0.015 s of CPU.
                 Replaces HashReader.__init__ (`install()`, with mapped_parts').
  numeric_column  a segment's date column read in one piece, not one document per call:
                 every date of 100,000 articles (the newest-first order) 0.25 -> 0.012 s.
  abandon        a failed writer's temporary storage and lock released step by
                 step (its `cancel()` raises on a full disk, keeping the lock).

One more reach, outside this package because it must be in place before any Whoosh
module loads and touches no Whoosh internals: reader/index/whoosh_import.py defers
the urllib.request that whoosh/compat.py imports and never uses (0.05 s).

Importing this package checks the installed version first: any other raises
WhooshVersionError, whose message is one line (it is a SystemExit: the CLI, the
reader or a script that imports the index stops with that line, no traceback).
"""

from __future__ import annotations

import whoosh

PINNED = (2, 7, 4)


class WhooshVersionError(SystemExit):
    """The installed Whoosh is not the one these patches were written for."""


def check_version(found: tuple | None = None) -> None:
    """Raise WhooshVersionError unless `found` (default: the installed version) is PINNED."""
    found = tuple(whoosh.__version__ if found is None else found)
    if found != PINNED:
        raise WhooshVersionError(
            f"newsreader needs Whoosh {_dotted(PINNED)} exactly (found {_dotted(found)}): "
            f"its index code patches Whoosh internals")


def _dotted(version: tuple) -> str:
    return ".".join(str(part) for part in version)


check_version()  # before any patch module touches Whoosh
