"""`newsreader scan` and `newsreader doctor`: the archive and its broken files."""

from __future__ import annotations

import argparse

from reader.cli.common import add_archive_argument, open_archive
from reader.cli.progress import ProgressPrinter
from reader.textsafe import clean_line, json_text


def register(sub: argparse._SubParsersAction) -> None:
    scan = sub.add_parser("scan", help="bring the metadata cache up to date with the folder")
    add_archive_argument(scan)
    scan.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    scan.set_defaults(func=run_scan)
    doctor = sub.add_parser("doctor", help="list files that could not be read or parsed, and why")
    add_archive_argument(doctor)
    doctor.add_argument("--json", action="store_true", help="print a JSON array of {path, reason}")
    doctor.set_defaults(func=run_doctor)


def run_scan(args: argparse.Namespace, settings) -> int:
    archive = open_archive(args, settings)
    bar = ProgressPrinter("scanning", quiet=args.quiet)
    result = archive.scan(progress=bar)
    bar.finish()
    for notice in archive.notices:
        print(clean_line(notice))
    print(
        f"{len(result.articles)} articles: {len(result.added)} added, {len(result.updated)} "
        f"updated, {len(result.removed)} removed, {len(result.problems)} with problems; "
        f"{result.parsed_count} files parsed in {result.seconds:.2f} s"
    )
    return 0


def run_doctor(args: argparse.Namespace, settings) -> int:
    """Exit 0 when every file reads cleanly, 1 when some have problems."""
    archive = open_archive(args, settings)
    result = archive.scan()
    problems = result.problems
    if args.json:
        print(json_text([{"path": p.path, "reason": p.reason} for p in problems], indent=1))
    else:
        for p in problems:
            print(f"{clean_line(p.path)}: {clean_line(p.reason)}")
        print(f"{len(problems)} of {len(result.articles) + _unreadable(problems, result)} files "
              f"with problems in {clean_line(str(archive.root))}")
    return 1 if problems else 0


def _unreadable(problems, result) -> int:
    readable = {a.path for a in result.articles}
    return sum(1 for p in problems if p.path not in readable)
