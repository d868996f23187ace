"""What one article can make the pane build is bounded (issue 10.1): tables of any width
or length, huge lines, deep nesting and a million blocks are cut with a notice, and
preparing and parsing them stays within a few tens of MB (tracemalloc peak)."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from reader.ui.markdown_blocks import MAX_BLOCKS, RenderBudget
from reader.ui.markdown_limits import MAX_COLUMNS, MAX_LINE, MAX_TABLE_ROWS, bound_source
from reader.ui.markdown_prep import HARD_PIECE, make_parser, prepare_body, references, split_blocks


def wide_table(columns: int) -> str:
    return ("|" + "|".join(f"c{i}" for i in range(columns)) + "|\n"
            + "|" + "---|" * columns + "\n"
            + "|" + "x|" * columns + "\n")


HOSTILE = {
    "wide table": wide_table(300_000),
    "a megabyte of pipes": "|" * 1_000_000 + "\n",
    "pipes with a delimiter row": "|" * 500_000 + "\n" + "|-" * 250_000 + "|\n",
    "long table": "| a | b | c |\n|---|---|---|\n" + "| 1 | 2 | 3 |\n" * 100_000,
    "a million paragraphs": "a\n\n" * 600_000,
    "a long list": "- a\n" * 400_000,
    "deep quotes": "> " * 100_000 + "deep\n",
    "deep lists": "".join("  " * i + "- x\n" for i in range(1000)),
    "a huge heading": "# " + "h" * 1_900_000 + "\n",
    "a huge line of links": "[a](https://e.com) " * 100_000 + "\n",
}


def render_tokens(body: str) -> tuple[int, RenderBudget]:
    """Prepare and parse the body as the pane does; the number of tokens it keeps."""
    text = prepare_body(body)
    known = references(text)
    budget = RenderBudget()
    kept = 0
    for piece in split_blocks(text):
        kept += len(make_parser(known, budget).parse(piece))
        if budget.exhausted:
            break
    return kept, budget


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_body_is_parsed_in_bounded_memory_and_time(name):
    body = HOSTILE[name]
    tracemalloc.start()
    started = time.perf_counter()
    kept, budget = render_tokens(body)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 60 * 2**20, f"{name}: {peak / 2**20:.0f} MB"
    assert elapsed < 30, f"{name}: {elapsed:.1f} s"
    assert kept < 60 * MAX_BLOCKS


def test_a_table_300000_columns_wide_keeps_50_with_a_notice():
    text = bound_source(wide_table(300_000) + "\nafter\n")
    header = text.splitlines()[0]
    assert header.count("|") == MAX_COLUMNS + 1
    assert "*table of 300,000 columns: first 50 shown*" in text
    assert text.rstrip().endswith("after")
    tokens = make_parser().parse(text)
    table = next(t for t in tokens if t.type == "article_table")
    assert [len(row) for row in table.meta["rows"]] == [MAX_COLUMNS, MAX_COLUMNS]


def test_a_long_table_keeps_its_first_rows_with_a_notice():
    text = bound_source("| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 2000)
    assert text.count("| 1 | 2 |") == MAX_TABLE_ROWS
    assert "*table of 2,000 rows: first 500 shown*" in text


def test_a_table_of_both_says_both():
    text = bound_source("|" + "a|" * 60 + "\n|" + "-|" * 60 + "\n" + ("|" + "1|" * 60 + "\n") * 600)
    assert "*table of 60 columns and 600 rows: first 50 columns and 500 rows shown*" in text


def test_small_tables_and_tables_in_code_are_left_alone():
    small = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert bound_source(small) == small
    fenced = "```\n" + wide_table(80) + "```\n"
    assert bound_source(fenced) == fenced


def test_a_huge_line_is_cut_with_a_notice():
    text = bound_source("x" * (MAX_LINE * 3) + "\nafter\n")
    assert len(text) < MAX_LINE + 200
    assert f"*line of {MAX_LINE * 3:,} characters: first {MAX_LINE:,} shown*" in text
    assert text.endswith("after\n")


def test_a_table_becomes_one_token_with_its_cells():
    tokens = make_parser().parse("| a | **b** |\n|:-|-:|\n| 1 | 2 |\n\ntext\n")
    types = [t.type for t in tokens]
    assert "td_open" not in types and types.count("article_table") == 1
    table = tokens[types.index("article_table")]
    assert table.meta["aligns"] == ["left", "right"]
    assert [[c.content for c in row] for row in table.meta["rows"]] == [["a", "**b**"], ["1", "2"]]


def test_the_budget_is_shared_by_pieces_and_closes_what_is_open():
    budget = RenderBudget(blocks=5)
    first = make_parser(budget=budget).parse("# one\n\ntwo\n")
    assert not budget.exhausted and budget.blocks == 3
    second = make_parser(budget=budget).parse("- a\n  > b\n  > c\n- d\n")
    assert budget.exhausted
    opens = sum(t.nesting for t in second)
    assert opens == 0 and second[-1].type == "bullet_list_close"
    assert len(first) == 6


def test_pieces_without_blank_lines_are_still_cut():
    pieces = split_blocks("- item\n" * 40_000)
    assert len(pieces) > 1 and max(map(len, pieces)) <= HARD_PIECE + 10


def test_a_code_fence_cut_between_pieces_is_closed_and_reopened():
    pieces = split_blocks("```python\n" + "x = 1\n" * 40_000 + "```\n")
    assert len(pieces) > 1
    for piece in pieces:
        tokens = make_parser().parse(piece)
        assert [t.type for t in tokens] == ["fence"] and tokens[0].info == "python"


def test_a_long_table_is_never_cut_between_pieces():
    table = "| a | b |\n|---|---|\n" + f"| {'x' * 200} | 2 |\n" * MAX_TABLE_ROWS
    assert split_blocks(table + "\nafter\n")[0] == table + "\n"


def test_many_short_blocks_make_several_pieces():
    pieces = split_blocks("a\n\n" * 5000)
    assert len(pieces) > 5 and "".join(pieces) == "a\n\n" * 5000


def test_a_flat_list_becomes_few_tokens_and_a_nested_one_stays():
    flat = make_parser().parse("".join(f"{i}. item {i}\n" for i in range(1, 451)))
    assert [t.type for t in flat] == ["article_list"] * 3
    assert flat[0].meta["items"][0][0] == "1." and not flat[0].meta["last"]
    assert flat[-1].meta["last"] and flat[-1].meta["items"][-1][0] == "450."
    nested = [t.type for t in make_parser().parse("- a\n  - b\n- c\n")]
    assert nested[0] == "bullet_list_open" and "article_list" in nested


def test_runs_of_paragraphs_are_drawn_as_one():
    tokens = make_parser().parse("one\n\ntwo\n\n# head\n\nthree\n")
    assert [t.type for t in tokens].count("paragraph_open") == 2
    assert [c.type for c in tokens[1].children] == ["text", "hardbreak", "hardbreak", "text"]


def test_nesting_deeper_than_the_parser_reads_is_said():
    for body in ("> " * 1000 + "deep\n\nafter\n",
                 "".join("  " * i + "- x\n" for i in range(100)) + "\nafter\n"):
        tokens = make_parser().parse(body)
        assert "nested more than 20 deep" in "".join(c.content for c in tokens[-2].children)
    tokens = make_parser().parse("> > - a\n")
    assert all("nested" not in (t.content or "") for t in tokens)
