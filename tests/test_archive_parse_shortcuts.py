"""The per-file shortcuts around the parse give what the longer way gave: the white-space
collapse skipped where there is none to collapse, a path's parts without a PurePosixPath,
blank text told without copying it, a file read without a buffer of the read limit."""

from __future__ import annotations

import html
import io
import re
from pathlib import PurePosixPath

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.archive import fields
from reader.archive.parse import _blank
from reader.archive.safe_open import _read_up_to

MANY = settings(max_examples=500, deadline=None)
SPACES = st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u2029\u202f"
                              "\u3000\u200b\ufeff") + ["&nbsp;", "&#10;", "&amp;", "  "])
TEXTS = st.lists(st.one_of(st.text(max_size=4), SPACES), max_size=10).map("".join)


def clean_the_long_way(value: str, limit: int) -> tuple[str, bool]:
    cut = len(value) > 8 * limit
    text = re.sub(r"\s+", " ", html.unescape(value[:8 * limit])).strip()
    if len(text) > limit:
        text, cut = text[:limit].rstrip(), True
    return text, cut


@MANY
@given(TEXTS, st.sampled_from([3, 10, 1000]))
@example("a\xa0b", 100)
@example(" a&nbsp; b ", 100)
def test_clean_text_collapses_white_space_as_the_regular_expression_did(value, limit):
    assert fields._clean(value, limit) == clean_the_long_way(value, limit)


PATHS = st.lists(st.sampled_from(["", ".", "..", "a", "content", "en", "x.en.md", "b c"]),
                 max_size=5).map("/".join)


@MANY
@given(st.one_of(PATHS, st.text(alphabet="/.ab", max_size=8)))
@example("/a/b")
@example("//a")
@example("a//b/./c/")
def test_path_parts_are_pure_posix_paths_parts(rel):
    assert fields._parts(rel) == PurePosixPath(rel).parts


@MANY
@given(TEXTS)
def test_blank_is_not_strip(text):
    assert _blank(text) == (not text.strip())


@MANY
@given(st.binary(max_size=40), st.integers(0, 50), st.integers(1, 45))
def test_reading_up_to_the_limit_reads_what_read_limit_read(data, size, limit):
    """Whatever stat said of the size (smaller, equal, larger: the file changed)."""
    assert _read_up_to(io.BytesIO(data), limit, size) == io.BytesIO(data).read(limit)
