"""Bounds on what one article can make the reader build (no Textual here).

Textual draws markdown as one widget per block (about 60 KB each) and a table
as one widget per cell, so a hostile article (a table 300,000 columns wide, a
million one-line paragraphs) would take gigabytes.  Three bounds keep an
article's cost to tens of megabytes, whatever it holds:

- `bound_source`, before parsing: a table keeps its first `MAX_COLUMNS`
  columns and `MAX_TABLE_ROWS` rows, a line its first `MAX_LINE` characters,
  each cut followed by a notice ("table of 300,000 columns: first 50 shown");
- `collapse_tables`, a parser rule: a table becomes one `article_table` token
  (drawn by one widget, not one per cell);
- `RenderBudget`, a parser rule shared by every piece of an article: after
  `MAX_BLOCKS` blocks the rest is not built, and the pane says so (each block
  makes every later layout of the pane slower: about 0.5 ms a widget).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MAX_COLUMNS = 50
MAX_TABLE_ROWS = 500
MAX_LINE = 100_000
MAX_BLOCKS = 1_000  # the longest article of the 10k corpus costs 683

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_PIPE = re.compile(r"(?<!\\)\|")


def fence_after(line: str, fence: str) -> str:
    """The open fence marker after `line` ("" outside a code fence)."""
    if line[:4].lstrip(" ")[:1] not in ("`", "~"):
        return fence
    match = _FENCE.match(line)
    if not match:
        return fence
    marker = match.group(1)
    if not fence:
        return marker
    return "" if marker[0] == fence[0] and len(marker) >= len(fence) else fence


def is_delimiter_row(line: str) -> bool:
    text = line.strip()
    return "-" in text and "|" in text and not text.strip("|:- \t")


def _columns(line: str) -> int:
    text = line.strip()
    return text.count("|") + 1 - text.startswith("|") - (text.endswith("|") and len(text) > 1)


def _cut_row(line: str) -> str:
    """The row's first MAX_COLUMNS cells and MAX_LINE characters."""
    lead = 1 if line.lstrip().startswith("|") else 0
    for count, pipe in enumerate(_PIPE.finditer(line), 1):
        if count == MAX_COLUMNS + lead:
            line = line[:pipe.end()] + "\n"
            break
    return line if len(line) <= MAX_LINE else line[:MAX_LINE] + "\n"


def _table_notice(columns: int, rows: int) -> str:
    """`table of 300,000 columns: first 50 shown`, or of rows, or of both."""
    sizes, shown = [], []
    if columns > MAX_COLUMNS:
        sizes.append(f"{columns:,} columns")
        shown.append(f"{MAX_COLUMNS} columns")
    if rows > MAX_TABLE_ROWS:
        sizes.append(f"{rows:,} rows")
        shown.append(f"{MAX_TABLE_ROWS} rows")
    if len(shown) == 1:
        shown = [shown[0].split()[0]]
    return f"\n*table of {' and '.join(sizes)}: first {' and '.join(shown)} shown*\n\n"


def _bound_table(lines: list[str], header: int, out: list[str]) -> int:
    """Copy the table whose header row is lines[header] to `out`, cut to the bounds;
    return the index of the first line after it."""
    columns = _columns(lines[header + 1])
    end = header + 2
    while end < len(lines) and lines[end].strip() and not _FENCE.match(lines[end]):
        end += 1
    rows = end - header - 2
    out.extend(_cut_row(line) for line in lines[header:min(end, header + 2 + MAX_TABLE_ROWS)])
    if columns > MAX_COLUMNS or rows > MAX_TABLE_ROWS:
        out.append(_table_notice(columns, rows))
    return end


def _bound_line(line: str) -> str:
    if len(line) <= MAX_LINE:
        return line
    return (line[:MAX_LINE] + "…\n\n"
            f"*line of {len(line.rstrip()):,} characters: first {MAX_LINE:,} shown*\n")


def bound_source(body: str) -> str:
    """The body with every table and line cut to the bounds, each cut said in the text."""
    lines = body.splitlines(keepends=True)
    if "|" not in body and max(map(len, lines), default=0) <= MAX_LINE:
        return body
    out: list[str] = []
    fence = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        if (not fence and line.strip() and index + 1 < len(lines)
                and is_delimiter_row(lines[index + 1])):
            index = _bound_table(lines, index, out)
            continue
        fence = fence_after(line, fence)
        out.append(_bound_line(line))
        index += 1
    return "".join(out)


# -- parser rules -------------------------------------------------------------------


def _table_token(tokens: list[Token]) -> Token:
    """One token for a whole table: meta holds its rows of inline tokens (the first row
    is the header) and the columns' alignments."""
    rows: list[list[Token]] = []
    aligns: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            rows[-1].append(tokens[index + 1])
            if token.type == "th_open":
                aligns.append(str(token.attrs.get("style", "")).partition(":")[2] or "left")
    head = tokens[0]
    return Token("article_table", "table", 0, map=head.map, level=head.level,
                 block=True, meta={"rows": rows, "aligns": aligns})


def collapse_tables(state: StateCore) -> None:
    """Replace every table's tokens by one `article_table` token."""
    tokens = state.tokens
    if not any(token.type == "table_open" for token in tokens):
        return
    result: list[Token] = []
    start = -1
    for index, token in enumerate(tokens):
        if token.type == "table_open" and start < 0:
            start = index
        elif token.type == "table_close" and start >= 0 and token.level == tokens[start].level:
            result.append(_table_token(tokens[start:index + 1]))
            start = -1
        elif start < 0:
            result.append(token)
    state.tokens = result


def _cost(token: Token) -> int:
    """About how many widgets a token makes Textual build (a list item: five)."""
    if token.type == "list_item_open":
        return 3
    if token.type == "article_table":
        return 1 + sum(len(row) for row in token.meta["rows"]) // 100
    return 1 if token.nesting == 1 or token.type in ("fence", "code_block", "hr") else 0


@dataclass
class RenderBudget:
    """How many more blocks an article may build; shared by the parsers of its pieces."""

    blocks: int = MAX_BLOCKS
    exhausted: bool = False

    def __call__(self, state: StateCore) -> None:
        """The parser rule: keep the tokens the budget pays for, close what is open."""
        opened: list[Token] = []
        for index, token in enumerate(state.tokens):
            cost = _cost(token)
            if cost and cost > self.blocks:
                self.exhausted = True
                state.tokens = state.tokens[:index] + [_closing(t) for t in reversed(opened)]
                return
            self.blocks -= cost
            if token.nesting == 1:
                opened.append(token)
            elif token.nesting == -1 and opened:
                opened.pop()


def _closing(token: Token) -> Token:
    return Token(token.type.removesuffix("_open") + "_close", token.tag, -1,
                 level=token.level, block=True)
