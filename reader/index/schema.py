"""The Whoosh schema of an article index, and the field types that feed it.

Whoosh pickles the schema into the index, so these classes must stay
importable under these names; any change to fields or analysis bumps
reader/index/store.py's `SCHEMA_VERSION` (kept there: manifests are read without
importing Whoosh), and an index of another version is rebuilt.
"""

from __future__ import annotations

from whoosh import fields, formats
from whoosh.system import pack_uint

from reader.index.analysis import fold, index_terms

TITLE_BOOST = 3.0


class GramText(fields.FieldType):
    """Text indexed as CJK characters and pairs plus stemmed words, frequencies only.

    `index()` counts terms with a Counter over string slices rather than
    through Whoosh's token pipeline (one Token object per occurrence).
    """

    def __init__(self):
        super().__init__(formats.Frequency(), analyzer=None, scorable=True)

    def index(self, value, **kwargs):
        counts = index_terms(value) if value else {}
        for term, freq in counts.items():
            yield term.encode("utf-8"), freq, float(freq), pack_uint(freq)

    def self_parsing(self):
        return False


class FoldedList(fields.FieldType):
    """A list of exact values (tags, categories), folded like the text."""

    def __init__(self):
        super().__init__(formats.Existence(), analyzer=None)

    def index(self, value, **kwargs):
        values = value if isinstance(value, (list, tuple)) else [value]
        for term in dict.fromkeys(fold_value(v) for v in values if v):
            yield term.encode("utf-8"), 1, 1.0, b""

    def self_parsing(self):
        return False


def body_field(summary: str, tags, categories, body: str) -> str:
    """What the `body` field indexes: the summary, tags, categories and the text."""
    return "\n".join((summary, " ".join(tags), " ".join(categories), body))


def fold_value(value: str) -> str:
    """The form of a tag, category, language or source in the index and in a filter."""
    return " ".join(fold(value).split())


def build_schema() -> fields.Schema:
    return fields.Schema(
        path=fields.ID(stored=True, unique=True),
        title=GramText(),
        body=GramText(),
        tag=FoldedList(),
        category=FoldedList(),
        lang=FoldedList(),
        source=FoldedList(),
        date=fields.NUMERIC(int, bits=64, signed=True, sortable=True),
        meta=fields.STORED(),
    )
