"""`newsreader stats [ARCHIVE] [QUERY] [--json] [--days N] [--until DAY|newest]`: the
archive at a glance, in the shell: articles per day and per hour, per source and
language, the week's top categories and tags, and your reading, as the reader's glance
screen counts them, from the cache's rows of the days shown (reader/session/
glance_cache.py).  `--until` moves what arrived to the days to another day (the newest
article's, for an archive not kept up to date); your reading stays on the days to today.

A first word that names a folder is the archive; the rest is a query, narrowing the
figures to its hits as `newsreader search QUERY --limit 0` finds them.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
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
    stats.add_argument("--until", metavar="YYYY-MM-DD|newest", type=_until,
                       help="what arrived over the days to this day, or to the day of the "
                       "newest article (an archive not kept up to date); your reading "
                       "stays on the days to today")
    stats.add_argument("--all", action="store_true",
                       help="ignore the [[rules]]: count the articles they hide too")
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
    hide = [] if args.all else [r for r in settings.rules if r.action == "hide"]
    if not args.no_update:
        if query or hide:  # (read and star rules change no count here)
            _update(archive, quiet=True, searching=True)
        else:
            archive.scan_if_changed()
    tz = settings.tzinfo
    counted = _counted(archive, settings, query, now_in(tz), args.days, args.until, hide)
    shown = figures(counted, scope=query or "All")
    if args.json:
        print(json_text(shown.as_json(), indent=1))
    else:
        from reader.cli.stats_text import stats_text

        print(stats_text(shown, str(archive.root), width=_width()))
    return 0


def _until(value: str):
    from reader.session.glance_cache import NEWEST

    if value == NEWEST:
        return NEWEST
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD) nor newest: {value!r}")


def _archive_and_query(words: list[str]) -> tuple[str | None, str]:
    if words and Path(words[0]).expanduser().is_dir():
        return words[0], " ".join(words[1:])
    return None, " ".join(words)


def _counted(archive, settings, query: str, now: datetime, days: int, until, hide=()):
    """The glance from the cache's rows of the days shown (not every record) and, with
    a query, its hits as `newsreader search` finds them; what the `hide` rules hide is
    left out, as the reader leaves it out."""
    from reader.session.glance_cache import cached_glance

    state = _state_of(archive)
    hits = (frozenset(searched(archive, settings, query, state, limit=0, sort="date",
                               paths_only=True).paths) if query else None)
    return cached_glance(archive.cache, state, now, days, settings.tzinfo, hits, until,
                         _hidden(archive, settings, hide))


def _hidden(archive, settings, hide) -> frozenset[str]:
    """What the `hide` rules hide (the index is already up to date)."""
    if not hide:
        return frozenset()
    from reader.cli.index_cmds import open_index
    from reader.session.rules_offline import rule_matches

    index = open_index(archive, settings, True, no_update=True)
    return frozenset().union(*(m.paths for m in rule_matches(hide, index)))


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
