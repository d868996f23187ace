"""Our query language, parsed into a text tree (what to find) and filters.

    words            all must match          "quoted phrase"   exact sequence
    a OR b           either                  -word, NOT word   must not match
    prefix*          words starting so       title:word        in the title only
    tag:x  category:x (cat:x)  lang:x  source:x               metadata filters
    after:YYYY-MM-DD  before:YYYY-MM-DD  date:YYYY[-MM[-DD]]   dates (archive timezone)
    is:read  is:unread  is:starred                             reading state
    is:new  added:D  added:>D >=D <D <=D  added:D..D           first seen by the reader

`OR` binds tighter than the implicit AND: `a OR b c` is `(a OR b) AND c`.
Filters always apply to the whole query.  An unmatched `"` is ignored (the
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
with no value, a field's value in parentheses (`title:(a b)`: parentheses do not
group, so it was searched as `title:a b`), a `*` with no word before it (it meant
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

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from reader.index.analysis import TOKEN, cjk_terms, fold, is_cjk, query_tokens, stem
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
_YEAR_OR_MONTH = re.compile(r"([0-9]{1,4})(?:-([0-9]{1,2}))?")  # date:YYYY, date:YYYY-MM


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


@dataclass
class Filter:
    field: str  # tag, category, lang, source, date; new, added (SIGHTINGS)
    value: object  # folded string, or (start, end) epoch seconds for dates (None for new)
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
    groups: list[list[Node]] = []
    negate, join_next = False, False
    for token, quoted, end in _tokens(query):
        if not quoted and token in ("OR", "AND", "NOT"):
            negate = negate or token == "NOT"
            join_next = join_next or (token == "OR" and bool(groups))
            continue
        if not quoted and token.startswith("-") and len(token) > 1:
            negate, token = True, token[1:]
        open_end = typing and not quoted and not negate and end == len(query) and \
            not query.endswith('"')
        node = _clause(token, quoted, negate, parsed, tz, open_end)
        if node is not None:
            if join_next and not negate:
                groups[-1].append(node)
            else:
                groups.append([node])
        negate, join_next = False, False
    clauses = [g[0] if len(g) == 1 else Node("or", children=g) for g in groups]
    if clauses:
        parsed.text = clauses[0] if len(clauses) == 1 else Node("and", children=clauses)
    return parsed


def _tokens(query: str):
    """(token, quoted, end) triples, `end` where the token stops in the query;
    `field:"quoted value"` stays one token."""
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
        j = i
        while j < n and not query[j].isspace() and query[j] != '"':
            j += 1
        token = query[i:j]
        if token.endswith(":") and j < n and query[j] == '"' and query.find('"', j + 1) > 0:
            end = query.find('"', j + 1)
            token, j = token + query[j + 1:end], end + 1
        yield token, False, j
        i = j


def _clause(token: str, quoted: bool, negate: bool, parsed: ParsedQuery, tz,
            open_end: bool = False) -> Node | None:
    match = None if quoted else _FIELD.fullmatch(token)
    name = match.group(1).lower() if match else ""
    fields = TEXT_FIELDS
    if name in FIELD_NAMES:
        value = match.group(2).strip().strip('"')
        if not value:
            raise QueryError(f"{name}: needs a value")
        if value.startswith("(") and not quoted:
            raise QueryError(f"{name}:( … ): parentheses do not group words here; give each "
                             f"word its own {name}: ({name}:a {name}:b)")
        if name != "title":
            _add_filter(parsed, name, value, negate, tz)
            return None
        token, fields = match.group(2), ("title",)
    if not quoted:
        token = _BOOST_OR_FUZZY.sub("", token)
        if token and not token.strip("*"):
            raise QueryError("* alone is not a query: it ends a word to find every word "
                             "that starts so (tech*); every article is the All group")
    node = _text_node(token, quoted, fields, open_end)
    if node is None:
        return None
    if not negate:
        parsed.highlights.extend([token.strip()] if quoted else _highlights(token))
    return Node("not", children=[node]) if negate else node


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


def _add_filter(parsed: ParsedQuery, name: str, value: str, negate: bool, tz) -> None:
    if name == "is":
        state = value.lower()
        if state == "new":
            parsed.filters.append(Filter("new", None, negate))
        elif state not in STATES:
            raise QueryError(f"is:{value}: use is:read, is:unread, is:starred or is:new")
        else:
            parsed.states.append((state, negate))
    elif name == "added":
        span, moving = _added_range(value, tz)
        parsed.filters.append(Filter("added", span, negate, moving))
    elif name in DATE_FILTERS:
        parsed.filters.append(Filter("date", _date_range(name, value, tz), negate))
    else:
        parsed.filters.append(Filter(FILTERS[name], fold_value(value), negate))


def _date_range(name: str, value: str, tz) -> tuple[int | None, int | None]:
    """[start, end) in epoch seconds for after:, before: and date: values; the end is None
    when the span reaches 9999-12-31, the last day a date can have."""
    first, end = _date_span(value, name)
    start = _day_start(first, tz)
    if name == "after":
        return start, None
    if name == "before":
        return None, start
    return start, None if end is None else _day_start(end, tz)


def _day_start(day: date, tz) -> int:
    """Epoch seconds of the day's first moment in `tz` (no overflow in year 1 or 9999)."""
    return int(datetime.combine(day, datetime.min.time(), tz).timestamp())


