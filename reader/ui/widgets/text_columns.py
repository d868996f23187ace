"""Blocks of Rich text lines laid side by side, for the glance screen's widgets, each of
which draws several charts or tables as one renderable (a widget each would cost the
screen's open: issue 15).  Widths are terminal cells, so a Chinese name (two cells a
character) keeps the columns after it aligned."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text

Block = Sequence[Text]


def padded(line: Text, width: int) -> Text:
    """`line` cut (ending in …) or padded to exactly `width` cells."""
    out = line.copy()
    out.truncate(width, overflow="ellipsis", pad=True)
    return out


def beside(blocks: Sequence[Block], width: int, gap: int) -> list[Text]:
    """The blocks side by side, each `width` cells wide, `gap` cells apart."""
    out = []
    for y in range(max((len(b) for b in blocks), default=0)):
        line = Text(no_wrap=True, overflow="crop")
        for i, block in enumerate(blocks):
            if i:
                line.append(" " * gap)
            line.append_text(padded(block[y] if y < len(block) else Text(), width))
        out.append(line)
    return out


def columns_of(width: int, least: int, gap: int, most: int = 2) -> tuple[int, int]:
    """How many columns of at least `least` cells fit (at most `most`, at least one),
    and each one's width."""
    count = max(1, min(most, (width + gap) // (least + gap)))
    return count, max(1, (width - gap * (count - 1)) // count)


def grid(blocks: Sequence[Block], width: int, least: int, gap: int,
         between: int = 0) -> list[Text]:
    """The blocks in rows of as many columns as fit, `between` blank lines between rows."""
    count, column = columns_of(width, least, gap)
    out: list[Text] = []
    for start in range(0, len(blocks), count):
        if start:
            out += [Text() for _ in range(between)]
        out += beside(blocks[start:start + count], column, gap)
    return out


def joined(lines: Sequence[Text]) -> Text:
    """One renderable of lines, never wrapped."""
    out = Text("\n", no_wrap=True, overflow="crop").join(lines)
    out.no_wrap, out.overflow = True, "crop"
    return out
