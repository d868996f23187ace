"""`newsreader index` and `newsreader search`: the full-text index from the shell."""

from __future__ import annotations

import argparse
import sys

from reader.cli.common import CommandError, add_archive_argument, open_archive, warn
from reader.cli.progress import ProgressPrinter
from reader.cli.story_hits import (asked_limit, copies_by_path, grouped, open_hit_stories,
                                   story_fields)
from reader.textsafe import clean_line, json_text
from reader.index.syntax import query_help_text


def register(sub: argparse._SubParsersAction) -> None:
    index = sub.add_parser("index", help="bring the search index up to date")
    add_archive_argument(index, positional=True)
    index.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    index.add_argument("--full", action="store_true",
                       help="look at every file, also when no folder changed (finds files "
                       "rewritten in place)")
    index.add_argument("--merge", action="store_true",
                       help="then merge the index's segments, 8 of a size at a time, until "
                       "no size has 8 (faster searches; long: about 2-3 ms of CPU an article "
                       "merged, at low priority)")
    index.set_defaults(func=run_index)
    search = sub.add_parser("search", help="search the archive (see docs/query-language.md)",
                            description=QUERY_HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    search.add_argument("query", metavar="QUERY", help="the query (quote it in the shell)")
    add_archive_argument(search, positional=False)
    search.add_argument("--limit", type=int, default=20, metavar="N",
                        help="hits to show (0: all; default 20)")
    search.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    search.add_argument("--json", action="store_true", help="print a JSON array of hits")
    search.add_argument("--no-update", action="store_true",
                        help="search the index as it is, without bringing it up to date")
    search.add_argument("--all", action="store_true",
                        help="ignore the [[rules]]: hidden articles too, the user's own marks")
    search.add_argument("--no-group", action="store_true",
                        help="every copy of a story as its own hit (default: one per story)")
    search.set_defaults(func=run_search)


QUERY_HELP = query_help_text()


class _PhasePrinter:
    """Progress of an update: one bar per phase (scan, index, finalize)."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.bars: dict[str, ProgressPrinter] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase not in self.bars:
            for bar in self.bars.values():
                bar.finish()
            label = {"scan": "scanning", "index": "indexing", "finalize": "finalizing"}[phase]
            self.bars[phase] = ProgressPrinter(label, quiet=self.quiet)
        self.bars[phase](done, total)

    def finish(self) -> None:
        for bar in self.bars.values():
            bar.finish()


SEARCHING_ANYWAY = ("the index is being updated by another newsreader; "
                    "searching what is indexed so far")


def _update(archive, quiet: bool, searching: bool = False, full: bool = False,
            merge: bool = False):
    """Bring the index up to date; before a search, another writer at work is only a
    notice (its commits so far are searched).  Unless `full`, the archive is walked only
    when one of its folders changed since the last full scan (folder_stamps.py)."""
    from reader.index import update_index

    printer = _PhasePrinter(quiet)
    summary = update_index(archive, progress=printer, full=full, merge=merge)
    printer.finish()
    if summary.notice:
        warn(summary.notice)
    if searching and summary.busy:
        warn(SEARCHING_ANYWAY)
    elif summary.error:
        raise CommandError(f"indexing failed: {summary.error}")
    return summary


def open_index(archive, settings, wanted: bool, no_update: bool):
    """The archive's index, brought up to date first unless `no_update` (only when it is
    `wanted`: there is something to search); CommandError when there is none."""
    from reader.index import SearchIndex, index_dir_of
    from reader.index.whoosh_patches.mapped_parts import touch_pages

    if wanted and not no_update:
        _update(archive, quiet=True, searching=True)
    touch_pages(False)  # one search reads a few pages of the index, not all of them
    index = SearchIndex.open(index_dir_of(archive), root=archive.root,
                             timezone=settings.timezone)
    status = index.status()
    if wanted and not status.exists:  # "0 matches" would claim the archive has none
        raise CommandError(f"no search index yet for {archive.root}: run "
                           "`newsreader index` first (or without --no-update)")
    if wanted and not status.complete:  # partial answers say so, as the reader does
        warn(f"the index is not complete: searched the {status.indexed:,} articles indexed "
             f"so far of {archive.cached_count():,} (`newsreader index` completes it)")
    return index


def run_index(args: argparse.Namespace, settings) -> int:
    archive = open_archive(args, settings)
    summary = _update(archive, args.quiet, full=args.full, merge=args.merge)
    print(summary.line())
    return 0


def _grouped_search(index, args, rules, state, archive, settings, group: bool):
    """(the state, the results, the stories): the search's hits, one per story when
    `group`.  `--limit` counts stories, so where a story's copies crowd out the hits asked
    for, they are asked for again, wider, until `--limit` stories remain or every hit
    was seen."""
    from reader.index.searcher import UNREADABLE

    asked = asked_limit(args.limit, group)
    state = _ruled_state(index, rules, state)
    while True:
        results = _visible_search(index, args, state, asked, state.hidden if rules else None)
        if results.error == UNREADABLE:  # the index, not the query, is at fault
            raise CommandError(UNREADABLE)
        if results.error:
            raise CommandError(f"bad query: {results.error}")
        stories = open_hit_stories(archive, settings, [h.path for h in results.hits]) \
            if settings.group_stories else None
        if stories is None or not group:
            return state, results, stories
        hits = grouped(results.hits, stories, args.limit)
        if not asked or len(hits) >= args.limit or len(results.hits) < asked:
            results.hits = hits
            return state, results, stories
        asked *= 4


def run_search(args: argparse.Namespace, settings) -> int:
    if args.limit < 0:
        raise CommandError("--limit must be 0 (all) or more")
    archive = open_archive(args, settings)
    index = open_index(archive, settings, True, args.no_update)
    rules = settings.rules if not args.all else ()
    group = settings.group_stories and not args.no_group
    wanted = rules or args.json or _needs_state(args.query, index)
    state = _state_of(archive) if wanted else None
    state, results, stories = _grouped_search(index, args, rules, state, archive, settings, group)
    if args.json:
        marks = state or _NothingMarked()
        read, starred = marks.read_set(), marks.starred_set()
        by_path = copies_by_path(archive, stories, (h.path for h in results.hits)) \
            if stories is not None else {}
        print(json_text([dict(h.as_json(), read=h.path in read, starred=h.path in starred,
                              **(story_fields(h.path, stories, by_path) if stories
                                 is not None else {"story": None, "copies": []}))
                         for h in results.hits], indent=1))
    else:
        _print_hits(results, by_story=group and bool(stories is not None and stories.view))
    return 0


def _needs_state(query: str, index) -> bool:
    """Whether the query has is: or added: terms: the reading state (and its module) is
    opened only for them, for --json's marks and for the rules."""
    from reader.index.query import QueryError, parse_query

    try:
        return parse_query(query, index.tz).needs_state
    except QueryError:  # the search says what is wrong
        return False


