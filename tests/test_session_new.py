"""New since the last visit in the reader's core: the New group holds exactly what the
reader first saw since the previous visit started (nothing on a first run but what
arrives while it is open), an arrival joins it and its count, a deleted article leaves
it; `is:new` and `added:` search the same sets as the visits say; the boundary outlives
a reader killed with -9."""

from __future__ import annotations

import signal
import subprocess
import threading
from datetime import datetime, timedelta

import pytest

from reader.archive import Archive
from reader.index.query import parse_query
from reader.session.saved_searches import query_problem
from reader.session.services import Services
from reader.state import StateStore
from reader.state.counts import Count
from reader.state.groups import NEW
from test_state_support import PYTHON, child_env


def article_file(i: int, source: str = "wire") -> str:
    return (f'---\ntitle: "Story {i}"\ndate: "2025-02-{1 + i % 27:02d} 10:00:00"\n---\n\n'
            f"Body of story {i} from {source}.\n")


def path_of(i: int, source: str = "wire") -> str:
    return f"en/news/{source}/{i:03d}.en.md"


def opened(root, settings) -> Services:
    """A reader's core as it opens: the state, the cache's catalog (a whole catalog, as
    at every start), the scan (its delta, or on a first open its whole catalog), the
    index; every sighting recorded."""
    services = Services(Archive.open(root, settings), settings, open_link=lambda url: True)
    assert services.open_state() == []
    services.set_articles(services.archive.cached())
    result = services.scan()
    if services.articles:  # a scan's delta
        services.take(services.apply_scan(result))
    else:  # a first scan (nothing cached) loads what it found (ui/screens/background.py)
        services.set_articles(result.articles)
    index(services)
    settle(services)
    return services


def settle(services: Services) -> None:
    """Every sighting written, and New held as the writer found it (what the event loop
    does on `on_new`)."""
    services.flush()
    services.take_new()


def arrive(services: Services, root, *paths: str, gone: tuple[str, ...] = ()) -> None:
    """Files written (or deleted) while the reader is open, taken as a watched batch."""
    write(root, *paths)
    for path in gone:
        (root / path).unlink()
    services.take(services.apply_scan(services.scan_paths([*paths, *gone])))
    index(services)
    settle(services)


def index(services: Services) -> None:
    services.update_index(lambda done, total: None, threading.Event())


def write(root, *paths: str) -> None:
    for path in paths:
        i = int(path.rsplit("/", 1)[1][:3])
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(article_file(i, path.split("/")[2]), encoding="utf-8")


def new_members(services: Services) -> set[str]:
    return set(services.group(NEW).paths)


def brute_new(services: Services) -> set[str]:
    """New as the visits table says: first seen after the previous visit's start."""
    previous = services.store.visits.previous_session_start()
    boundary = services.store.visits.started if previous is None else previous
    cut = int(boundary.timestamp() * 1_000_000)
    return {p for p, at in services.store.visits.first_seen().items()
            if at > cut and p in services.by_path}


def hits(services: Services, query: str) -> set[str]:
    outcome = services.search(query)
    assert not outcome.malformed and not outcome.message, outcome.message
    return set(outcome.paths)


@pytest.fixture
def root(archive_factory):
    return archive_factory({path_of(i): article_file(i) for i in range(5)})


def test_new_holds_what_arrived_since_the_previous_visit_began(root, settings):
    first = opened(root, settings)
    assert new_members(first) == set() and first.counts[NEW] == Count()  # a first run
    assert hits(first, "is:new") == set()
    arrive(first, root, path_of(5))  # arrives while the first run is open: new
    assert new_members(first) == {path_of(5)} == brute_new(first)
    assert first.counts[NEW] == Count(1, 1, 0)
    first.close()

    write(root, path_of(6))  # while the reader is closed
    second = opened(root, settings)
    assert new_members(second) == {path_of(5), path_of(6)} == brute_new(second)
    arrive(second, root, path_of(7, "daily"), gone=(path_of(5),))  # one comes, one goes
    assert new_members(second) == {path_of(6), path_of(7, "daily")} == brute_new(second)
    assert second.counts[NEW] == Count(2, 2, 0)
    second.set_read([second.by_path[path_of(6)]])
    assert second.counts[NEW] == Count(2, 1, 0)
    assert hits(second, "is:new") == new_members(second)
    assert hits(second, "-is:new") == set(second.by_path) - new_members(second)
    assert hits(second, "is:new source:daily") == {path_of(7, "daily")}
    assert hits(second, "story 6 is:new") == {path_of(6)}
    assert hits(second, "is:new is:unread") == {path_of(7, "daily")}
    second.close()

    third = opened(root, settings)  # what the second visit saw first is still new
    assert new_members(third) == {path_of(6), path_of(7, "daily")} == brute_new(third)
    third.close()


