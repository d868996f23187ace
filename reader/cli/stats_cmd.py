"""`newsreader stats [ARCHIVE] [QUERY] [--json] [--days N]`: the archive at a glance, in
the shell: articles per day and per hour today, per source and language, your reading,
the week's top categories and tags, as the reader's glance screen counts them.

A first word that names a folder is the archive; the rest is a query, narrowing the
figures to its hits as `newsreader search QUERY --limit 0` finds them.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time
from pathlib import Path

from reader.cli.common import CommandError, open_archive
from reader.cli.index_cmds import _state_of, _update, searched
from reader.textsafe import json_text


def register(sub: argparse._SubParsersAction) -> None:
    stats = sub.add_parser("stats", help="the archive at a glance: articles per day, per "
                           "source and language, your reading, the week's top tags")
    stats.add_argument("words", nargs="*", metavar="[ARCHIVE] [QUERY]",
                       help="archive folder (default: the configured one, else the sample "
                       "feed), then a query narrowing the figures to its hits")
    stats.add_argument("--json", action="store_true", help="print the figures as JSON")
    stats.add_argument("--days", type=int, default=30, metavar="N",
                       help="the days the per-day figures cover, to today (default 30)")
    stats.add_argument("--until", metavar="YYYY-MM-DD", type=date.fromisoformat,
                       help="count as if today were this day (an archive not kept up to date)")
    stats.add_argument("--no-update", action="store_true",
                       help="count the cache (and index) as they are, without a scan")
    stats.set_defaults(func=run_stats)


def run_stats(args: argparse.Namespace, settings) -> int:
    from reader.session.glance_figures import figures
    from reader.session.glance_scope import now_in

    if args.days < 1:
        raise CommandError("--days must be 1 or more")
    args.archive, query = _archive_and_query(args.words)
    archive = open_archive(args, settings)
    if not args.no_update:
        _update(archive, quiet=True, searching=True) if query else archive.scan()
    tz = settings.tzinfo
    now = (datetime.combine(args.until, time(23, 59, 59), tz) if args.until
           else now_in(tz))
    counted = _counted(archive, settings, query, now, args.days)
    shown = figures(counted, scope=query or "All")
    if args.json:
        print(json_text(shown.as_json(), indent=1))
    else:
        from reader.cli.stats_text import stats_text

        print(stats_text(shown, str(archive.root), width=_width()))
    return 0


def _archive_and_query(words: list[str]) -> tuple[str | None, str]:
    if words and Path(words[0]).expanduser().is_dir():
        return words[0], " ".join(words[1:])
    return None, " ".join(words)


def _counted(archive, settings, query: str, now: datetime, days: int):
    from reader.session.catalog import Catalog
    from reader.session.glance import paths_totals
    from reader.session.glance_scope import GlanceScope
    from reader.session.listing import newest_first

    articles = newest_first(archive.cached())
    catalog = Catalog(tuple(articles), {a.path: a for a in articles})  # no titles folded
    state = _state_of(archive)
    read, starred = ((frozenset(state.read_set()), frozenset(state.starred_set()))
                     if state else (frozenset(), frozenset()))
    paths = (frozenset(searched(archive, settings, query, state, limit=0, sort="date",
                                paths_only=True).paths) & catalog.by_path.keys()
             if query else catalog.by_path.keys())
    member = (lambda a: a.path in paths) if query else None
    scope = GlanceScope(catalog, read, starred, member, paths_totals(paths, read, starred))
    return scope.counted(state, now, days, settings.tzinfo)


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
