"""The shape of a query: its terms, and how parentheses, `OR` and negation join them.

    a b              both (an implicit AND; `AND` may be written, it changes nothing)
    a OR b           either: OR binds tighter than the AND, `a OR b c` is (a OR b) c
    -a, NOT a        not a: NOT binds tighter than OR, `-a OR b` is (NOT a) OR b
    ( ... )          a group: `-(oil OR rates)`, `NOT (a b)`, `(a OR b) (c OR d)`

Parentheses are read as people type them, as an unmatched quote is: a `(` not
closed is closed at the end of the query (`(oil OR ga` while it is typed), a
`)` not opened is ignored, and an empty group `()` stands for nothing.  Inside a
quoted phrase a parenthesis is text (`"foo (bar)"`), and so is one that follows
a field name (`title:(a b)`: the term reports it, reader/index/query.py).
Groups nested deeper than MAX_DEPTH are a QueryError.

This module knows no field and no word: the terms (`Term`) are read by
reader/index/query.py, which also decides what a filter inside a group means.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_DEPTH = 32  # groups within groups (a deeper query is pasted junk, not a search)
_OPERATORS = ("OR", "AND", "NOT")


class NestingError(ValueError):
    """Groups nested deeper than MAX_DEPTH."""


@dataclass
class Term:
    """One word, phrase or field term as written (`-` taken off: a `not` above it)."""

    token: str
    quoted: bool
    end: int  # where it stops in the query


@dataclass
class Group:
    kind: str  # and, or, not
    items: list["Group | Term"] = field(default_factory=list)


def query_tree(query: str) -> Group:
    """The query as an AND of its clauses (see above)."""
    tokens = list(_tokens(query))
    tree, _ = _sequence(tokens, 0, 0)
    return tree


def _sequence(tokens: list[tuple[str, bool, int]], pos: int, depth: int) -> tuple[Group, int]:
    """The clauses from `pos` to the `)` that closes the group (or the end)."""
    clauses: list[list[Group | Term]] = []
    join = False
    while pos < len(tokens):
        token, quoted, _ = tokens[pos]
        if not quoted and token == ")":
            if depth:
                return _joined(clauses), pos + 1
            pos += 1  # never opened: ignored
            continue
        if not quoted and token in ("OR", "AND"):
            join = join or (token == "OR" and bool(clauses))
            pos += 1
            continue
        item, pos = _unit(tokens, pos, depth)
        if item is None:
            continue
        if join:
            clauses[-1].append(item)
        else:
            clauses.append([item])
        join = False
    return _joined(clauses), pos


def _joined(clauses: list[list["Group | Term"]]) -> Group:
    return Group("and", [c[0] if len(c) == 1 else Group("or", c) for c in clauses])


def _unit(tokens, pos: int, depth: int) -> tuple["Group | Term | None", int]:
    """A term or a group, with the negations before it; None for an empty group or a
    `NOT` with nothing after it."""
    negate = False
    while pos < len(tokens) and tokens[pos][:2] == ("NOT", False):
        negate, pos = True, pos + 1
    if pos >= len(tokens) or tokens[pos][:2] in ((")", False), ("OR", False), ("AND", False)):
        return None, pos
    token, quoted, end = tokens[pos]
    if not quoted and token == "-" and pos + 1 < len(tokens) and _glued(tokens, pos):
        negate, pos = True, pos + 1  # -( ... ) and -"a phrase"
        token, quoted, end = tokens[pos]
    if not quoted and token == "(":
        if depth >= MAX_DEPTH:
            raise NestingError(f"parentheses nested more than {MAX_DEPTH} deep")
        item, pos = _sequence(tokens, pos + 1, depth + 1)
        item = item.items[0] if len(item.items) == 1 else (item if item.items else None)
    else:
        if not quoted and token.startswith("-") and len(token) > 1:
            negate, token = True, token[1:]
        item, pos = Term(token, quoted, end), pos + 1
    if item is None or not negate:
        return item, pos
    return Group("not", [item]), pos


def _glued(tokens, pos: int) -> bool:
    """Whether the `-` at `pos` touches the group or phrase that follows it."""
    token, quoted, end = tokens[pos + 1]
    start = end - len(token) - (2 if quoted else 0)
    return (quoted or token == "(") and start == tokens[pos][2]


def _tokens(query: str):
    """(token, quoted, end) triples, `end` where the token stops in the query; `(` and
    `)` are tokens of their own outside quotes (but after `name:`); `field:"quoted
    value"` stays one token."""
    i, n = 0, len(query)
    while i < n:
        if query[i].isspace():
            i += 1
            continue
        if query[i] == '"':
            end = query.find('"', i + 1)
            if end < 0:  # unbalanced: the quote is ignored, the rest read as typed
                i += 1
                continue
            yield query[i + 1:end], True, end + 1
            i = end + 1
            continue
        if query[i] in "()":
            yield query[i], False, i + 1
            i += 1
            continue
        j = i
        while j < n and not query[j].isspace() and query[j] != '"' and \
                (query[j] not in "()" or (query[j] == "(" and query[j - 1] == ":")):
            j += 1
        token = query[i:j]
        if token.endswith(":") and j < n and query[j] == '"' and query.find('"', j + 1) > 0:
            end = query.find('"', j + 1)
            token, j = token + query[j + 1:end], end + 1
        yield token, False, j
        i = j
