"""Entry point: `newsreader [ARCHIVE]` opens the reader; subcommands do the rest.

Each subcommand module has `register(subparsers)`, which adds its parsers with
`set_defaults(func=...)`; a func takes (args, settings) and returns an exit code.
`search` and `index`, which scripts run often, build only their own module's parsers
(`newsreader search` is a whole process of about 0.1 s: the other modules stay unread).
A command of ONE_SHOT in a process of its own runs without the garbage collector
(`_one_shot`), which is why this module imports the rest of reader/ only once it runs.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys

from reader import __version__

SUBCOMMANDS = ("archive_cmds", "index_cmds", "related_cmd", "rules_cmd", "searches_cmd",
               "state_cmds", "stats_cmd", "watch_cmd")  # modules of reader/cli
ALONE = {"search": "index_cmds", "index": "index_cmds"}  # command -> the module it needs
GLOBAL_OPTIONS = ("--data-dir", "--config")
ONE_SHOT = ("search",)  # short commands that write nothing but their output (_one_shot)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line's parser; for a command of ALONE, its module's parsers only."""
    from reader.cli.common import add_archive_argument

    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="Read, search and keep up with a folder of Hugo-style markdown news.",
        epilog="Run `newsreader COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    _add_global_options(parser, default=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    read = sub.add_parser("read", help="open the reader (the default command)")
    add_archive_argument(read)
    read.set_defaults(func=run_reader)
    for name in (ALONE[command],) if command in ALONE else SUBCOMMANDS:
        importlib.import_module(f"reader.cli.{name}").register(sub)
    for subparser in _all_subparsers(parser):
        _add_global_options(subparser, default=argparse.SUPPRESS)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, default) -> None:
    """--data-dir and --config are accepted before or after the command."""
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="where cache, index and state live "
                        "(default: the platform's user data dir; env NEWSREADER_DATA_DIR)")
    parser.add_argument("--config", metavar="FILE", default=default,
                        help="config file (env NEWSREADER_CONFIG)")


def _all_subparsers(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield child
                yield from _all_subparsers(child)


def run_reader(args: argparse.Namespace, settings) -> int:
    from reader.cli.common import open_archive
    from reader.cli.process_end import end_process
    from reader.cli.start_keys import StartKeys, quit_keys

    archive, ends = None, getattr(args, "own_process", False)
    # a key typed before Textual takes the terminal stays off the screen, and a q then
    # quits at once (reader/cli/start_keys.py)
    with StartKeys(quit_keys(settings.keys)) as keys:
        try:
            keys.listen()
            archive = open_archive(args, settings)
            with keys.paused():  # (the look forks its workers while there is no thread)
                archive.look_ahead()  # a first open: its newest found while Textual loads
            from reader.ui.app import run_app  # Textual is only imported to open the reader

            typed = keys.hand_over()
        except KeyboardInterrupt:
            if not keys.quit:
                raise
            if archive is not None:
                archive.close()
            code = 0
        else:
            code = run_app(archive, settings, typed, ends_process=ends)
    if ends:  # the terminal is as it was: nothing more is waited for
        end_process(code)
    return code


def main(argv: list[str] | None = None) -> int:
    """Run a command line; None: this process's own (sys.argv)."""
    if argv is None:
        argv = sys.argv[1:]
        if _command_word(argv) in ONE_SHOT:
            return _one_shot(argv)
        return _run(argv, own_process=True)
    return _run(list(argv))


def _one_shot(argv: list[str]) -> int:
    """A ONE_SHOT command as the whole process: without the cyclic garbage collector, and
    every object set aside (`gc.freeze`) once it is done.  Each collection walks every
    object the imports made, and the last one runs at exit: 60-70 ms of a 100k search's
    250 ms of CPU (load 5).  What cyclic garbage a search makes is freed with the process."""
    gc.disable()
    try:
        return _run(argv)
    finally:
        gc.freeze()


def _run(argv: list[str], own_process: bool = False) -> int:
    """`own_process`: the command line is this process's, which the reader may end
    itself once it has closed (reader/cli/process_end.py)."""
    from reader.cli.common import CommandError, warn
    from reader.config import ConfigError, load_settings

    command = _command_word(argv)
    parser = build_parser(command)
    if command not in ALONE:
        argv = _default_to_read(argv, parser)
    args = parser.parse_args(argv)
    args.own_process = own_process
    try:
        settings = load_settings(data_dir=args.data_dir, config_path=args.config)
        if args.func is not run_reader:  # the reader shows them as notifications
            for problem in settings.problems:
                warn(problem)
        return int(args.func(args, settings) or 0)
    except (CommandError, ConfigError) as exc:
        warn(str(exc))
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `newsreader search x | head`: the reader of our output left
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def _command_word(argv: list[str]) -> str | None:
    """The first argument after the global options (the command, or an archive)."""
    i = _after_global_options(argv)
    return argv[i] if i < len(argv) else None


def _after_global_options(argv: list[str]) -> int:
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in GLOBAL_OPTIONS:
            i += 2
        elif arg.startswith(tuple(f"{o}=" for o in GLOBAL_OPTIONS)):
            i += 1
        else:
            break
    return i


def _default_to_read(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """`newsreader [options] [ARCHIVE]` means `newsreader [options] read [ARCHIVE]`."""
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    i = _after_global_options(argv)
    if i < len(argv) and (argv[i] in ("-h", "--help", "--version") or argv[i] in commands):
        return argv
    return argv[:i] + ["read"] + argv[i:]


if __name__ == "__main__":
    sys.exit(main())
