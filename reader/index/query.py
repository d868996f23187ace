"""Our query language, parsed into a text tree (what to find) and filters.

    words            all must match          "quoted phrase"   exact sequence
    a OR b           either                  -word, NOT word   must not match
    prefix*          words starting so       title:word        in the title only
    tag:x  category:x (cat:x)  lang:x  source:x               metadata filters
    after:YYYY-MM-DD  before:YYYY-MM-DD  date:YYYY[-MM[-DD]]   dates (archive timezone)
    is:read  is:unread  is:starred                             reading state
    is:new  added:D  added:>D >=D <D <=D  added:D..D           first seen by the reader

`OR` binds tighter than the implicit AND: `a OR b c` is `(a OR b) AND c`; NOT
binds tighter still.  Parentheses group (`-(oil OR rates)`, `(a OR b) lang:en`):
how they are read, unbalanced or empty, is reader/index/query_tree.py's.  A
filter ANDed with the rest applies to the whole query, wherever it is written;
filters ORed with each other are one filter of any of them (`(lang:en OR
lang:zh-CN)`: field "any"); a filter ORed with words, or a negated group of a
filter and something else, is a QueryError, as is an is: term or `added:` in an
OR.  An unmatched `"` is ignored (the
words after it are searched as typed).  A boost or fuzzy suffix of other search
engines (`word^2`, `word~1`) is dropped: the plain word is searched.  A date
range runs to the end of time when its end would be past 9999-12-31.

`is:new` and `added:` are not in the index: they are answered by the reader's
visits (reader/state/visits.py) through the reading state the search is given,
as `is:read` is.  `added:` takes the date forms of `date:` (a year, a month, a
day) and `today`, `yesterday`; `>D`, `>=D`, `<D`, `<=D` compare with such a
span (`>2026-11` is from December on), and `A..B` runs from A's first day to
B's last (either end may be left out).
`QueryError` says, in one line, what is wrong with a malformed query: a field
with no value, a field's value in parentheses (`title:(a b)`: it was searched as
`title:a b`), a `*` with no word before it (it meant
nothing to the index but everything to an empty search box: refused everywhere).

`typing=True` reads the query as the reader's search box holds it while it is
typed: its last word, when nothing follows it (no space, no closing quote), is
a prefix (`nvid` finds `nvidia`, as `nvid*` would) once it has
`TYPING_PREFIX_MIN` letters: one or two letters as a prefix match most of an
archive (`n*`: 89% of 100,000 articles) and cost seconds to expand, while as
words they find what people type them for (`AI`, `EU`).  Only a Latin word
becomes a prefix: a half-typed Chinese word is already found by its
characters and pairs.  A filter value (`tag:`, `after:` ...), a negated word
(`-cryp` excludes only `cryp` until the word is finished, so the list does not
shrink on every letter) and an operator are left whole; an unclosed quote
searches its words, the last as a prefix, until the quote is closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from functools import reduce

from reader.index.analysis import TOKEN, cjk_terms, fold, is_cjk, query_tokens, stem
from reader.index.query_dates import DateError, added_range, date_range
from reader.index.query_tree import Group, NestingError, Term, query_tree
from reader.index.regional import regional_forms
from reader.index.schema import fold_value

TEXT_FIELDS = ("title", "body")
FILTERS = {"tag": "tag", "category": "category", "cat": "category", "lang": "lang",
           "source": "source"}
DATE_FILTERS = ("after", "before", "date")
STATES = ("read", "unread", "starred")
SIGHTINGS = ("new", "added")  # Filter fields the reading state answers (its visits)
FIELD_NAMES = ("title", *FILTERS, *DATE_FILTERS, "added", "is")  # name:value, the value
# required
_FIELD = re.compile(r"([A-Za-z]+):(.*)", re.S)
_BOOST_OR_FUZZY = re.compile(r"(?<=\S)[~^][0-9]+(?:\.[0-9]+)?$")  # word^2, word~1
TYPING_PREFIX_MIN = 3  # letters a word being typed needs to be taken as a prefix


class QueryError(ValueError):
    """A malformed query; the message is short enough for a status line."""


@dataclass
class Node:
    """A node of the text tree: kind is word, prefix, run, phrase, and, or, not."""

    kind: str
    text: str = ""
    fields: tuple[str, ...] = TEXT_FIELDS
    children: list["Node"] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        """Whether the index answers this node exactly (else the text is checked)."""
        if self.kind in ("and", "or", "not"):
            return all(c.exact for c in self.children)
        if self.kind == "run":
            return len(self.text) <= 2
        if self.kind == "phrase":
            return False
        return True


@dataclass(frozen=True)
class Filter:
    field: str  # tag, category, lang, source, date; new, added (SIGHTINGS); any
    value: object  # folded string, (start, end) epoch seconds for dates (None for new),
    # the Filters of which one must hold for "any" (`(lang:en OR lang:zh-CN)`)
    negated: bool = False
    moving: bool = False  # its span moves with the clock (added:today)


@dataclass
class ParsedQuery:
    text: Node | None = None  # None: every article (filters only)
    filters: list[Filter] = field(default_factory=list)
    states: list[tuple[str, bool]] = field(default_factory=list)  # (read|unread|starred, negated)
    highlights: list[str] = field(default_factory=list)
    paths: frozenset[str] | None = None  # None: any article; else only these (a Scope's)

    @property
    def empty(self) -> bool:
        return self.text is None and not self.filters and not self.states and \
            self.paths is None

    @property
    def needs_state(self) -> bool:
        """Whether the reading state answers a term (is:, added:)."""
        return bool(self.states) or any(f.field in SIGHTINGS for f in self.filters)


@dataclass(frozen=True)
class Scope:
    """What a search is narrowed to besides its query (the reader's tree group), handed
    to the index as it is, never written as a query and parsed back: field filters
    (`Filter("source", fold_value(name))`), reading states (("unread", False)), a text
    tree that must match too (a saved search's, parsed once), and a set of paths (a
    group that holds its members: each path is looked up in the index, about 0.1 ms
    once per searcher, so only for small sets)."""

    filters: tuple[Filter, ...] = ()
    states: tuple[tuple[str, bool], ...] = ()
    paths: frozenset[str] | None = None
    text: Node | None = None

    def narrow(self, parsed: ParsedQuery) -> ParsedQuery:
        """`parsed` with this scope's filters, states, text and paths too."""
        paths = self.paths
        if parsed.paths is not None:
            paths = parsed.paths if paths is None else parsed.paths & paths
        return ParsedQuery(_both(parsed.text, self.text), [*parsed.filters, *self.filters],
                           [*parsed.states, *self.states], parsed.highlights, paths)


def _both(first: Node | None, second: Node | None) -> Node | None:
    """Both text trees must match: one AND of their parts (a prefix stays at the top,
    where the searcher takes it as a filter)."""
    if first is None or second is None:
        return first if second is None else second
    parts = [c for n in (first, second) for c in (n.children if n.kind == "and" else [n])]
    return Node("and", children=parts)


def parse_query(query: str, tz: tzinfo, typing: bool = False) -> ParsedQuery:
    """The query parsed; `typing`: its last word is a prefix unless ended (see above)."""
    parsed = ParsedQuery()
    try:
        tree = query_tree(query)
    except NestingError as exc:
        raise QueryError(str(exc)) from None
    open_end = len(query) if typing and not query.endswith('"') else -1
    part = _Terms(parsed, tz, open_end).part(tree)
    parsed.text, parsed.filters, parsed.states = part.text, part.filters, part.states
    return parsed


@dataclass
class _Part:
    """What a term or a group asks: a text tree, and filters and states that must hold
    too (as a ParsedQuery's)."""

    text: Node | None = None
    filters: list[Filter] = field(default_factory=list)
    states: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.text is None and not self.filters and not self.states

    @property
    def words_only(self) -> bool:
        return self.text is not None and not self.filters and not self.states


class _Terms:
    """Reads the terms of a query's tree (reader/index/query_tree.py) into parts."""

    def __init__(self, parsed: ParsedQuery, tz: tzinfo, open_end: int) -> None:
        self.parsed, self.tz, self.open_end = parsed, tz, open_end

    def part(self, item: Group | Term, negated: bool = False) -> _Part:
        if isinstance(item, Term):
            return self.term(item, negated)
        if item.kind == "not":
            return _negated(self.part(item.items[0], True))
        parts = [p for p in (self.part(i, negated) for i in item.items) if not p.empty]
        return _all_of(parts) if item.kind == "and" else _either(parts)

    def term(self, term: Term, negated: bool) -> _Part:
        """One word, phrase or field term (`negated`: under a NOT, so neither
        highlighted nor a prefix while typed)."""
        token, quoted = term.token, term.quoted
        match = None if quoted else _FIELD.fullmatch(token)
        name = match.group(1).lower() if match else ""
        fields = TEXT_FIELDS
        if name in FIELD_NAMES:
            value = match.group(2).strip().strip('"')
            if not value:
                raise QueryError(f"{name}: needs a value")
            if value.startswith("(") and not quoted:
                raise QueryError(f"{name}:( … ): a field takes one word or \"phrase\"; "
                                 f"give each word its own {name}: ({name}:a OR {name}:b)")
            if name != "title":
                return _filter_part(name, value, self.tz)
            token, fields = match.group(2), ("title",)
        if not quoted:
            token = _BOOST_OR_FUZZY.sub("", token)
            if token and not token.strip("*"):
                raise QueryError("* alone is not a query: it ends a word to find every word "
                                 "that starts so (tech*); every article is the All group")
        open_end = not quoted and not negated and term.end == self.open_end
        node = _text_node(token, quoted, fields, open_end)
        if node is not None and not negated:
            self.parsed.highlights.extend([token.strip()] if quoted else _highlights(token))
        return _Part(node)


def _all_of(parts: list[_Part]) -> _Part:
    """AND: every part's text (one AND of them), filters and states."""
    return _Part(reduce(_both, (p.text for p in parts), None),
                 [f for p in parts for f in p.filters], [s for p in parts for s in p.states])


def _either(parts: list[_Part]) -> _Part:
    """OR of words and groups of words, or of filters (one filter of any of them)."""
    if len(parts) <= 1:
        return parts[0] if parts else _Part()
    if all(p.words_only for p in parts):
        return _Part(Node("or", children=[p.text for p in parts]))
    if any(p.states for p in parts):
        raise QueryError("is: terms cannot be ORed (write each search apart)")
    if all(p.text is None and len(p.filters) == 1 for p in parts):
        return _Part(filters=[Filter("any", tuple(
            c for p in parts for c in _alternatives(p.filters[0])))])
    raise QueryError("a filter can be ORed only with filters: (lang:en OR lang:zh-CN)")


def _alternatives(f: Filter) -> tuple[Filter, ...]:
    """The filters an OR takes from one of its parts: an OR of filters is merged."""
    if f.field in SIGHTINGS:
        raise QueryError("is:new and added: cannot be ORed (write each search apart)")
    return f.value if f.field == "any" and not f.negated else (f,)


def _negated(part: _Part) -> _Part:
    """NOT: of words and groups of words, of one filter or of one is: term."""
    if part.empty:
        return part
    if part.words_only:
        text = part.text
        return _Part(text.children[0] if text.kind == "not" else Node("not", children=[text]))
    if part.text is None and len(part.filters) + len(part.states) == 1:
        if part.filters:
            return _Part(filters=[replace(part.filters[0], negated=not part.filters[0].negated)])
        name, negated = part.states[0]
        return _Part(states=[(name, not negated)])
    raise QueryError("a negated group holds words or one filter, not both: "
                     "-(a OR b) -lang:en")


def _text_node(token: str, quoted: bool, fields: tuple[str, ...], open_end: bool = False
               ) -> Node | None:
    folded = fold(token)
    if quoted:
        pieces = query_tokens(folded)
        if len(pieces) > 1:
            return _any_of("phrase", " ".join(TOKEN.findall(folded)), fields)
        return _word_node(pieces[0], False, fields) if pieces else None
    pieces = query_tokens(folded)
    prefix = folded.endswith("*") or \
        (open_end and bool(pieces) and len(pieces[-1]) >= TYPING_PREFIX_MIN)
    nodes = [_word_node(p, prefix and i == len(pieces) - 1, fields)
             for i, p in enumerate(pieces)]
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else Node("and", children=nodes)


def _word_node(piece: str, prefix: bool, fields: tuple[str, ...]) -> Node:
    if is_cjk(piece):
        return _any_of("run", piece, fields)
    return Node("prefix" if prefix else "word", piece, fields)


def _any_of(kind: str, text: str, fields: tuple[str, ...]) -> Node:
    """The run or phrase in any region's words (软件 also finds 軟體: see regional.py)."""
    nodes = [Node(kind, form, fields) for form in regional_forms(text)]
    return nodes[0] if len(nodes) == 1 else Node("or", children=nodes)


def _highlights(token: str) -> list[str]:
    token = token.split(":", 1)[1] if _FIELD.fullmatch(token) else token
    words = [w.strip("*") for w in token.split()]
    return [w for w in words if w]


def _filter_part(name: str, value: str, tz) -> _Part:
    if name == "is":
        state = value.lower()
        if state == "new":
            return _Part(filters=[Filter("new", None)])
        if state not in STATES:
            raise QueryError(f"is:{value}: use is:read, is:unread, is:starred or is:new")
        return _Part(states=[(state, False)])
    try:
        if name == "added":
            span, moving = added_range(value, tz)
            return _Part(filters=[Filter("added", span, False, moving)])
        if name in DATE_FILTERS:
            return _Part(filters=[Filter("date", date_range(name, value, tz))])
    except DateError as exc:
        raise QueryError(str(exc)) from None
    return _Part(filters=[Filter(FILTERS[name], fold_value(value))])


def phrase_terms(node: Node) -> list[str]:
    """The index terms every article containing the phrase must have."""
    terms: list[str] = []
    for piece in query_tokens(node.text):
        terms.extend(cjk_terms(piece) if is_cjk(piece) else [stem(piece)])
    return list(dict.fromkeys(terms))
