"""`newsreader searches`: the saved searches of the config file, with their counts.

Each count is that of `newsreader search QUERY --limit 0` (total), and of its
hits not read (unread) and starred; a query that cannot be a saved search (it
does not parse, or has an `is:` term of the marks) is listed with the reason, not
counted.  As the reader's tree counts them: by story (`count_by = "stories"`, with
`group_stories`: a story once, unread while one of its copies is), or by article;
while there are stories, the counts say which ("stories", "counted" in JSON).
"""

from __future__ import annotations

import argparse

from reader.cli.common import add_archive_argument, open_archive
from reader.cli.index_cmds import _state_of, open_index
from reader.textsafe import clean_line, json_text


def register(sub: argparse._SubParsersAction) -> None:
    searches = sub.add_parser("searches", help="list the saved searches ([[searches]] in "
                              "the config file) with their counts")
    add_archive_argument(searches, positional=True)
    searches.add_argument("--json", action="store_true",
                          help="print a JSON array of {name, query, total, unread, starred, "
                          "counted}")
    searches.add_argument("--no-update", action="store_true",
                          help="count in the index as it is, without bringing it up to date")
    searches.add_argument("--all", action="store_true",
                          help="ignore the [[rules]]: count hidden articles, the user's marks")
    searches.set_defaults(func=run_searches)


def run_searches(args: argparse.Namespace, settings) -> int:
    from reader.index import QueryError
    from reader.session.rules_offline import applied
    from reader.session.saved_searches import parse_saved

    archive = open_archive(args, settings)
    index = open_index(archive, settings, bool(settings.searches), args.no_update)
    state = _state_of(archive)
    hidden: frozenset[str] = frozenset()
    if settings.rules and not args.all:  # as the reader counts: hidden ones not at all
        state = applied(settings.rules, index, state)[1]
        hidden = state.hidden
    read, starred = (state.read_set(), state.starred_set()) if state else (set(), set())
    count, counted = _counter(archive, settings)
    rows = []
    for search in settings.searches:
        row = {"name": search.name, "query": search.query}
        try:  # as a saved search's node counts it: every hit, as a set
            results = index.hit_set(parse_saved(search.query, index.tz), state=state)
            problem = results.error
        except QueryError as exc:
            problem = str(exc)
        if problem:
            row["problem"] = problem
        else:
            paths = set(results.paths) - hidden
            row.update(total=count(paths), unread=count(paths - read),
                       starred=count(paths & starred), counted=counted)
        rows.append(row)
    _print(rows, args.json, settings.config_path)
    return 0


def _counter(archive, settings):
    """(how many of what the tree counts a set of paths is, and what that is: "stories"
    while there are stories counted by story, else "articles")."""
    if not (settings.group_stories and settings.count_by == "stories"):
        return len, "articles"
    from reader.cli.story_hits import open_hit_stories
    from reader.session.story_counts import stories_in

    view = open_hit_stories(archive, settings).view
    return (lambda paths: stories_in(paths, view)), ("stories" if view else "articles")


def _print(rows: list[dict], as_json: bool, config_path) -> None:
    if as_json:
        print(json_text(rows, indent=1))
        return
    if not rows:
        print(f"No saved searches: add [[searches]] tables (name, query) to {config_path}, "
              "or press b in the reader after a search.")
    width = max((len(clean_line(r["name"])) for r in rows), default=0)
    for row in rows:
        name = clean_line(row["name"]).ljust(width)
        unit = " stories" if row.get("counted") == "stories" else ""
        counts = (f"cannot count: {row['problem']}" if "problem" in row else
                  f"{row['unread']:>7,} unread {row['total']:>7,} total{unit}")
        print(f"{name}  {counts}  {clean_line(row['query'])}")
