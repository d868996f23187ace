"""A burst bigger than a staged change (issue 13, over STAGED_MAX files: made 250 here,
to see the pieces of a 600-file burst) whose
bodies the scan parsed comes in grouped pieces, newest first: no list shown holds a copy
as its own row, the tree's count of stories only rises toward the final one (it rose by
every copy, then fell once the burst was grouped), and a copy in the second piece that
joins a read story arrives read.  A big rescan that kept no bodies is still listed at
once, no file read again first, and read once holds once it is grouped."""

from __future__ import annotations

import random
from string import ascii_lowercase

import pytest

from reader.state.groups import ALL
from reader.ui.messages import CatalogChanged
from tests.ui.conftest import article, press, run_app_test, sample_files, settle
from tests.ui.test_stories_live import Shown, story_row, write
from tests.ui.test_stories_ui import BODY, COPIES, TITLE

NEW_REPORT = "Port strike halts container traffic along the coast for a second day"
NEW_BODY = ("Dock workers walked out for a second day on Tuesday, halting container "
            "traffic at the coast's three largest ports as talks over pay and automation "
            "stalled and shipping lines began to divert vessels to terminals further north.\n")
IN_FIRST = "en/news/apnews/rates.en.md"  # a copy of the rates story, newest of all
IN_SECOND = "en/news/bloomberg/rates.en.md"  # another, older than 300 of the burst


@pytest.fixture(autouse=True)
def first_piece(monkeypatch):
    from reader.session import scan_changes
    monkeypatch.setattr(scan_changes, "STAGED_MAX", 250)


@pytest.fixture
def ui_archive(archive_factory):
    return archive_factory(sample_files() | COPIES)


def words(rng: random.Random, count: int) -> str:
    return " ".join("".join(rng.choices(ascii_lowercase, k=7)) for _ in range(count))


def fillers(count: int, day: str, prefix: str) -> dict[str, str]:
    """`count` articles unlike any other, a minute apart from `day` 00:00 on."""
    rng, files = random.Random(prefix), {}
    for i in range(count):
        stamp = f"{day} {i // 60:02d}:{i % 60:02d}:00"
        files[f"en/news/wire{i % 7}/{prefix}{i:03d}.en.md"] = article(
            f"{prefix} {i} {words(rng, 4)}", stamp, words(rng, 60) + "\n")
    return files


def burst() -> dict[str, str]:
    """600 files: 300 newer than the rates story, then its copy and a new report's
    (in the second piece: the first is the 250 newest), 296 older; and, newest of all,
    another copy of each (in the first piece)."""
    return (fillers(300, "2025-02-21", "newer") | fillers(296, "2025-01-25", "older") | {
        IN_FIRST: article(TITLE, "2025-02-21 06:00:00", BODY),
        "en/news/apnews/port.en.md": article(NEW_REPORT, "2025-02-21 05:30:00", NEW_BODY),
        IN_SECOND: article(TITLE, "2025-02-20 12:00:00", BODY),
        "en/news/bloomberg/port.en.md": article(NEW_REPORT, "2025-02-20 13:00:00", NEW_BODY)})


def copies_listed_alone(rows: list[str], stories) -> list[list[str]]:
    """The copies of one story listed each as its own row, in one list shown."""
    return [listed for story in stories
            if len(listed := [p for p in rows if p in story.members]) > 1]


def test_a_burst_of_600_is_listed_in_grouped_pieces_its_counts_only_rising(make_app,
                                                                          ui_archive):
    async def scenario(pilot, screen):
        before = screen.tree.counts[ALL].total
        assert before == 13  # 12 articles and the rates story
        shown = Shown(screen)
        write(ui_archive, burst())
        await press(pilot, "r")
        stories = screen.services.stories.all()
        assert sorted(map(len, stories)) == [2, 5]  # the port report's, the rates story
        assert all(not copies_listed_alone(rows, stories) for rows in shown.lists), \
            [copies_listed_alone(rows, stories) for rows in shown.lists]
        final = before + 596 + 1  # the fillers and the port report's story
        assert screen.tree.counts[ALL].total == final
        assert shown.totals == sorted(shown.totals) and shown.totals[-1] == final, \
            shown.totals
        assert len(shown.lists[0]) < before + 300, "the first piece was the whole burst"

    run_app_test(make_app(group_stories=True), scenario)


def test_a_copy_in_the_second_piece_of_a_burst_joins_its_read_story_read(make_app,
                                                                       ui_archive):
    async def scenario(pilot, screen):
        place, _ = story_row(screen)
        screen.article_list.move_to(place)
        await press(pilot, "enter")  # read once: the whole rates story
        assert screen.services.read == set(COPIES)
        unread = screen.tree.counts[ALL].unread
        write(ui_archive, burst())
        await press(pilot, "r")
        assert len(screen.services.stories.story_of(IN_SECOND)) == 5
        assert {IN_FIRST, IN_SECOND} <= screen.services.read
        assert screen.tree.counts[ALL].unread == unread + 597  # the rates story: read

    run_app_test(make_app(group_stories=True), scenario)


def test_a_big_rescan_without_bodies_is_listed_first_and_read_once_after(make_app,
                                                                       ui_archive,
                                                                       monkeypatch):
    """300 files scanned as a rescan of 2,000 or more is (its bodies not kept): listed in
    one change with no file read for its stories first (they were re-read at about 1 ms
    of CPU a file: a 20,000-file rescan listed 20 s late), grouped after; the copy of a
    read story among them is read once it is."""
    async def scenario(pilot, screen):
        place, _ = story_row(screen)
        screen.article_list.move_to(place)
        await press(pilot, "enter")
        files = fillers(299, "2025-02-21", "newer") | {
            IN_SECOND: article(TITLE, "2025-02-20 12:00:00", BODY)}
        write(ui_archive, files)
        reads, posted = [], []
        stories = screen.services.stories
        read_body = stories._read_body
        monkeypatch.setattr(stories, "_read_body", lambda a: reads.append(a) or read_body(a))
        post = screen.post_message
        monkeypatch.setattr(screen, "post_message", lambda message: (
            posted.append((message, len(reads))), post(message))[-1])
        result = screen.services.scan()
        result.parsed.clear()  # as a rescan of 2,000 files or more keeps them
        screen.background.post_scan(result)
        changes = [(m.change, n) for m, n in posted if isinstance(m, CatalogChanged)]
        assert len(changes) == 1
        (change, read_before), = changes
        assert len(change.delta.added) == 300 and change.stories is None
        assert read_before == 0  # listed before any file was read for its stories
        await settle(pilot)
        assert len(screen.services.stories.story_of(IN_SECOND)) == 4
        assert IN_SECOND in screen.services.read  # read once, grouped after

    run_app_test(make_app(group_stories=True), scenario)
