"""`newsreader rules test`: each rule of the config file, its action, how many articles
it matches now and the newest of them, as the reader applies it.

A rule's matches are those of `newsreader search QUERY --limit 0`; for a read or
star rule, the articles whose mark the user made themselves are counted apart
(the rule leaves them as they are).  A rule that cannot be applied (its query
does not parse, or has an `is:` term) is listed with the reason.
"""

from __future__ import annotations

import argparse

from reader.cli.common import add_archive_argument, open_archive
from reader.cli.index_cmds import _state_of, open_index
from reader.textsafe import clean_line, json_text

SAMPLE = 10  # titles printed per rule


def register(sub: argparse._SubParsersAction) -> None:
    rules = sub.add_parser("rules", help="the [[rules]] of the config file")
    verbs = rules.add_subparsers(dest="rules_command", metavar="COMMAND", required=True)
    test = verbs.add_parser("test", help="print what each rule matches now, with a sample")
    add_archive_argument(test, positional=True)
    test.add_argument("--json", action="store_true", help="print a JSON array of {name, "
                      "query, action, matches, own_marks, sample: [{path, title, date}]}")
    test.add_argument("--no-update", action="store_true",
                      help="match in the index as it is, without bringing it up to date")
    test.set_defaults(func=run_test)


def run_test(args: argparse.Namespace, settings) -> int:
    from reader.session.rules_offline import rule_matches

    archive = open_archive(args, settings)
    index = open_index(archive, settings, bool(settings.rules), args.no_update)
    state = _state_of(archive)
    decided = getattr(state, "decided", None)
    rows = [_row(match, index, decided) for match in rule_matches(settings.rules, index)]
    _print(rows, args.json, settings.config_path)
    return 0


def _row(match, index, decided) -> dict:
    from reader.state.model import READ, STAR

    rule = match.rule
    row: dict = {"name": rule.name, "query": rule.query, "action": rule.action}
    if match.problem:
        row["problem"] = match.problem
        return row
    field = {"read": READ, "star": STAR}.get(rule.action)
    own = len(decided(field, match.paths)) if field is not None and decided else 0
    sample = index.search(rule.query, limit=SAMPLE, sort="date").hits
    row.update(matches=len(match.paths), own_marks=own,
               sample=[{"path": h.path, "title": h.title, "date": h.date} for h in sample])
    return row


def _print(rows: list[dict], as_json: bool, config_path) -> None:
    if as_json:
        print(json_text(rows, indent=1))
        return
    if not rows:
        print(f"No rules: add [[rules]] tables (query, action) to {config_path}.")
    for row in rows:
        name = "" if row["name"] == row["query"] else f"{clean_line(row['name'])}  "
        head = f"{name}[{row['action']}]  {clean_line(row['query'])}"
        if "problem" in row:
            print(f"{head}\n    cannot be applied: {row['problem']}")
            continue
        own = (f" ({row['own_marks']:,} marked by you, left as they are)"
               if row["own_marks"] else "")
        print(f"{head}\n    {row['matches']:,} matches{own}")
        for hit in row["sample"]:
            print(f"    {hit['date'][:10]}  {clean_line(hit['title'])}")
        if row["matches"] > len(row["sample"]):
            print(f"    … and {row['matches'] - len(row['sample']):,} more")
