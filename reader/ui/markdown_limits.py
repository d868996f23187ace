"""Bounds on an article's source before it is parsed (no Textual here).

Textual draws markdown as one widget per block (about 60 KB each) and a table
as one widget per cell, so a hostile article (a table 300,000 columns wide, a
million one-line paragraphs) would take gigabytes.  Before parsing,
`bound_source` keeps a table's first `MAX_COLUMNS` columns and
`MAX_TABLE_ROWS` rows and a line's first `MAX_LINE` characters, each cut
followed by a notice ("table of 300,000 columns: first 50 shown"); what the
parser then builds is bounded by reader/ui/markdown_blocks.py.
"""

from __future__ import annotations

import re


MAX_COLUMNS = 50
MAX_TABLE_ROWS = 500
MAX_LINE = 100_000

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

