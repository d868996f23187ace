"""The fast front-matter reader (reader/archive/yaml_subset.py) gives exactly what the full
loader gives, or gives way to it: over the real corpus, over generated front matter in
and near the subset, and for the shapes that must fall back."""

from __future__ import annotations

import json
from datetime import date, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.archive import yaml_subset
from reader.archive.frontmatter_io import decode, full_load, split
from reader.archive.parse import parse_text

LOTS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def typed(value: object) -> object:
    """`value` with the type of each part spelled out: True == 1 and 1 == 1.0 for ==."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, value)


def full(fm: str) -> object:
    """What the full loader gives, or the error it raises (as the type's name)."""
    try:
        return typed(full_load(fm))
    except Exception as exc:  # noqa: BLE001 - any failure is an answer to compare
        return type(exc).__name__


def agrees(fm: str) -> bool:
    """Whether the subset took `fm`; asserts that, if so, it gave the full loader's answer."""
    fast = yaml_subset.load(fm)
    if fast is not None:
        assert typed(fast) == full(fm), fm
    return fast is not None


@pytest.fixture
def subset_answers(monkeypatch) -> list[bool]:
    """Whether the subset took each front matter, in order (it is still used)."""
    answers: list[bool] = []
    real = yaml_subset.load

    def load(fm: str) -> dict | None:
        meta = real(fm)
        answers.append(meta is not None)
        return meta

    monkeypatch.setattr(yaml_subset, "load", load)
    return answers


# --- (1) the real corpus: every file, the same record either way -------------------------

def test_every_corpus_file_parses_to_the_same_record_with_or_without_the_subset(
        corpus_root, subset_answers, monkeypatch):
    files = sorted(corpus_root.rglob("*.md"))
    texts = [(str(p.relative_to(corpus_root)), decode(p.read_bytes())[0]) for p in files]
    fast = [parse_text(rel, text, timezone.utc, in_content=True) for rel, text in texts]
    monkeypatch.setattr(yaml_subset, "load", lambda fm: None)
    slow = [parse_text(rel, text, timezone.utc, in_content=True) for rel, text in texts]
    assert len(files) > 1000
    assert [rel for (rel, _), a, b in zip(texts, fast, slow) if a != b] == []
    assert subset_answers == [True] * len(files)  # the scraper writes nothing outside it


# --- (2) generated front matter, in the subset and near it --------------------------------

KEY_CHARS = "abz_-AZ09"
KEYS = st.one_of(
    st.sampled_from(["title", "date", "tags", "lang", "menu", "x-y", "_k", "a_b-c", "T9"]),
    st.sampled_from(["on", "no", "yes", "Off", "null", "NULL", "true", "y", "n", "~", "<<"]),
    st.text(KEY_CHARS, min_size=1, max_size=6),
)
# Characters a scraped title holds, and those YAML treats specially.
CHARS = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list('"\\\'#:-[]{}&*!|>%@` \t\r\x85\u2028\u2029\ufeff\xa0\u3000\u200b'
                         '\x00\x07\x1b\x7f\x9f\ue000\ufffe\U0001f600中文')),
)
ESCAPES = st.sampled_from([r"\"", r"\\", r"\/", r"\b", r"\f", r"\n", r"\r", r"\t", r"\u00e9",
                           r"\u4E2D", r"\u0000", r"\u0085", r"\u2028", r"\ud83d", r"\uDFFF",
                           r"\x41", r"\0", r"\e", r"\N", r"\_", r"\ ", r"\U0001F600", r"\q",
                           "\\"])
TEXTS = st.lists(st.one_of(st.text(CHARS, max_size=3), ESCAPES), max_size=8).map("".join)
# JSON's own string literals: exactly the subset's escapes (\uXXXX for controls, surrogates)
JSON_TEXTS = st.builds(json.dumps, st.text(CHARS, max_size=12), ensure_ascii=st.booleans())
QUOTED = st.one_of(TEXTS.map(lambda t: f'"{t}"'), JSON_TEXTS)
VALUES = st.one_of(
    QUOTED, st.just(""), st.sampled_from(["true", "false", "[]", "True", "FALSE", "yes", "no",
                                          "on", "null", "~", "[ ]", "{}", "12", "1.5", "0x1F",
                                          "2025-02-11", "2025-02-11 11:31:51", "plain words",
                                          "'single'", '"a" # note', "&anchor", "*alias", "!!str x",
                                          '["a", "b"]', "|", ">"]))
