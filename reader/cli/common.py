"""What every subcommand shares: settings, the archive it works on, messages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.archive import Archive
from reader.config import Settings
from reader.resources import sample_feed_path


class CommandError(Exception):
    """A failure to report in one line (exit code 2), never as a traceback."""


def resolve_archive_path(value: str | None, settings: Settings) -> Path:
    """The archive named on the command line, else the configured one, else the sample feed."""
    if value:
        path = Path(value).expanduser()
    elif settings.default_archive:
        path = settings.default_archive
    else:
        path = sample_feed_path()
    if not path.exists():
        raise CommandError(f"no such archive folder: {path}")
    if not path.is_dir():
        raise CommandError(f"not a folder: {path}")
    return path.resolve()


def open_archive(args: argparse.Namespace, settings: Settings) -> Archive:
    return Archive.open(resolve_archive_path(getattr(args, "archive", None), settings), settings)


def add_archive_argument(parser: argparse.ArgumentParser, positional: bool = True) -> None:
    help_text = "archive folder (default: the configured one, else the bundled sample feed)"
    if positional:
        parser.add_argument("archive", nargs="?", metavar="ARCHIVE", help=help_text)
    else:
        parser.add_argument("--archive", metavar="ARCHIVE", help=help_text)


def warn(message: str) -> None:
    print(f"newsreader: {message}", file=sys.stderr)
