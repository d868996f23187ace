"""LSH banding: which articles may be copies of one, in time independent of the archive.

The MinHash's `BINS` values are cut into `BANDS` bands of `ROWS`; two articles that agree
on every value of some band are candidates (then confirmed: `grouping.match`).  With 32
bands of 4, a pair of Jaccard similarity 0.5 is a candidate with probability 0.87, 0.6:
0.99, 0.7: 0.9999; a pair at 0.05 one time in 30,000.

Each band becomes a 37-bit key: its number and the CRC-32 of its values' bytes (a
false candidate where two bands' CRCs collide costs one more `match`: about one look-up
in a thousand at 100,000 articles).  The store keeps each article's keys in an indexed
table (reader/stories/store.py), so that its candidates are one query.
"""

from __future__ import annotations

from zlib import crc32

from reader.stories.signature import BINS

ROWS = 4
BANDS = BINS // ROWS
_WIDTH = 4 * ROWS  # bytes of a band in a signature's `minhash` (BINS 32-bit values)


def band_keys(minhash: bytes) -> list[int]:
    """The key of each band of a MinHash (the same in every process and version)."""
    view = memoryview(minhash)
    return [band << 32 | crc32(view[band * _WIDTH:band * _WIDTH + _WIDTH])
            for band in range(BANDS)]
