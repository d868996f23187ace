"""The archive at a glance: every figure equals a brute-force count over the articles
(each date converted to the zone one by one), on the sample feed and a slice of the
real corpus, for every kind of scope; and stays equal after deltas and marks."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from reader.archive import Archive
from reader.archive.model import Delta
from reader.session.catalog import Catalog, CatalogChange
from reader.session.glance import count_totals, tally
from reader.session.glance_figures import figures
from reader.session.glance_window import Window
from reader.state.model import READ, STAR

TZ = ZoneInfo("Asia/Shanghai")


def scanned(root, settings):
    archive = Archive.open(root, settings)
    archive.scan()
    articles = archive.cached()
    archive.close()
    return articles


def local(moment):
    return moment.astimezone(TZ)


def brute(articles, today, days, read, starred, read_at, member):
    """The figures by counting each article: what `figures` must equal."""
    scope = [a for a in articles if member is None or member(a)]
    day_list = [today - timedelta(days=days - 1 - i) for i in range(days)]
    on = Counter(local(a.date).date() for a in scope)
    this = [a for a in scope if today - timedelta(days=6) <= local(a.date).date() <= today]
    last = [a for a in scope
            if today - timedelta(days=13) <= local(a.date).date() <= today - timedelta(days=7)]
    read_day = {p: local(datetime.fromtimestamp(us / 1e6, timezone.utc)).date()
                for p, us in read_at.items() if p in read}

    def rows(attr):
        names = {getattr(a, attr) for a in this + last}
        out = {n: (sum(getattr(a, attr) == n for a in this),
                   sum(getattr(a, attr) == n and a.path not in read for a in this),
                   sum(getattr(a, attr) == n for a in last)) for n in names}
        return {n: v for n, v in out.items() if v[0] or v[2]}

    def top(attr):
        counts = Counter(n for a in this for n in set(getattr(a, attr)) if n)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:10]

    def unread_at(d, a):
        if local(a.date).date() > d:
            return False
        return a.path not in read or read_day.get(a.path, d) > d

    return {
        "arrived": [on[d] for d in day_list],
        "hours": [sum(1 for a in scope if local(a.date).date() == today
                      and local(a.date).hour == h) for h in range(24)],
        "read": [sum(1 for a in scope if read_day.get(a.path) == d) for d in day_list],
        "backlog": [sum(unread_at(d, a) for a in scope) for d in day_list],
        "totals": (len(scope), sum(a.path not in read for a in scope),
                   sum(a.path in starred for a in scope)),
        "sources": rows("source"), "langs": rows("lang"),
        "categories": top("categories"), "tags": top("tags"),
    }


def shown(fig):
    return {
        "arrived": list(fig.arrived), "hours": list(fig.hours), "read": list(fig.read),
        "backlog": list(fig.backlog), "totals": (fig.total, fig.unread, fig.starred),
        "sources": {r.name: (r.this_week, r.unread, r.last_week) for r in fig.sources},
        "langs": {r.name: (r.this_week, r.unread, r.last_week) for r in fig.langs},
        "categories": list(fig.categories), "tags": list(fig.tags),
    }


def marks(articles, today, seed=7):
    """Some read (at times over the window and before it) and some starred."""
    rng = random.Random(seed)
    end = datetime.combine(today, datetime.min.time(), TZ) + timedelta(days=1)
    read_at = {}
    for a in rng.sample(articles, len(articles) // 3):
        read_at[a.path] = int((end - timedelta(hours=rng.uniform(0.1, 24 * 40))).timestamp() * 1e6)
    starred = {a.path for a in rng.sample(articles, len(articles) // 5)}
    return set(read_at), starred, read_at


def scopes(articles):
    first = articles[0]
    hits = {a.path for a in articles[::3]}
    return {"all": None, "source": lambda a: a.source == first.source,
            "tag": lambda a: bool(first.tags) and first.tags[0] in a.tags,
            "hits": lambda a: a.path in hits}


def check(articles, now, days=30):
    today = local(now).date()
    read, starred, read_at = marks(articles, today)
    catalog = Catalog.of(articles)
    window = Window.ending(now, days, TZ)
    for name, member in scopes(catalog.articles).items():
        counted = tally(catalog, window, read, starred, member, read_at=read_at)
        assert shown(figures(counted)) == brute(articles, today, days, read, starred,
                                                read_at, member), name


def test_the_figures_equal_counting_the_sample_feed(sample_root, settings):
    articles = scanned(sample_root, settings)
    newest = max(a.date for a in articles)
    for now in (newest, newest - timedelta(days=20, hours=5)):
        for days in (30, 7):
            check(articles, now, days)


def test_the_figures_equal_counting_a_slice_of_the_corpus(corpus_root, settings):
    articles = scanned(corpus_root / "zh-HK", settings)
    check(articles, max(a.date for a in articles))


def test_deltas_and_marks_keep_the_figures_equal_to_counting(sample_root, settings):
    articles = scanned(sample_root, settings)
    now = max(a.date for a in articles)
    today = local(now).date()
    read, starred, read_at = marks(articles, today)
    window = Window.ending(now, 30, TZ)
    catalog = Catalog.of(articles)
    member = lambda a: a.lang != "en"  # noqa: E731
    counted = tally(catalog, window, read, starred, member, read_at=read_at)
    newest = catalog.articles[:4]
    added = tuple(replace(a, path=f"new/{i}.md", date=now - timedelta(hours=i))
                  for i, a in enumerate(newest))
    moved = replace(catalog.articles[5], date=now - timedelta(days=9))  # another week
    delta = Delta(added, (moved,), (catalog.articles[6].path,))
    change = CatalogChange(catalog.apply(delta), delta, tuple(catalog.outgoing(delta)))
    counted.changed(change, read, starred)
    catalog = change.catalog
    mark_time = now.timestamp() - 60
    for article, field, value in ((added[0], READ, True), (catalog.articles[8], READ, False),
                                  (catalog.articles[9], READ, True), (added[1], STAR, True)):
        flags = read if field == READ else starred
        (flags.add if value else flags.discard)(article.path)
        if field == READ:
            read_at.pop(article.path, None)
            if value:
                read_at[article.path] = int(mark_time * 1e6)
        counted.marked(field, article, value, mark_time)
    expected = brute(catalog.articles, today, 30, read, starred, read_at, member)
    assert shown(figures(counted)) == expected
    assert expected["arrived"][-1] >= 1  # the new articles are counted today


def test_the_totals_of_a_scope_count_the_whole_archive(sample_root, settings):
    articles = scanned(sample_root, settings)
    read = {a.path for a in articles[:10]}
    totals = count_totals(articles, read, set(), lambda a: a.lang == "en")
    english = [a for a in articles if a.lang == "en"]
    assert totals.total == len(english)
    assert totals.unread == sum(a.path not in read for a in english)


def test_a_scope_of_the_reader_counts_its_marks_and_read_times(sample_root, settings):
    from reader.session.glance_scope import GlanceScope, now_in
    from reader.session.services import Services

    services = Services(Archive.open(sample_root, settings), settings)
    try:
        services.open_state()
        services.set_articles(services.scan().articles)
        english = [a for a in services.articles if a.lang == "en"]
        services.set_read(english[:3])
        services.set_starred(english[3:4])
        services.flush()
        for key, hits in ((("lang", "en"), None), (("all", ""), [a.path for a in english])):
            scope = GlanceScope.of(services, key, hits)
            shown = figures(scope.counted(services.store, now_in(TZ), 30, TZ))
            assert (shown.total, shown.unread, shown.starred) == (len(english),
                                                                  len(english) - 3, 1)
            assert shown.read[-1] == 3  # read today (the store's read_at)
    finally:
        services.close()
