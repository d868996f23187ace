"""Parser rules that make Textual build few widgets, and a bounded number (no Textual here).

Textual's Markdown mounts a widget per block, per list item (five) and per
table cell, and every layout of the pane then costs about 0.5 ms a widget: a
real article of 7,000 table cells took 50 s to show, a hostile one gigabytes.

- `collapse_tables`: a table becomes one `article_table` token, and
  `collapse_lists` a list whose items hold only paragraphs one `article_list`
  token, each drawn by one widget (reader/ui/widgets/flat_blocks.py);
- `merge_paragraphs`: a run of top-level paragraphs becomes one paragraph,
  its parts a blank line apart (it looks the same);
- `note_lost_depth`: where markdown-it stopped at nesting 20, a notice;
- `RenderBudget`, shared by the parsers of an article's pieces: after
  `MAX_BLOCKS` the rest is not built, and the pane says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MAX_BLOCKS = 1_000
LIST_CHUNK = 200  # a flat list is drawn by one widget per this many items (each quick to draw)


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


_LISTS = ("bullet_list_open", "ordered_list_open")
_ITEM_PARTS = ("paragraph_open", "inline", "paragraph_close", "list_item_close")


def _close_of(tokens: list[Token], start: int) -> int:
    """The index of the token that closes tokens[start]."""
    closing = tokens[start].type.removesuffix("_open") + "_close"
    level = tokens[start].level
    for index in range(start + 1, len(tokens)):
        if tokens[index].type == closing and tokens[index].level == level:
            return index
    return len(tokens) - 1


def _flat_items(tokens: list[Token]) -> list[tuple[str, list[Token]]] | None:
    """(marker, the inline tokens of its paragraphs) per item, or None when an item holds
    more than paragraphs (a nested list, a quote, code)."""
    items: list[tuple[str, list[Token]]] = []
    for token in tokens[1:-1]:
        if token.type == "list_item_open":
            items.append((f"{token.info}{token.markup}" if token.info else "•", []))
        elif token.type == "inline":
            items[-1][1].append(token)
        elif token.type not in _ITEM_PARTS:
            return None
    return items


def collapse_lists(state: StateCore) -> None:
    """Replace every list whose items hold only paragraphs by `article_list` tokens of up
    to LIST_CHUNK items; meta holds the items (marker, inline tokens), and whether the
    token ends its list."""
    tokens = state.tokens
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = _close_of(tokens, index) if token.type in _LISTS else index
        items = _flat_items(tokens[index:end + 1]) if end > index else None
        if items is None:
            result.append(token)
            index += 1
            continue
        for start in range(0, len(items), LIST_CHUNK):
            result.append(Token("article_list", "ul", 0, map=token.map, level=token.level,
                                block=True, meta={"items": items[start:start + LIST_CHUNK],
                                                  "last": start + LIST_CHUNK >= len(items)}))
        index = end + 1
    state.tokens = result


def note_lost_depth(state: StateCore) -> None:
    """markdown-it stops reading a piece where blocks nest deeper than its maxNesting
    (20), without a word: say so at the end of the piece."""
    deepest = state.md.options["maxNesting"] - 1
    if not any(token.level >= deepest for token in state.tokens):
        return
    notice = Token("inline", "", 0, level=1, block=True, children=[Token(
        "text", "", 0, content=f"⚠ Blocks nested more than {deepest + 1} deep are not "
        "shown in full.")])
    state.tokens += [Token("paragraph_open", "p", 1, block=True), notice,
                     Token("paragraph_close", "p", -1, block=True)]


MERGED_PARAGRAPHS = 30  # paragraphs drawn by one widget


def _is_paragraph_at(tokens: list[Token], index: int) -> bool:
    return (index + 2 < len(tokens) and tokens[index].type == "paragraph_open"
            and tokens[index].level == 0 and tokens[index + 1].type == "inline")


def merge_paragraphs(state: StateCore) -> None:
    """Runs of top-level paragraphs become one paragraph whose parts are separated by a
    blank line: it looks the same, and costs Textual one widget instead of thirty."""
    tokens = state.tokens
    result: list[Token] = []
    index = run = 0
    while index < len(tokens):
        if _is_paragraph_at(tokens, index) and run and result[-1].type == "paragraph_close":
            children = result[-2].children or []
            children += [Token("hardbreak", "br", 0), Token("hardbreak", "br", 0)]
            result[-2].children = children + (tokens[index + 1].children or [])
            result[-3].meta["parts"] = result[-3].meta.get("parts", 1) + 1
            run = run + 1 if run + 1 < MERGED_PARAGRAPHS else 0
            index += 3
            continue
        run = 1 if _is_paragraph_at(tokens, index) else 0
        result.extend(tokens[index:index + 3] if run else tokens[index:index + 1])
        index += 3 if run else 1
    state.tokens = result


def _cost(token: Token) -> int:
    """About how many widgets a token makes Textual build (a list item: five)."""
    if token.type == "list_item_open":
        return 3
    if token.type == "paragraph_open":
        return 1 + token.meta.get("parts", 1) // 10
    if token.type == "article_table":
        return 1 + sum(len(row) for row in token.meta["rows"]) // 100
    if token.type == "article_list":
        return 1 + len(token.meta["items"]) // 10
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