INDENTS = st.sampled_from(["  - ", "  - ", "- ", "    - ", "  -  ", " - ", "\t- ", "  -"])
SEPARATORS = st.sampled_from([": ", ": ", ":", ":  ", " : ", ":\t"])
ENDS = st.sampled_from(["", "", "", " ", "\t", " # c", "\r"])


@st.composite
def near_lines(draw) -> str:
    kind = draw(st.sampled_from(["key", "key", "list", "item", "blank", "odd"]))
    if kind == "key":
        return draw(KEYS) + draw(SEPARATORS) + draw(VALUES) + draw(ENDS)
    if kind == "list":
        return draw(KEYS) + ":" + draw(ENDS)
    if kind == "item":
        return draw(INDENTS) + draw(QUOTED) + draw(ENDS)
    if kind == "blank":
        return draw(st.sampled_from(["", " ", "  ", "\t"]))
    return draw(st.sampled_from(["...", "%YAML 1.1", "# comment", "? key", "- top", "key"]))


SUBSET_KEYS = st.text("abcdefgh_-xyz0189", min_size=1, max_size=8).filter(
    lambda k: k[0] not in "-0189" and k.lower() not in {"y", "n", "no"})
PRINTED = st.characters(codec="utf-8", exclude_characters='"\\',  # but NBSP, U+3000, ...
                        exclude_categories=["Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"])
SUBSET_TEXTS = st.lists(st.one_of(
    st.text(PRINTED, max_size=5),
    st.sampled_from([r"\"", r"\\", r"\/", r"\b", r"\f", r"\n", r"\r", r"\t", r"\u00e9",
                     r"\u0000", r"\uFFFD"])), max_size=6).map(lambda parts: f'"{"".join(parts)}"')


@st.composite
def subset_front_matter(draw) -> str:
    """A front matter wholly in the subset: distinct keys, each with one of its values."""
    keys = draw(st.lists(SUBSET_KEYS, min_size=1, max_size=6, unique=True))
    lines = [""]
    for key in keys:
        value = draw(st.one_of(SUBSET_TEXTS, st.sampled_from(["true", "false", "[]", "list"])))
        if value == "list":
            lines.append(f"{key}:")
            lines += [f"  - {item}" for item in draw(st.lists(SUBSET_TEXTS, max_size=3))]
        else:
            lines.append(f"{key}: {value}")
        lines += [""] * draw(st.integers(0, 1))
    return "\n".join(lines) + "\n"


@LOTS
@given(subset_front_matter())
def test_front_matter_in_the_subset_is_read_by_it_as_the_full_loader_reads_it(fm):
    assert agrees(fm)


@st.composite
def edited(draw, fm: st.SearchStrategy[str]) -> str:
    """A front matter of the subset with a few characters put in or taken out: at the edge."""
    text = draw(fm)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            bit = draw(st.one_of(CHARS, ESCAPES, st.sampled_from(["\n", "- ", ": "])))
            text = text[:at] + bit + text[at:]
        else:
            text = text[:at] + text[at + 1:]
    return text


@LOTS
@given(edited(subset_front_matter()))
@example('\ntitle: "a\\"\n')
@example('\ntitle: "a\\\\"\n')
def test_front_matter_edited_at_the_edge_of_the_subset_is_read_as_the_full_loader_reads_it(fm):
    agrees(fm)


@LOTS
@given(st.lists(near_lines(), min_size=1, max_size=8))
@example(['title: "a \\" b"', "tags:", '  - "x"'])
@example(['on: "x"'])
@example(['Yes: "x"', 'no: "y"'])
@example(['a: "x"', 'a: "y"'])
@example(["a:", '  - "x"', "", '  - "y"', "b: []"])
def test_front_matter_near_the_subset_is_read_as_the_full_loader_reads_it_or_falls_back(lines):
    agrees("\n" + "\n".join(lines) + "\n")


@LOTS
@given(st.lists(near_lines(), min_size=1, max_size=6), st.text(CHARS, max_size=20))
def test_whole_articles_give_the_same_record_with_or_without_the_subset(lines, body):
    text = "---\n" + "\n".join(lines) + "\n---\n" + body
    fast = parse_text("news/src/x.en.md", text, timezone.utc)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml_subset, "load", lambda fm: None)
        assert parse_text("news/src/x.en.md", text, timezone.utc) == fast