def _ruled_state(index, rules, state):
    """The state with `rules`' marks in it and the articles they hide (once a search,
    however many times its hits are asked for); `state` itself without rules."""
    if not rules:
        return state
    from reader.session.rules_offline import applied

    return applied(rules, index, state)[1]


def _visible_search(index, args: argparse.Namespace, state, limit: int, hidden):
    """The results of `limit` hits, those in `hidden` (the rules' hidden articles, or
    None without rules) left out."""
    if hidden is None:
        return index.search(args.query, limit=limit, sort=args.sort, state=state)
    from reader.session.rules_offline import search_visible

    return search_visible(index, args.query, limit, args.sort, state, hidden)


def searched(archive, settings, query: str, state, **options):
    """The index's results for `query` (`options`: limit, sort, paths_only), the index
    already brought up to date by the caller; a missing index, an unreadable one or a bad
    query is a CommandError."""
    from reader.index.searcher import UNREADABLE

    index = open_index(archive, settings, True, no_update=True)
    results = index.search(query, state=state, **options)
    if results.error == UNREADABLE:  # the index, not the query, is at fault
        raise CommandError(UNREADABLE)
    if results.error:
        raise CommandError(f"bad query: {results.error}")
    return results


class _NothingMarked:
    """The reading state of an archive never opened in the reader: nothing is read,
    starred, new (is:new) or first seen on any day (added:)."""

    def read_set(self) -> set[str]:
        return set()

    def starred_set(self) -> set[str]:
        return set()

    new_set = read_set

    def added_between(self, start: int | None, end: int | None) -> set[str]:
        return set()


def _state_of(archive):
    """The archive's read/starred store, or None when it cannot be opened."""
    from reader.state import STATE_FILE_NAME, StateError, StateStore

    path = archive.data_dir / STATE_FILE_NAME
    if not path.exists():
        return _NothingMarked()
    try:
        return StateStore.open(path)
    except (StateError, OSError) as exc:
        warn(f"reading state unavailable ({exc}): is: and added: filters cannot be used")
        return None


def _print_hits(results, by_story: bool = False) -> None:
    """The hits, and how many of how many: by story, the stories printed of the index's
    matching articles ("3 stories of 5 matching articles"), as the reader counts."""
    bold = sys.stdout.isatty()
    for hit in results.hits:
        print(f"{hit.date[:10]}  {clean_line(hit.title)}")
        print(f"    {clean_line(hit.path)}")
        if hit.snippet:
            print(f"    {_marked(hit.snippet, hit.snippet_spans, bold)}")
    about = "" if results.total_exact else "about "
    shown, total = len(results.hits), f"{about}{results.total:,} matches"
    if by_story:
        shown = f"{shown} {'story' if shown == 1 else 'stories'}"
        total = f"{about}{results.total:,} matching article{'s' * (results.total != 1)}"
    print(f"{shown} of {total} ({results.seconds * 1000:.0f} ms)")


def _marked(text: str, spans: list[tuple[int, int]], bold: bool) -> str:
    """The snippet without control characters, its matches in bold on a terminal."""
    if not bold:
        return clean_line(text)
    out, last = [], 0
    for a, b in spans:
        out += [clean_line(text[last:a], strip=False), "\x1b[1m",
                clean_line(text[a:b], strip=False), "\x1b[0m"]
        last = b
    out.append(clean_line(text[last:], strip=False))
    return "".join(out).strip()
