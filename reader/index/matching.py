"""A parsed query as Whoosh queries, and the check of an article's text that makes
CJK runs of three or more characters and phrases exact.

The index holds characters and character pairs, so `英伟达` is looked up as
`英伟 AND 伟达`; an article with both pairs apart is a candidate that
the check (`matches`) rejects by finding the run (or the phrase, token by
token) in the article's folded text: its title, and its summary, tags,
categories and body as indexed (never the raw front matter).
"""

from __future__ import annotations

from whoosh import query as wq

from reader.index.analysis import WORD, fold, glued_parts, nfkc, normalized, stem
from reader.index.query import Filter, Node, phrase_terms
from reader.index.schema import TITLE_BOOST

_BOOST = {"title": TITLE_BOOST, "body": 1.0}


def to_whoosh(node: Node) -> wq.Query | None:
    """The Whoosh query for a node: a superset of its matches when the node is not exact.

    None means no constraint at all: a negated inexact node (`-英伟达`: an article
    with both pairs apart must not be excluded) is left to the text check."""
    kind = node.kind
    if kind == "and":
        parts = [q for q in map(to_whoosh, node.children) if q is not None]
        return conjunction(parts) if parts else None
    if kind == "or":
        parts = [to_whoosh(c) for c in node.children]
        return None if None in parts else wq.Or(parts)
    if kind == "not":
        child = node.children[0]
        return wq.Not(to_whoosh(child)) if child.exact else None
    if kind == "prefix":
        return wq.Or([wq.Prefix(f, node.text, boost=_BOOST[f]) for f in node.fields])
    terms = phrase_terms(node) if kind in ("run", "phrase") else [node.text]
    per_field = [_all_terms(f, terms) for f in node.fields]
    return per_field[0] if len(per_field) == 1 else wq.Or(per_field)


def _all_terms(fieldname: str, terms: list[str]) -> wq.Query:
    boost = _BOOST[fieldname]
    parts = [wq.Term(fieldname, t, boost=boost) for t in terms]
    return parts[0] if len(parts) == 1 else wq.And(parts)


def conjunction(parts: list[wq.Query]) -> wq.Query:
    """AND of the parts, with negated parts subtracted (AndNot) rather than scanned."""
    positive = [p for p in parts if not isinstance(p, wq.Not)]
    negative = [p.query for p in parts if isinstance(p, wq.Not)]
    base = wq.And(positive) if len(positive) > 1 else (positive[0] if positive else wq.Every())
    if not negative:
        return base
    return wq.AndNot(base, negative[0] if len(negative) == 1 else wq.Or(negative))


def filter_query(f: Filter) -> wq.Query:
    """The Whoosh query of a filter (negation aside, but for the parts of an "any")."""
    if f.field == "any":
        return wq.Or([wq.Not(filter_query(c)) if c.negated else filter_query(c)
                      for c in f.value])
    if f.field == "date":
        start, end = f.value
        return wq.NumericRange("date", start, None if end is None else end - 1)
    if f.field == "lang" and "-" not in f.value:
        return wq.Or([wq.Term("lang", f.value), wq.Prefix("lang", f.value + "-")])
    return wq.Term(f.field, f.value)


class ArticleText:
    """One article's text by field, folded and tokenized only as far as a check needs."""

    def __init__(self, title: str, body: str):
        self.raw = {"title": title, "body": body}
        self._folded: dict[str, str] = {}
        self._norm: dict[str, str] = {}
        self._stems: dict[str, set[str]] = {}

    @classmethod
    def of_title(cls, title: str, folded: str) -> "ArticleText":
        """An article known by its title only (`folded`: as fold() gives it)."""
        text = cls(title, "")
        text._folded["title"] = folded
        return text

    def folded(self, fieldname: str) -> str:
        if fieldname not in self._folded:
            self._folded[fieldname] = fold(self.raw[fieldname])
        return self._folded[fieldname]

    def norm(self, fieldname: str) -> str:
        if fieldname not in self._norm:
            self._norm[fieldname] = normalized(self.folded(fieldname))
        return self._norm[fieldname]

    def stems(self, fieldname: str) -> set[str]:
        if fieldname not in self._stems:
            words = WORD.findall(self.folded(fieldname)) + glued_parts(nfkc(self.raw[fieldname]))
            self._stems[fieldname] = {stem(w) for w in words}
        return self._stems[fieldname]


def matches(node: Node, doc: ArticleText, leaf=None) -> bool:
    """Whether the article's text satisfies the node, exactly; `leaf(node, doc)`, when
    given, answers for a word, run or phrase first (None: it cannot tell)."""
    kind = node.kind
    if kind == "and":
        return all(matches(c, doc, leaf) for c in node.children)
    if kind == "or":
        return any(matches(c, doc, leaf) for c in node.children)
    if kind == "not":
        return not matches(node.children[0], doc, leaf)
    known = None if leaf is None else leaf(node, doc)
    if known is not None:
        return known
    return any(_field_matches(node, doc, f) for f in node.fields)


def _field_matches(node: Node, doc: ArticleText, fieldname: str) -> bool:
    if node.kind == "run":  # as written (most often), else folded
        return node.text in doc.raw[fieldname] or node.text in doc.folded(fieldname)
    if node.kind == "word":
        return node.text in doc.stems(fieldname)
    if node.kind == "prefix":
        return any(w.startswith(node.text) for w in doc.stems(fieldname)) or \
            f" {node.text}" in f" {doc.norm(fieldname)}"
    text, needle = doc.norm(fieldname), node.text
    left = " " if needle[:1].isalnum() and needle[:1].isascii() else ""
    right = " " if needle[-1:].isalnum() and needle[-1:].isascii() else ""
    return f"{left}{needle}{right}" in f" {text} "