def _date_span(value: str, name: str) -> tuple[date, date | None]:
    """The span's first day and the day after its last (None after 9999-12-31)."""
    year_or_month = _YEAR_OR_MONTH.fullmatch(value) if name == "date" else None
    try:
        if year_or_month:
            first, last = _year_or_month_span(*year_or_month.groups())
        else:
            first = last = date.fromisoformat(value)
    except ValueError:
        forms = "YYYY, YYYY-MM or YYYY-MM-DD" if name == "date" else "YYYY-MM-DD"
        raise QueryError(f"{name}:{value}: not a date (use {forms})") from None
    return first, None if last == date.max else last + timedelta(days=1)


def _year_or_month_span(year: str, month: str | None) -> tuple[date, date]:
    """The first and last day of a year, or of a month when one is given."""
    if month is None:
        return date(int(year), 1, 1), date(int(year), 12, 31)
    first = date(int(year), int(month), 1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


_COMPARED = re.compile(r"(>=|<=|>|<)(.+)", re.S)  # added:>=2026-11-01
_MOVING = {"today": 0, "yesterday": 1}  # days back from today
_NOTHING = 2 ** 62  # a start after every moment: `added:>9999` finds nothing
ADDED_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, today or yesterday; >D, >=D, <D, <=D or D..D"


def _added_range(value: str, tz) -> tuple[tuple[int | None, int | None], bool]:
    """`added:`'s [start, end) in epoch seconds (None: open), and whether it moves with
    the clock (today, yesterday)."""
    compared = _COMPARED.fullmatch(value)
    first, sep, last = value.partition("..")
    try:
        if compared:
            operator, day = compared.groups()
            start, end = _span_seconds(day, tz)
            span = {">": (_NOTHING if end is None else end, None), ">=": (start, None),
                    "<": (None, start), "<=": (None, end)}[operator]
        elif sep and (first or last):
            span = (_span_seconds(first, tz)[0] if first else None,
                    _span_seconds(last, tz)[1] if last else None)
        else:
            span = _span_seconds(value, tz)
    except ValueError:
        raise QueryError(f"added:{value}: not a date (use {ADDED_FORMS})") from None
    return span, any(part.lower() in _MOVING for part in (value.lstrip("<>="), first, last))


def _span_seconds(value: str, tz) -> tuple[int, int | None]:
    """A day, month or year (or today, yesterday) as [start, end) epoch seconds; the end
    None past 9999-12-31.  Raises ValueError."""
    back = _MOVING.get(value.strip().lower())
    if back is not None:
        first = last = datetime.now(tz).date() - timedelta(days=back)
    elif year_or_month := _YEAR_OR_MONTH.fullmatch(value):
        first, last = _year_or_month_span(*year_or_month.groups())
    else:
        first = last = date.fromisoformat(value)
    return _day_start(first, tz), None if last == date.max else \
        _day_start(last + timedelta(days=1), tz)


def phrase_terms(node: Node) -> list[str]:
    """The index terms every article containing the phrase must have."""
    terms: list[str] = []
    for piece in query_tokens(node.text):
        terms.extend(cjk_terms(piece) if is_cjk(piece) else [stem(piece)])
    return list(dict.fromkeys(terms))
