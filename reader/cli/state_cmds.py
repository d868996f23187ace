"""`newsreader state export|import`: move read and starred marks between machines.

    newsreader state export [FILE] [--archive ARCHIVE]    JSON to FILE, or stdout
    newsreader state import FILE [--archive ARCHIVE]      merge; FILE may be - (stdin)

The format is documented in docs/state-format.md; an import merges, the newer
change winning per article, and can be taken back with the reader's undo.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from reader.cli.common import CommandError, add_archive_argument, open_archive, warn
# reader.state and its transfer format are imported by the commands that use them:
# every other `newsreader` command starts without them.


def register(subparsers) -> None:
    state = subparsers.add_parser("state", help="export or import read and starred marks")
    sub = state.add_subparsers(dest="state_command", metavar="ACTION", required=True)
    export = sub.add_parser("export", help="write the marks as JSON (to stdout without FILE)")
    export.add_argument("file", nargs="?", metavar="FILE", help="where to write (default: stdout)")
    add_archive_argument(export, positional=False)
    export.set_defaults(func=run_export)
    imp = sub.add_parser("import", help="merge marks from an export, the newer change winning")
    imp.add_argument("file", metavar="FILE", help="an export of `newsreader state export` (- for stdin)")
    add_archive_argument(imp, positional=False)
    imp.set_defaults(func=run_import)


def run_export(args: argparse.Namespace, settings) -> int:
    from reader.state import STATE_FILE_NAME
    from reader.state.transfer import build_document, write_document

    archive = open_archive(args, settings)
    path = archive.data_dir / STATE_FILE_NAME
    if path.exists():
        with _store(path) as store:
            doc = store.export_state(_articles(archive))
    else:
        doc = build_document([], {})  # nothing marked yet: an empty export, no file created
    if args.file in (None, "-"):
        write_document(doc, sys.stdout)
    else:
        _write_atomically(Path(args.file), doc)
        print(f"exported {len(doc['articles'])} articles' marks to {args.file}", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace, settings) -> int:
    from reader.state import STATE_FILE_NAME, StateError
    from reader.state.transfer import load_document

    source = "stdin" if args.file == "-" else args.file
    try:
        doc = load_document(_read_text(args.file), source)
    except StateError as exc:
        raise CommandError(f"cannot import {source}: {exc}") from exc
    archive = open_archive(args, settings)
    if not archive.cached_count():  # never scanned: scan, to tell which entries match
        archive.scan()
    with _store(archive.data_dir / STATE_FILE_NAME) as store:
        try:
            report = store.import_state(doc, _articles(archive))
        except StateError as exc:
            raise CommandError(f"cannot import {source}: {exc}") from exc
    print(f"imported {source}: {report.summary()}")
    if report.none_matched():
        warn(f"none of the {report.entries:,} entries matched an article in {archive.root}: "
             "is it the archive they were exported from? (--archive names another)")
    return 0


def _read_text(file: str) -> str:
    """The file (or stdin) as UTF-8 text; anything else is a one-line error."""
    try:
        if file == "-":
            data = sys.stdin.buffer.read()
        else:
            data = Path(file).read_bytes()
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(f"cannot read {file}: it is not UTF-8 text (byte "
                           f"{exc.object[exc.start]:#04x} at offset {exc.start})") from None
    except OSError as exc:
        raise CommandError(f"cannot read {file}: {exc}") from exc


def _store(path: Path):
    from reader.state import StateError, StateStore

    try:
        return StateStore.open(path)
    except StateError as exc:
        raise CommandError(str(exc)) from exc


def _articles(archive) -> dict:
    """The archive's articles from its metadata cache (nothing parsed), by path."""
    return {a.path: a for a in archive.cached()}


def _write_atomically(target: Path, doc: dict) -> None:
    """Write through a temporary file, so a failed export never leaves half a file."""
    from reader.state.transfer import write_document

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            write_document(doc, out)
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise CommandError(f"cannot write {target}: {exc}") from exc
