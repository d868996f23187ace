"""`newsreader related PATH`: the articles most like one, that are not copies of it."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from reader.cli.common import CommandError, add_archive_argument, open_archive
from reader.cli.story_hits import copies_by_path, open_hit_stories, story_fields
from reader.textsafe import clean_line, json_text


def register(sub: argparse._SubParsersAction) -> None:
    related = sub.add_parser("related", help="the five articles most like one (not its copies)")
    related.add_argument("path", metavar="PATH", help="the article: relative to the archive, or a path to its file")
    add_archive_argument(related, positional=False)
    related.add_argument("--limit", type=int, default=5, metavar="N")
    related.add_argument("--json", action="store_true", help="print a JSON array of hits")
    related.add_argument("--no-update", action="store_true",
                         help="use the index as it is, without bringing it up to date")
    related.set_defaults(func=run_related)


def run_related(args: argparse.Namespace, settings) -> int:
    from reader.cli.index_cmds import open_index
    from reader.session.related import related

    archive = open_archive(args, settings)
    index = open_index(archive, settings, True, args.no_update)  # (the update scans)
    args.path = archive_path(archive.root, args.path)
    article = archive.cache.article(args.path)
    if article is None:
        raise CommandError(f"no article {args.path} in {archive.root} (a path relative "
                           "to the archive, as `newsreader search --json` gives it)")
    parsed = archive.read(args.path)
    # copies are never "related", whether the list groups them or not (group_stories)
    stories = open_hit_stories(archive, replace(settings, group_stories=True))
    hits = related(args.path, f"{article.title}\n{parsed.body}", index, stories,
                   max(args.limit, 1))
    if args.json:
        by_path = copies_by_path(archive, stories, (h.path for h in hits)) \
            if stories is not None else {}
        print(json_text([dict(h.as_json(), **(story_fields(h.path, stories, by_path)
                                              if stories is not None else {}))
                         for h in hits], indent=1))
    else:
        for hit in hits:
            print(f"{hit.date[:10]}  {clean_line(hit.title)}\n    {clean_line(hit.path)}")
    return 0


def archive_path(root: Path, given: str) -> str:
    """`given` as the archive names it: a path to one of its files (absolute, or from
    the current folder) is taken relative to the archive; anything else as it is."""
    candidate = Path(given).expanduser()
    if candidate.is_absolute() or candidate.is_file():
        try:
            return candidate.resolve().relative_to(Path(root).resolve()).as_posix()
        except (ValueError, OSError):  # (outside the archive, or unreadable: as given)
            pass
    return given

