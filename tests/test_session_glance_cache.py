"""The archive at a glance counted from the metadata cache (`newsreader stats`): every
figure equals a brute-force count over all the records, for All and a search's hits,
reads of articles older than the days shown included, with what arrived over the days
to today, to the newest article's day or to another day (your reading staying on the
days to today); and no record outside the days shown is loaded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_session_glance import TZ, brute, local, marks, scanned, shown

from reader.archive import Archive
from reader.archive.cache import MetadataCache
from reader.session.glance_cache import NEWEST, cached_glance
from reader.session.glance_figures import figures, notice

ARRIVALS = ("arrived", "hours", "sources", "langs", "categories", "tags", "totals")
READING = ("read", "backlog", "totals")


class Marks:
    """A state store's marks and read times (`read_at`: µs since the epoch)."""

    def __init__(self, read, starred, read_at):
        self.read, self.starred, self.read_at = read, starred, read_at

    def read_set(self):
        return set(self.read)

    def starred_set(self):
        return set(self.starred)

    def read_times(self, since_us=0):
        return {p: us for p, us in self.read_at.items() if us >= since_us}


def check(root, settings, days):
    articles = scanned(root, settings)
    newest = max(a.date for a in articles)
    now = newest + timedelta(days=3, hours=2)
    today = local(now).date()
    read, starred, read_at = marks(articles, today)
    state = Marks(read, starred, read_at)
    archive = Archive.open(root, settings)
    hit_list = articles[::3]
    try:
        for hits in (None, {a.path for a in hit_list} | {"gone/from/the/archive.md"}):
            member = None if hits is None else (lambda a, h=hits: a.path in h)
            scope_newest = max(a.date for a in (articles if hits is None else hit_list))
            for until, end in ((None, today), (NEWEST, local(scope_newest).date()),
                               (today - timedelta(days=40), today - timedelta(days=40))):
                got = shown(figures(cached_glance(archive.cache, state, now, days, TZ,
                                                  hits, until)))
                arrived = brute(articles, end, days, read, starred, read_at, member)
                reading = brute(articles, today, days, read, starred, read_at, member)
                assert {k: got[k] for k in ARRIVALS} == {k: arrived[k] for k in ARRIVALS}, (
                    hits is None, until)
                assert {k: got[k] for k in READING} == {k: reading[k] for k in READING}
    finally:
        archive.close()


@pytest.mark.parametrize("days", [30, 7])
def test_the_cached_figures_equal_counting_the_sample_feed(sample_root, settings, days):
    check(sample_root, settings, days)


def test_the_cached_figures_equal_counting_a_slice_of_the_corpus(corpus_root, settings):
    check(corpus_root / "zh-HK", settings, 30)


def test_only_the_days_shown_are_loaded(sample_root, settings, monkeypatch):
    articles = scanned(sample_root, settings)
    now = max(a.date for a in articles)
    loaded = []
    since = MetadataCache.articles_since

    def articles_since(cache, ts):
        rows = since(cache, ts)
        loaded.extend(rows)
        return rows

    monkeypatch.setattr(MetadataCache, "articles", lambda cache: pytest.fail("loaded all"))
    monkeypatch.setattr(MetadataCache, "articles_since", articles_since)
    archive = Archive.open(sample_root, settings)
    try:
        glance = cached_glance(archive.cache, None, now, 7, TZ)
    finally:
        archive.close()
    assert 0 < len(loaded) < len(articles) / 2
    assert figures(glance).total == len(articles)


def test_days_that_hold_nothing_say_where_the_newest_article_is(sample_root, settings):
    articles = scanned(sample_root, settings)
    newest = max(a.date for a in articles)
    archive = Archive.open(sample_root, settings)
    try:
        later = newest + timedelta(days=400)
        empty = figures(cached_glance(archive.cache, None, later, 30, TZ))
        moved = figures(cached_glance(archive.cache, None, later, 30, TZ, until=NEWEST))
    finally:
        archive.close()
    day = local(newest).date()
    assert empty.empty and not empty.moved
    assert notice(empty) == f"nothing arrived in the last 30 days; the newest article is from {day}"
    assert moved.moved and moved.until == day and moved.today == local(later).date()
    assert not moved.empty and notice(moved) == "" and moved.arrived[-1] > 0
    assert moved.reading_days[-1] == moved.today  # your reading stays on the real days