# --- (3) what must fall back ---------------------------------------------------------------

FALLS_BACK = {
    "a plain date": "date: 2025-02-11",
    "a plain number": "count: 12",
    "a plain word": "lang: en",
    "null": "menu: null",
    "a capital True": "toc: True",
    "yes": "toc: yes",
    "single quotes": "title: 'a'",
    "a flow list": 'tags: ["a", "b"]',
    "a spaced empty list": "tags: [ ]",
    "a flow mapping": "menu: {}",
    "an anchor": 'title: &t "a"',
    "an alias": 'a: &t "x"\nb: *t',
    "a tag": 'title: !!str "a"',
    "a multi-line scalar": 'title: "a\n  b"',
    "a block scalar": "summary: |\n  a",
    "a comment line": '# note\ntitle: "a"',
    "a trailing comment": 'title: "a" # note',
    "a trailing space": 'title: "a" ',
    "a tab in a string": 'title: "a\tb"',
    "a tab before the value": 'title:\t"a"',
    "a CR": 'title: "a"\r\ndate: "b"',
    "a BOM": '\ufefftitle: "a"',
    "a NEL": 'title: "a\x85b"',
    "a line separator": 'title: "a\u2028b"',
    "a control character": 'title: "a\x07b"',
    "a duplicate key": 'title: "a"\ntitle: "b"',
    "a key YAML reads as a bool": 'on: "a"',
    "a key YAML reads as a bool (yes)": 'yes: "a"',
    "a key YAML reads as a bool (No)": 'No: "a"',
    "a key YAML reads as a bool (OFF)": 'OFF: "a"',
    "a key YAML reads as a bool (True)": 'True: "a"',
    "a key YAML reads as null": 'null: "a"',
    "a key longer than 128": "k" * 1100 + ': "a"',
    "a quoted key": '"title": "a"',
    "a merge key": 'a: &m {"x": 1}\n<<: *m',
    "a YAML-only escape": r'title: "\x41"',
    "a surrogate escape": r'title: "\ud83d\ude00"',
    "an unknown escape": r'title: "\q"',
    "a quote inside": 'title: "a"b"',
    "an indentless list": 'tags:\n- "a"',
    "a deeper list": 'tags:\n    - "a"',
    "an item after a value": 'title: "a"\n  - "b"',
    "an item first": '  - "a"',
    "a plain item": "tags:\n  - a",
    "a space-only line": 'title: "a"\n  \ndate: "b"',
    "a document end": 'title: "a"\n...',
    "an explicit key": '? title\n: "a"',
    "nothing but blank lines": "\n\n",
}


@pytest.mark.parametrize("fm", FALLS_BACK.values(), ids=FALLS_BACK.keys())
def test_front_matter_outside_the_subset_falls_back_to_the_full_loader(fm):
    assert yaml_subset.load("\n" + fm + "\n") is None


def test_what_falls_back_is_read_as_before(subset_answers):
    meta, _, problem = split('---\ndate: 2025-02-11\ntitle: "a"\ntoc: yes\n---\nbody')
    assert meta == {"date": date(2025, 2, 11), "title": "a", "toc": True} and problem == ""
    assert split('---\non: "a"\n---\n')[0] == {"True": "a"}
    assert split('---\ntitle: "a"\ntitle: "b"\n---\n')[0] == {"title": "b"}
    assert subset_answers == [False, False, False]


def test_many_merge_key_marks_inside_strings_still_refuse_the_front_matter():
    """The full loader's bound counts `<<` anywhere; the subset must not read past it."""
    text = '---\ntitle: "' + "<<" * 1001 + '"\n---\nbody'
    assert split(text) == ({}, "\nbody", "invalid front matter: more than 1,000 merge keys (<<)")


def test_an_article_in_the_scrapers_shape_is_read_by_the_subset(subset_answers):
    text = ('---\ntitle: "A \\"quoted\\" title"\ndate: "2025-02-11 11:31:51"\ncategories:\n'
            '  - "benzinga"\nmenu: ""\ncomments: false\npager: true\ntags: []\n---\n\nBody.\n')
    article = parse_text("en/news/benzinga/x.en.md", text, timezone.utc).article
    assert subset_answers == [True]
    assert (article.title, article.categories, article.tags) == ('A "quoted" title',
                                                                ("benzinga",), ())