def test_a_first_open_stopped_before_its_scan_ended_leaves_nothing_new(root, settings):
    """Killed (or quit) while the first scan was under way: the next visit's scan finds
    the rest of the archive as it was, which is no news; what arrives after it is."""
    first = Services(Archive.open(root, settings), settings, open_link=lambda url: True)
    assert first.open_state() == []
    first.set_articles([first.archive.read(path_of(0)).article])  # the first look's, alone
    settle(first)
    first.close()  # no scan ended

    second = opened(root, settings)
    assert new_members(second) == set() == brute_new(second)
    second.close()
    write(root, path_of(6))  # while the reader is closed, after the archive was seen whole
    third = opened(root, settings)
    assert new_members(third) == {path_of(6)} == brute_new(third)
    third.close()


def test_added_dates_search_the_first_sightings(root, settings):
    first = opened(root, settings)
    arrive(first, root, path_of(5))
    seen = first.store.visits.first_seen()
    tz = settings.tzinfo
    today = datetime.now(tz).date()
    for query in ("added:today", f"added:{today}", f"added:{today:%Y-%m}", f"added:{today.year}",
                  f"added:<{today}", f"added:>={today}", f"added:>{today}",
                  f"added:{today - timedelta(days=1)}..{today}", "added:yesterday",
                  f"-added:{today}", f"added:<={today} story 5"):
        start, end = _span(query, tz)
        negated = query.startswith("-")
        expected = {p for p, at in seen.items() if (start <= at < end) != negated
                    and p in first.by_path}
        if "story 5" in query:
            expected &= {path_of(5)}
        assert hits(first, query) == expected, query
    assert hits(first, f"added:{today}") == set(first.by_path)  # all first seen today
    assert hits(first, f"added:<{today}") == set()
    first.close()


def _span(query: str, tz) -> tuple[int, int]:
    """The µs span of the query's added: term, as parsed (open ends: the whole range)."""
    term = next(f for f in parse_query(query, tz).filters if f.field == "added")
    start, end = term.value
    return (-2 ** 63 if start is None else start * 1_000_000,
            2 ** 63 - 1 if end is None else end * 1_000_000)


def test_a_saved_search_may_hold_is_new_and_dates_but_not_today(root, settings):
    tz = settings.tzinfo
    assert query_problem("is:new source:daily", tz) == ""
    assert query_problem("added:>=2026-11-01 nvidia", tz) == ""
    assert "midnight" in query_problem("added:today nvidia", tz)
    assert "midnight" in query_problem("added:2026-11-01..yesterday", tz)
    assert "cannot be saved" in query_problem("is:unread", tz)
    first = opened(root, settings)
    arrive(first, root, path_of(8, "daily"))
    group = first.query_group(("search", "fresh daily"), "is:new source:daily")
    assert group.paths == {path_of(8, "daily")}
    first.close()


CRASHED = r"""
import os, signal, sys, threading
from pathlib import Path
from reader.archive import Archive
from reader.config import Settings
from reader.session.services import Services
settings = Settings(data_root=Path(sys.argv[2]), config_path=Path(sys.argv[3]))
services = Services(Archive.open(Path(sys.argv[1]), settings), settings)
services.open_state()
services.set_articles(services.archive.cached())
services.take(services.apply_scan(services.scan()))
services.flush()
print(services.store.visits.started.isoformat(), sorted(services.new_set()), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_boundary_outlives_a_reader_killed_with_minus_9(root, settings):
    first = opened(root, settings)
    arrive(first, root, path_of(5))  # new in the first visit and in the one after it
    first.close()
    child = subprocess.run([PYTHON, "-c", CRASHED, str(root), str(settings.data_root),
                            str(settings.config_path)], env=child_env(),
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    started, shown = child.stdout.split(" ", 1)
    assert shown.strip() == repr([path_of(5)])  # what the killed reader showed as New
    write(root, path_of(6))
    third = opened(root, settings)
    assert third.store.visits.previous_session_start().isoformat() == started
    assert new_members(third) == {path_of(6)}  # 5 came before the killed visit began
    third.close()


def test_a_reader_never_closed_leaves_its_boundary_too(root, settings):
    opened(root, settings).close()
    abandoned = opened(root, settings)  # never closed: as good as killed for the store
    started = abandoned.store.visits.started
    write(root, path_of(6))
    later = opened(root, settings)
    assert later.store.visits.previous_session_start() == started
    assert new_members(later) == {path_of(6)}
    later.close()
    with StateStore.open(abandoned.store.path) as cli:  # and the CLI's view agrees
        assert cli.new_set() == {path_of(6)}
