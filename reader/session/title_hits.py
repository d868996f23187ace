"""A query's hits among articles known by their titles only (those not indexed yet).

While the first index is built, a search takes the index's hits among the articles
it holds and these among the rest (reader/session/search.py), so that a word
found in titles before the index existed is never lost while it grows.  The
query is the one the index reads (reader/index/query.py), checked against the
title alone with the index's own text check (`matches`: folded as the index folds
text, NFKC, traditional to simplified and case; words as whole words, the last
one typed as a prefix; OR, phrases and `title:`), so an article found by its title
is still found once it is indexed.  A word that must not be there (`-word`) would
only be looked for in the title, and the article, once indexed, could leave the
hits by its body: a query that excludes a word the body may hold (`excludes_words`)
has no title hits at all, so the hits only ever grow with the index.  Filters and reading states are decided from
the article's record and the marks as the index decides them (`source:`, `lang:`,
`tag:`, `category:`, dates: reader/session/rule_match.py; `is:` and `added:` from
the reading state), and so is the tree group's scope.

Cheap first: the folded titles are scanned at C speed for what a match must
contain (`needles`), and only those candidates are checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

from reader.archive.model import Article
from reader.index.matching import ArticleText, matches
from reader.index.query import SIGHTINGS, Filter, Node, ParsedQuery
from reader.session.rule_match import filter_mask

Row = tuple[str, str]  # (path, folded title)
Test = Callable[[Sequence[Article]], Iterable[bool]]
CANCEL_EVERY = 512  # candidates checked between two questions to `cancelled`


@dataclass(frozen=True)
class TitleHits:
    """The hits newest first; `total`: every hit, `exact` False when candidates were left
    unchecked (then `total` counts them, and `last` is the newest of them: only hits
    newer than it are known to be all there)."""

    paths: list[str]
    total: int
    exact: bool = True
    last: str | None = None


def title_hits(rows: Sequence[Row], parsed: ParsedQuery, by_path: Mapping[str, Article],
               state, limit: int = 0, checks: int = 0,
               cancelled: Callable[[], bool] = lambda: False) -> TitleHits | None:
    """The hits of `parsed` (the scope applied) among `rows` (newest first): all of them,
    or the first `limit`, checking at most `limit + checks` candidates.  None when
    cancelled."""
    for clause in needles(parsed.text):
        rows = _containing(rows, clause)
        if cancelled():
            return None
    articles = [by_path[p] for p, _ in rows if p in by_path]
    folded = {p: t for p, t in rows}
    for test in record_tests(parsed, state):
        articles = [a for a, kept in zip(articles, test(articles)) if kept]
    if parsed.text is None:
        return TitleHits([a.path for a in articles], len(articles))
    found: list[str] = []
    budget = limit + checks if limit > 0 else len(articles)
    for done, article in enumerate(articles):
        if done == budget or (limit > 0 and len(found) >= limit):
            return TitleHits(found, len(found) + len(articles) - done, False, article.path)
        if done % CANCEL_EVERY == 0 and cancelled():
            return None
        if matches(parsed.text, ArticleText.of_title(article.title, folded[article.path])):
            found.append(article.path)
    return TitleHits(found, len(found))


def _containing(rows: Sequence[Row], clause: tuple[str, ...]) -> list[Row]:
    if len(clause) == 1:
        needle = clause[0]
        return [row for row in rows if needle in row[1]]
    return [row for row in rows if any(n in row[1] for n in clause)]


def needles(node: Node | None) -> list[tuple[str, ...]]:
    """What a folded title must contain to match `node`: clauses of which every one must
    hold, each met by any of its strings."""
    if node is None:
        return []
    if node.kind == "and":
        return [clause for child in node.children for clause in needles(child)]
    if node.kind == "or":
        firsts = [needles(child)[:1] for child in node.children]
        if not all(firsts):
            return []
        return [tuple(dict.fromkeys(n for first in firsts for n in first[0]))]
    if node.kind == "not" or "title" not in node.fields:
        return []
    text = node.text.split(" ", 1)[0] if node.kind == "phrase" else node.text
    if node.kind in ("word", "prefix") and text.endswith("y"):
        text = text[:-1]  # the stem of "companies" is "company"
    return [(text,)] if text else []


def excludes_words(node: Node | None) -> bool:
    """Whether `node` has a negated clause (at any depth) that reads more than the title:
    its title hits could lose an article once its body is read too."""
    if node is None:
        return False
    if node.kind == "not":
        return any(_reads_body(child) for child in node.children)
    return any(excludes_words(child) for child in node.children)


def _reads_body(node: Node) -> bool:
    if node.kind in ("and", "or", "not"):
        return any(_reads_body(child) for child in node.children)
    return node.fields != ("title",)


def record_tests(parsed: ParsedQuery, state) -> list[Test]:
    """The tests of the query's filters, reading states and paths on the records."""
    tests: list[Test] = [_filter_test(f, state) for f in parsed.filters]
    for name, negated in parsed.states:
        marked = state.starred_set() if name == "starred" else state.read_set()
        tests.append(_in_set(marked, (name == "unread") != negated))
    if parsed.paths is not None:
        tests.append(_in_set(parsed.paths, False))
    return tests


def _filter_test(f: Filter, state) -> Test:
    if f.field in SIGHTINGS:
        paths = state.new_set() if f.field == "new" else state.added_between(*f.value)
        return _in_set(paths, f.negated)
    mask = filter_mask(f)
    return mask if mask is not None else (lambda articles: [False] * len(articles))


def _in_set(paths, outside: bool) -> Test:
    """Whether each article is in `paths` (`outside`: is not)."""
    if outside:
        return lambda articles: [a.path not in paths for a in articles]
    return lambda articles: [a.path in paths for a in articles]
