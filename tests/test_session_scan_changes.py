"""How a big change is cut into the pieces the reader shows one at a time (issue 13):
newest first, the removals and the STAGED_MAX newest, then 1,000 at a time, each record
once and kept added or changed; pieces only with stories grouped and the bodies at hand.
The first piece is made 250 here, smaller than the reader's, to see it apart."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from reader.archive.model import Article, Delta
from reader.session import scan_changes
from reader.session.scan_changes import PIECE_MAX, in_pieces, pieces

STAGED_MAX = 250


@pytest.fixture(autouse=True)
def first_piece(monkeypatch):
    monkeypatch.setattr(scan_changes, "STAGED_MAX", STAGED_MAX)

START = datetime(2025, 2, 1, tzinfo=timezone.utc)


def records(count: int, prefix: str) -> tuple[Article, ...]:
    return tuple(Article(f"{prefix}/{i:04d}.md", f"{prefix} {i}", START + timedelta(minutes=i))
                 for i in range(count))


def test_a_big_change_comes_newest_first_in_a_small_piece_then_bigger_ones():
    added, changed = records(1500, "a"), records(200, "c")
    delta = Delta(added, changed, ("gone/1.md", "gone/2.md"))
    cut = list(pieces(delta))
    assert [len(p.added) + len(p.changed) for p in cut] == [STAGED_MAX, PIECE_MAX, 450]
    assert cut[0].removed == delta.removed and not any(p.removed for p in cut[1:])
    oldest = [min(a.date for a in (*p.added, *p.changed)) for p in cut]
    newest = [max(a.date for a in (*p.added, *p.changed)) for p in cut]
    assert all(old > new for old, new in zip(oldest, newest[1:]))  # newest first
    assert {a.path for p in cut for a in p.added} == {a.path for a in added}
    assert {a.path for p in cut for a in p.changed} == {a.path for a in changed}


def test_removals_alone_are_one_piece():
    assert list(pieces(Delta(removed=("x.md",)))) == [Delta(removed=("x.md",))]


def test_pieces_only_with_stories_grouped_and_the_bodies_at_hand():
    delta = Delta(records(600, "a"))
    bodies = {a.path: "body" for a in delta.added}
    assert in_pieces(delta, bodies, grouping=True)
    assert not in_pieces(delta, bodies, grouping=False)
    assert not in_pieces(delta, {}, grouping=True)  # a big rescan keeps no bodies
    assert not in_pieces(Delta(records(STAGED_MAX, "a")), bodies, grouping=True)  # one step
    few = dict(list(bodies.items())[:600 - STAGED_MAX])  # a few stored by another reader
    assert in_pieces(delta, few, grouping=True)
