"""The archive at a glance: what arrived per day and hour, per source and language, and
your reading, for one scope (All, a tree group, a search's hits), kept by deltas.

A `Tally` is counted once from a catalog (reader/session/catalog.py), which is newest
first: the window of the last weeks is a slice of it, found by bisecting dates
(glance_window.py), so counting costs the window's articles, not the archive's.  The
archive-wide numbers (unread, starred) come from the caller where it has them (the
group counts, a search's hit set).  After that the tally follows the archive and the
marks by deltas (`changed`, `marked`), never counting again.  The figures the screen
and `newsreader stats` show are derived from it on demand (glance_figures.py).

Your reading is the marks as they are now: an article read counts on the day of its
`read_at` (the state store's), and the unread backlog at the end of a day is every
article in scope dated before then that was not read by then (one marked unread again
counts as never read).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from bisect import bisect_left, bisect_right
from functools import partial
from itertools import chain, compress, repeat
from operator import attrgetter, neg, not_, sub
from typing import AbstractSet, Callable, Iterable, Mapping, Sequence

from reader.archive.model import Article
from reader.session.catalog import Catalog, CatalogChange
from reader.session.glance_window import Window
from reader.state.model import READ

Member = Callable[[Article], bool] | None  # None: every article is in scope
_PATH = attrgetter("path")
_SOURCE, _LANG = attrgetter("source"), attrgetter("lang")
_CATEGORIES, _TAGS = attrgetter("categories"), attrgetter("tags")


@dataclass
class Week:
    """One week's articles in scope, by source and language (all and unread), and their
    categories and tags (an article listing one twice counts once)."""

    sources: Counter = field(default_factory=Counter)
    sources_unread: Counter = field(default_factory=Counter)
    langs: Counter = field(default_factory=Counter)
    langs_unread: Counter = field(default_factory=Counter)
    categories: Counter = field(default_factory=Counter)
    tags: Counter = field(default_factory=Counter)

    def count(self, articles: Sequence[Article], unread: Sequence[Article]) -> None:
        """Add many articles at C speed (`unread`: those of them not read)."""
        self.sources.update(map(_SOURCE, articles))
        self.langs.update(map(_LANG, articles))
        self.sources_unread.update(map(_SOURCE, unread))
        self.langs_unread.update(map(_LANG, unread))
        self.categories.update(chain.from_iterable(map(frozenset, map(_CATEGORIES, articles))))
        self.tags.update(chain.from_iterable(map(frozenset, map(_TAGS, articles))))

    def step(self, article: Article, step: int, unread: bool) -> None:
        """One article in (+1) or out (-1)."""
        self.sources[article.source] += step
        self.langs[article.lang] += step
        if unread:
            self.read_step(article, step)
        for name in frozenset(article.categories):
            self.categories[name] += step
        for name in frozenset(article.tags):
            self.tags[name] += step

    def read_step(self, article: Article, step: int) -> None:
        """One article more (+1) or less (-1) unread."""
        self.sources_unread[article.source] += step
        self.langs_unread[article.lang] += step


class Reads:
    """The scope's articles read now whose read time is in the window: each one's pair
    (the bucket of its date, that of its read time), and how many share each pair (at
    most (span + 2)² of them: what the figures read)."""

    def __init__(self) -> None:
        self.of: dict[str, tuple[int, int]] = {}
        self.pairs: Counter = Counter()

    def put(self, path: str, pair: tuple[int, int]) -> None:
        self.pop(path)
        self.of[path] = pair
        self.pairs[pair] += 1

    def pop(self, path: str) -> tuple[int, int] | None:
        pair = self.of.pop(path, None)
        if pair is not None:
            self.pairs[pair] -= 1
        return pair


@dataclass(frozen=True)
class Totals:
    """The scope's articles over the whole archive: all, unread, starred."""

    total: int = 0
    unread: int = 0
    starred: int = 0


