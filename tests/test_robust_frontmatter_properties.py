"""Property tests: no input, however odd, makes the front-matter reader raise."""

from __future__ import annotations

from datetime import timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.archive.frontmatter_io import decode
from reader.archive.parse import parse_text

FENCES = st.sampled_from(["---", "+++", "{", "}", "---\n---", "", "\n"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=30), st.dates(), st.datetimes())
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=10)
KEYS = st.sampled_from(["title", "date", "tags", "categories", "lang", "summary", "link",
                        "translations", "thumbnail", "x"])
LOTS = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(article) -> None:
    assert isinstance(article.title, str) and article.title
    assert article.date.tzinfo is not None
    assert all(isinstance(t, str) and t for t in article.tags + article.categories)


@LOTS
@given(st.binary(max_size=400))
def test_any_bytes_decode_and_parse(data):
    text, _note = decode(data)
    check(parse_text("x.md", text, timezone.utc).article)


@LOTS
@given(st.lists(st.one_of(FENCES, st.text(max_size=40)), max_size=8))
def test_any_arrangement_of_fences_and_text_parses(parts):
    check(parse_text("dir/x.en.md", "\n".join(parts), timezone.utc).article)


@LOTS
@given(st.dictionaries(KEYS, VALUES, max_size=6), st.text(max_size=60))
def test_any_yaml_values_in_the_known_keys_parse(meta, body):
    import yaml

    fm = yaml.safe_dump(meta, allow_unicode=True)  # the strategy makes only dumpable values
    check(parse_text("x.md", f"---\n{fm}---\n{body}", timezone.utc).article)


@LOTS
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_any_json_front_matter_parses(meta):
    import json

    check(parse_text("x.md", json.dumps(meta, default=str) + "\nbody", timezone.utc).article)
