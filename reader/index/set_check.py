"""The text check of a hit set's open candidates (reader/index/hit_sets.py), cheaper than
a listing's and with exactly its answers (reader/index/matching.py `matches`).

At 100k articles a saved search of a phrase or a long CJK run reads and checks
thousands of files, most of the time in folding each text (NFKC, OpenCC, case) and
splitting it into tokens.  These make it cheaper, none changing an answer (the
listing's check is `matches`; this module only answers some leaves first):

- an exact leaf (a word, a prefix, a run of one or two characters) is answered by
  the index's documents of it, never by folding and tokenizing the text;
- an inexact leaf's answer for a document is kept per segment (and across runs:
  reader/index/kept_checks.py), so a candidate is read once, not at every start;
- each AND and OR asks its cheapest parts first (an exact leaf is a set lookup, a run
  a substring test, a phrase folds and tokenizes the whole text), so `"federal reserve" OR 美联储`
  seldom folds an article that says 美联储;
- the file is read only when the title and then the stored summary, tags and
  categories (the body field's first part) leave the answer open;
- a phrase of ASCII words found as written (in its usual cases) between ASCII
  characters that are not letters or digits is found: folding leaves such a
  stretch as it is, but for case;
- otherwise a phrase is looked for in the folded text with a pattern of its tokens
  (the separators a tokenized text turns into one space, or nothing between a CJK
  run and a word) rather than in the text tokenized and joined again.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Callable

from reader.index.analysis import CJK_CHARS, is_cjk
from reader.index.kept_checks import KeptChecks, leaf_key
from reader.index.matching import ArticleText, matches
from reader.index.query import Node
from reader.index.results import checked_text
from reader.index.schema import body_field
from reader.lazy_re import lazy

_WORD_CHAR = rf"[^\W{CJK_CHARS}_]"  # a letter or digit of a word (not a CJK character)
_WORD = lazy(_WORD_CHAR)
_CJK = lazy(f"[{CJK_CHARS}]")
_COST = {"run": 1, "phrase": 2}  # an exact leaf costs 0: a set lookup


class TextCheck:
    """Whether a candidate (by docnum) matches `node` by its text.  Each leaf is
    answered by the cheapest means at hand: an exact one (a word, a prefix, a short
    run) by the index's documents of it (`exact_docs`), an inexact one (a long run, a
    phrase) by the answers kept for its segment (reader/index/kept_checks.py), else by
    the text: the stored title and summary first, the file read only when they leave
    it open (a third of 特朗普's hits at 100k read no file).  A candidate whose leaves
    are all answered so reads no stored field either."""

    def __init__(self, node: Node, root: Path | None, exact_docs: Callable[[Node], set[int]],
                 stored: Callable[[int], dict], locate: Callable[[int], tuple[str, int]],
                 kept: KeptChecks) -> None:
        self.node = cheap_first(node)
        self.root, self.exact_docs, self.stored, self.locate = root, exact_docs, stored, locate
        self.kept = kept
        self._exact: dict[int, set[int]] = {}  # id(leaf) -> its documents
        self._answers: dict[tuple[int, str], dict[int, bool]] = {}  # (id(leaf), segment)

    def __call__(self, docnum: int) -> bool:
        segment, local = self.locate(docnum)
        doc: ArticleText | None = None

        def leaf(node: Node, _doc) -> bool:
            nonlocal doc
            if node.exact:
                return docnum in self._docs_of(node)
            answers = self._answers_of(node, segment)
            known = answers.get(local)
            if known is None:
                doc = doc or self._article(docnum)
                known = answers[local] = matches(node, doc, _leaf)
                self.kept.changed()
            return known

        return matches(self.node, None, leaf)

    def _docs_of(self, node: Node) -> set[int]:
        docs = self._exact.get(id(node))
        if docs is None:
            docs = self._exact[id(node)] = self.exact_docs(node)
        return docs

    def _answers_of(self, node: Node, segment: str) -> dict[int, bool]:
        key = (id(node), segment)
        answers = self._answers.get(key)
        if answers is None:
            answers = self._answers[key] = self.kept.of(leaf_key(node), segment)
        return answers

    def _article(self, docnum: int) -> ArticleText:
        """The article's title, its body read from the file on first use."""
        stored = self.stored(docnum)
        meta, root = stored.get("meta") or {}, self.root
        doc = ArticleText(meta.get("title", ""), "")
        doc.raw = _LazyBody(meta, lambda: checked_text(root, stored) if root else "")
        return doc


def cheap_first(node: Node) -> Node:
    """The same tree with each AND's and OR's parts in order of cost."""
    if not node.children:
        return node
    children = sorted(map(cheap_first, node.children), key=_cost)
    return replace(node, children=children if node.kind != "not" else node.children)


def _cost(node: Node) -> int:
    if node.children:
        return max(map(_cost, node.children))
    return 0 if node.exact else _COST.get(node.kind, 2)


def _leaf(node: Node, doc: ArticleText) -> bool | None:
    """A run's or phrase's answer where this module has a cheaper one (None: not)."""
    kind = node.kind
    if kind == "run" and "body" in node.fields and node.text in doc.raw.stored_part:
        return True  # in the summary, tags or categories: in the body field as written
    phrase = _phrase(node.text) if kind == "phrase" else None
    if phrase is None:
        return None
    if "body" in node.fields and phrase.as_written(doc.raw.stored_part):
        return True
    return any(phrase.as_written(doc.raw[f]) or phrase.folded(doc.folded(f))
               for f in node.fields)


class _Phrase:
    """A phrase's tokens (its text as `matches` takes it: the folded query's tokens joined
    by spaces), found as `matches` finds them in a text's tokens joined by spaces: from a
    token's start when the phrase starts with an ASCII letter or digit, to a token's end
    when it ends with one."""

    def __init__(self, needle: str):
        tokens = needle.split(" ")
        parts = [re.escape(tokens[0])]
        for before, token in zip(tokens, tokens[1:]):
            parts.append(r"[\W_]+" if is_cjk(before) == is_cjk(token) else r"[\W_]*")
            parts.append(re.escape(token))
        right = f"(?!{_WORD_CHAR})" if _ascii_alnum(needle[-1]) else ""
        self._pattern = re.compile("".join(parts) + right)  # a literal first: a fast search
        self._left = _ascii_alnum(needle[0])
        words = needle.isascii() and all(_ascii_alnum(c) or c == " " for c in needle)
        self._written = tuple(dict.fromkeys((needle, needle.capitalize(), needle.title(),
                                             needle.upper()))) if words else ()

    def folded(self, text: str) -> bool:
        return any(not self._left or m.start() == 0 or _WORD.match(text, m.start() - 1) is None
                   for m in self._pattern.finditer(text))

    def as_written(self, text: str) -> bool:
        """Found in the text as it is, in one of its usual cases, between ASCII characters
        that are not letters or digits: folding leaves such a stretch as it is but for
        case (a sufficient test: False says nothing)."""
        for form in self._written:
            at = text.find(form)
            while at >= 0:
                end = at + len(form)
                if _ascii_other(text, at - 1) and _ascii_other(text, end):
                    return True
                at = text.find(form, at + 1)
        return False


@lru_cache(maxsize=256)
def _phrase(needle: str) -> _Phrase | None:
    """None: a text this module does not read as tokens (left to `matches`)."""
    tokens = needle.split(" ")
    if not all(tokens) or any(not is_cjk(t) and _CJK.search(t) for t in tokens):
        return None
    return _Phrase(needle)


def _ascii_other(text: str, at: int) -> bool:
    """Whether text[at] is outside the text or an ASCII character not a letter or digit."""
    return not 0 <= at < len(text) or (text[at].isascii() and not text[at].isalnum())


def _ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


class _LazyBody(dict):
    """ArticleText's raw fields, the body read on first use; `stored_part`: the body
    field's part the index stored (summary, tags, categories: `body_field`'s first
    lines), which a run or phrase found as written there is found in."""

    def __init__(self, meta: dict, body: Callable[[], str]):
        super().__init__(title=meta.get("title", ""))
        self.stored_part = body_field(meta.get("summary", ""), meta.get("tags", ()),
                                      meta.get("categories", ()), "")
        self._body = body

    def __missing__(self, key: str) -> str:
        value = self[key] = self._body() if key == "body" else ""
        return value