class Tally:
    """The counts of one scope in one window.  Buckets 0..span-1 are the window's days
    (oldest first), `window.after` those dated after today; older ones are only in the
    totals."""

    def __init__(self, window: Window, member: Member, totals: Totals) -> None:
        self.window = window
        self.member = member
        self.arrived = [0] * (window.span + 1)
        self.unread_in = [0] * (window.span + 1)
        self.hours = [0] * 24
        self.weeks = (Week(), Week())
        self.reads = Reads()
        self.total, self.unread, self.starred = totals.total, totals.unread, totals.starred

    def in_scope(self, article: Article) -> bool:
        return self.member is None or self.member(article)

    # -- counted once ----------------------------------------------------------------

    def count_window(self, articles: Sequence[Article], read: AbstractSet[str]) -> None:
        """Count the window's slice of a catalog's articles (newest first)."""
        window = self.window
        buckets = [*window.days_of(articles), window.after_of(articles)]
        for bucket, part in enumerate(buckets):
            part = part if self.member is None else list(filter(self.member, part))
            unread = list(compress(part, map(not_, map(read.__contains__, map(_PATH, part)))))
            self.arrived[bucket], self.unread_in[bucket] = len(part), len(unread)
            week = window.week_of(bucket)
            if week is not None:
                self.weeks[week].count(part, unread)
            if window.is_today(bucket):
                self.hours = window.hours_of(part)

    def count_reads(self, read_at: Mapping[str, int], catalog: Catalog,
                    read: AbstractSet[str], older: AbstractSet[str] = frozenset()) -> None:
        """Take the read times (µs since the epoch, from the state store) of articles in
        scope that are read now: each article's day found by its place in the catalog
        and each time's by bisection, in C (no date is converted).  `older`: the scope's
        articles dated before the window that the catalog leaves out (a catalog of the
        window's slice only, `newsreader stats`)."""
        window, rank, articles = self.window, catalog.rank, catalog.articles
        paths = [p for p in read_at if p in read and p in rank]
        places = list(map(rank.__getitem__, paths))
        if self.member is not None:
            kept = list(map(self.member, map(articles.__getitem__, places)))
            paths, places = list(compress(paths, kept)), list(compress(places, kept))
        minus_bounds = [-b for b in window.bounds_of(articles)]
        dated = map(sub, map(partial(bisect_left, minus_bounds), map(neg, places)), repeat(1))
        self._take_reads(paths, dated, read_at)
        before = [p for p in read_at if p in older and p in read and p not in rank]
        self._take_reads(before, repeat(-1), read_at)

    def _take_reads(self, paths: list[str], dated: Iterable[int],
                    read_at: Mapping[str, int]) -> None:
        times = map(read_at.__getitem__, paths)
        marked = map(sub, map(partial(bisect_right, self.window.starts_us), times), repeat(1))
        pairs = list(zip(dated, marked))
        self.reads.of.update(zip(paths, pairs))
        self.reads.pairs.update(pairs)

    def _bucket(self, article: Article) -> int:
        return self.window.bucket(article.date.timestamp())

    # -- kept by deltas ---------------------------------------------------------------

    def changed(self, change: CatalogChange, read: AbstractSet[str],
                starred: AbstractSet[str]) -> None:
        """Apply a catalog change: the records it replaced or removed out, the new in."""
        was_read = {}
        for article in change.outgoing:
            if self.in_scope(article):
                self.step(article, -1, article.path in read, article.path in starred)
                if article.path in self.reads.of:
                    was_read[article.path] = self.reads.pop(article.path)[1]
        for article in change.incoming:
            if self.in_scope(article):
                self.step(article, 1, article.path in read, article.path in starred)
                if article.path in was_read:
                    self.reads.put(article.path, (self._bucket(article), was_read[article.path]))

    def step(self, article: Article, step: int, is_read: bool, is_starred: bool) -> None:
        """One article of the scope in (+1) or out (-1)."""
        self.total += step
        self.unread += 0 if is_read else step
        self.starred += step if is_starred else 0
        bucket = self._bucket(article)
        if bucket < 0:
            return
        self.arrived[bucket] += step
        self.unread_in[bucket] += 0 if is_read else step
        week = self.window.week_of(bucket)
        if week is not None:
            self.weeks[week].step(article, step, not is_read)
        if self.window.is_today(bucket):
            self.hours[self.window.hour(article.date.timestamp())] += step

    def marked(self, field: int, article: Article, value: bool, now: float) -> None:
        """A mark changed (`now`: its time, seconds since the epoch), for an article that
        is in scope after it as before (a scope by the marks is counted again instead)."""
        if not self.in_scope(article):
            return
        if field != READ:
            self.starred += 1 if value else -1
            return
        step = -1 if value else 1  # unread
        self.unread += step
        bucket = self._bucket(article)
        if bucket >= 0:
            self.unread_in[bucket] += step
            week = self.window.week_of(bucket)
            if week is not None:
                self.weeks[week].read_step(article, step)
        if value:
            self.reads.put(article.path, (bucket, self.window.bucket(now)))
        else:
            self.reads.pop(article.path)


def tally(catalog: Catalog, window: Window, read: AbstractSet[str],
          starred: AbstractSet[str], member: Member = None, totals: Totals | None = None,
          read_at: Mapping[str, int] | None = None,
          older: AbstractSet[str] = frozenset()) -> Tally:
    """Count a scope's figures in `window`.  `totals`: the scope's over the whole archive
    when the caller has them (else counted here, over every article); `read_at`: read
    times from the state store (since the window's start will do); `older`: see
    `Tally.count_reads`."""
    if totals is None:
        totals = count_totals(catalog.articles, read, starred, member)
    counted = Tally(window, member, totals)
    counted.count_window(catalog.articles, read)
    counted.count_reads(read_at or {}, catalog, read, older)
    return counted


def count_totals(articles: Iterable[Article], read: AbstractSet[str],
                 starred: AbstractSet[str], member: Member = None) -> Totals:
    """A scope's totals counted over every article (a script, a test)."""
    paths = [a.path for a in (articles if member is None else filter(member, articles))]
    return paths_totals(paths, read, starred)


def paths_totals(paths: Iterable[str], read: AbstractSet[str],
                 starred: AbstractSet[str]) -> Totals:
    """The totals of a scope held as paths (a search's hits, all in the catalog)."""
    paths = paths if isinstance(paths, AbstractSet) else set(paths)
    return Totals(len(paths), len(paths) - len(paths & read), len(paths & starred))
