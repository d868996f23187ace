"""Settings in one typed place: where things live and what the user chose.

Paths come from platformdirs unless overridden: `--data-dir` or
`NEWSREADER_DATA_DIR` for the data, `NEWSREADER_CONFIG` for the config file.
Nothing is created at import time, nor by loading settings.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

APP_NAME = "newsreader"
DEFAULT_TIMEZONE = "Asia/Shanghai"
SHOWN_SECONDS = 1.0  # `mark_read_on_move = true`: marked read once shown this long
# Which symlinks in an archive are followed: those resolving inside it, every one, none.
FOLLOW_SYMLINKS = ("inside", "all", "none")
READ_STORY = ("story", "article")
COUNT_BY = ("stories", "articles")  # what the tree's counts count, with stories grouped
SHOWN_VALUE = 60  # characters of a bad value a message quotes, at most
WATCH_POLL_SECONDS = 30  # where the folder cannot be watched: a full rescan this often


class ConfigError(Exception):
    """The config file could not be read; the message says why."""


@dataclass(frozen=True)
class SavedSearch:
    """A `[[searches]]` table: a query of the query language shown as a tree node."""

    name: str
    query: str


ACTIONS = ("hide", "read", "star", "highlight")  # what a [[rules]] table may do


@dataclass(frozen=True)
class Rule:
    """A `[[rules]]` table: the articles matching `query` are hidden, read, starred or
    highlighted (`action`) by the rule, a layer under the user's own marks."""

    name: str
    query: str
    action: str


@dataclass(frozen=True)
class Settings:
    data_root: Path
    config_path: Path
    default_archive: Path | None = None
    timezone: str = DEFAULT_TIMEZONE
    theme: str = "textual-dark"
    mark_read_on_open: bool = True
    mark_read_on_move: float = 0.0  # seconds shown before marked read; 0: never
    keys: dict[str, str] = field(default_factory=dict)
    follow_symlinks: str = FOLLOW_SYMLINKS[0]
    watch: bool = True  # follow the archive's changes as they happen (false: only `r`)
    watch_poll_seconds: float = WATCH_POLL_SECONDS  # rescan period where watching fails
    searches: tuple[SavedSearch, ...] = ()  # the [[searches]] tables, in the file's order
    rules: tuple[Rule, ...] = ()  # the [[rules]] tables, in the file's order
    problems: tuple[str, ...] = ()  # what the config file holds that was ignored, to warn of
    # copies of one story (reader/stories) shown as one row, read once; a warm start reads
    # the stories stored (+0.3 s CPU in a worker at 100k), a command reads them as stored,
    # and a change looks up its candidates in stories.sqlite3 (nothing built in memory)
    group_stories: bool = True
    story_window_days: float = 14.0  # copies are at most this many days apart
    read_story: str = READ_STORY[0]  # opening a copy marks its whole story read, or itself
    count_by: str = COUNT_BY[0]  # the tree counts a story once, or each of its copies
    # the reader and `watch` merge the index's segments when it is otherwise idle (a search
    # pays each segment its own lookups), at idle priority, stopped when work comes
    merge_when_idle: bool = True

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def default_data_root() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def load_settings(
    data_dir: str | os.PathLike | None = None,
    config_path: str | os.PathLike | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Read the config file (if any) and apply overrides: argument, then environment."""
    env = os.environ if env is None else env
    chosen = config_path or env.get("NEWSREADER_CONFIG")
    cfg_path = Path(chosen or default_config_path())
    if chosen and not cfg_path.exists():  # the default file is optional; a named one is not
        raise ConfigError(f"config file {cfg_path} does not exist")
    raw = _read_toml(cfg_path)
    searches, search_problems = read_searches(raw.get("searches", []), cfg_path)
    rules, rule_problems = read_rules(raw.get("rules", []), cfg_path)
    configured_root = _text(raw, "data_dir")  # checked even where overridden
    root = data_dir or env.get("NEWSREADER_DATA_DIR") or configured_root
    settings = Settings(
        data_root=Path(root).expanduser() if root else default_data_root(),
        config_path=cfg_path,
        default_archive=_opt_path(_text(raw, "archive")),
        timezone=_timezone(raw.get("timezone", DEFAULT_TIMEZONE)),
        theme=_text(raw, "theme") or "textual-dark",
        mark_read_on_open=_boolean(raw, "mark_read_on_open", True),
        mark_read_on_move=_seconds_or_switch(raw, "mark_read_on_move", SHOWN_SECONDS),
        follow_symlinks=_follow_symlinks(raw.get("follow_symlinks", FOLLOW_SYMLINKS[0])),
        watch=_boolean(raw, "watch", True),
        watch_poll_seconds=_poll_seconds(raw.get("watch_poll_seconds", WATCH_POLL_SECONDS)),
        keys=_keymap(raw.get("keys", {})),
        searches=searches,
        rules=rules,
        problems=_unknown_keys(raw, cfg_path) + search_problems + rule_problems,
        group_stories=_boolean(raw, "group_stories", True),
        story_window_days=_window_days(raw.get("story_window_days", STORY_WINDOW_DAYS)),
        read_story=_choice(raw, "read_story", READ_STORY),
        count_by=_choice(raw, "count_by", COUNT_BY),
        merge_when_idle=_boolean(raw, "merge_when_idle", True),
    )
    return settings


def _read_toml(path: Path) -> dict:
    text = ""
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read config file {path}: it is not UTF-8 text (byte "
                          f"{exc.object[exc.start]:#04x} at offset {exc.start})") from None
    except RecursionError:
        raise ConfigError(f"cannot read config file {path}: it is nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(toml_problem(path, text, exc)) from None
    except (OSError, ValueError) as exc:  # an integer of 5,000 digits
        raise ConfigError(f"cannot read config file {path}: {_short(exc)}") from None
    if not isinstance(data.get("keys", {}), dict):
        raise ConfigError(f"{path}: [keys] must be a table of action = \"key,key\"")
    return data


# The top-level keys a config file may hold: the settings' own names, except those
# read under another name (data_dir, archive) or not read from the file at all.
KNOWN_KEYS = frozenset({"data_dir", "archive"} | {f.name for f in fields(Settings)}) - {
    "data_root", "config_path", "default_archive", "problems"}


def _unknown_keys(raw: dict, path: Path) -> tuple[str, ...]:
    return tuple(f"{path}: unknown setting {_short(key)} (ignored)"
                 for key in raw if key not in KNOWN_KEYS)


def read_searches(tables: object, path: Path) -> tuple[tuple[SavedSearch, ...],
                                                     tuple[str, ...]]:
    """The `[[searches]]` tables (name and query, both non-empty strings, each name once)
    and a warning for each entry skipped.  Whether a query parses is the session's
    business (the config knows nothing of the query language)."""
    return _entries(tables, path, ("searches", "saved search", "name and query"),
                    search_problem, lambda t: SavedSearch(t["name"].strip(), t["query"].strip()))


def _entries(tables: object, path: Path, words: tuple[str, str, str], problem, make
             ) -> tuple[tuple, tuple[str, ...]]:
    """The entries of an array of tables (`words`: its key, what one entry is called, its
    keys), by name: `problem(table, seen)` says why one is skipped, `make` makes one."""
    key, noun, keys = words
    if not isinstance(tables, list):
        return (), (f"{path}: {key} must be [[{key}]] tables with {keys} (ignored)",)
    entries: dict[str, object] = {}
    problems = []
    for number, table in enumerate(tables, 1):
        why = problem(table, entries)
        if why:
            problems.append(f"{path}: {noun} {number} {why} (skipped)")
        else:
            entry = make(table)
            entries[entry.name] = entry
    return tuple(entries.values()), tuple(problems)


def search_problem(table: object, seen: Mapping[str, SavedSearch]) -> str:
    """What is wrong with one [[searches]] entry ("" for nothing)."""
    if not isinstance(table, dict):
        return f"is not a table with name and query: {_short(table)}"
    unknown = sorted(set(table) - {"name", "query"})
    if unknown:
        return f"has unknown keys {', '.join(map(_short, unknown))}"
    for key in ("name", "query"):
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            shown = "is missing" if value is None else f"is {_short(value)}"
            return f"needs a {key} (a non-empty string in quotes); its {key} {shown}"
    if table["name"].strip() in seen:
        return f"repeats the name {_short(table['name'].strip())}"
    return ""


def read_rules(tables: object, path: Path) -> tuple[tuple[Rule, ...], tuple[str, ...]]:
    """The `[[rules]]` tables (a query, an action of ACTIONS, an optional name that
    defaults to the query, each name once) and a warning for each entry skipped."""
    return _entries(tables, path, ("rules", "rule", "query and action"), rule_problem, rule_of)


def rule_of(table: dict) -> Rule:
    """The rule of a [[rules]] table `rule_problem` found nothing wrong with."""
    query = table["query"].strip()
    return Rule((table.get("name") or "").strip() or query, query, table["action"].strip())


def rule_problem(table: object, seen: Mapping[str, Rule]) -> str:
    """What is wrong with one [[rules]] entry ("" for nothing)."""
    if not isinstance(table, dict):
        return f"is not a table with query and action: {_short(table)}"
    unknown = sorted(set(table) - {"name", "query", "action"})
    if unknown:
        return f"has unknown keys {', '.join(map(_short, unknown))}"
    query, action, name = table.get("query"), table.get("action"), table.get("name", "")
    if not isinstance(query, str) or not query.strip():
        shown = "is missing" if query is None else f"is {_short(query)}"
        return f"needs a query (a non-empty string in quotes); its query {shown}"
    if not isinstance(action, str) or action.strip() not in ACTIONS:
        shown = "is missing" if action is None else f"is {_short(action)}"
        return f"needs an action, one of {', '.join(ACTIONS)}; its action {shown}"
    if not isinstance(name, str):
        return f"has a name that is not a string: {_short(name)}"
    if rule_of(table).name in seen:
        return f"repeats the name {_short(rule_of(table).name)}"
    return ""


def _keymap(table: dict) -> dict[str, str]:
    """[keys]: binding id = "key,key"; any other type is refused, not turned into text."""
    for name, value in table.items():
        if not isinstance(value, str):
            raise ConfigError(f"[keys] {_short(name)} must be a string of keys such as "
                              f'"x" or "x,ctrl+x", not {_short(value)}')
    return dict(table)


_TOML_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def toml_problem(path: Path, text: str, exc: ValueError) -> str:
    """A TOML error in one line: the file, line and column, what is wrong, and the line
    itself (its stretch around the column, when it is long)."""
    message = str(exc)
    at = _TOML_AT.search(message)
    what = (message[:at.start()] if at else message)[:SHOWN_VALUE]
    if at is None or at.group(1) is None:
        return f"cannot read config file {path}: {what}{' at its end' if at else ''}"
    line, column = int(at.group(1)), int(at.group(2))
    lines = text.splitlines()
    shown = lines[line - 1] if line <= len(lines) else ""
    start = max(0, min(column - SHOWN_VALUE // 2, len(shown) - SHOWN_VALUE))
    stretch = ("…" if start else "") + shown[start:start + SHOWN_VALUE] + (
        "…" if start + SHOWN_VALUE < len(shown) else "")
    return (f"cannot read config file {path}, line {line}, column {column}: {what}, in: "
            f"{stretch.strip()!r}")


def _short(value: object) -> str:
    """`value` for a one-line message: its repr, cut to SHOWN_VALUE characters."""
    text = str(value) if isinstance(value, BaseException) else repr(value)
    return text if len(text) <= SHOWN_VALUE else f"{text[:SHOWN_VALUE]}… ({len(text):,} characters)"


def _text(raw: dict, key: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{key} must be a string (in quotes), not {_short(value)}")
    return value


def _opt_path(value: object) -> Path | None:
    return Path(str(value)).expanduser() if value else None


def _timezone(name: object) -> str:
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone {_short(name)} in config") from None
    return str(name)


def _boolean(raw: dict, key: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):  # "no" would be true to Python
        raise ConfigError(f"{key} must be true or false (without quotes), not {_short(value)}")
    return value


def _seconds_or_switch(raw: dict, key: str, when_true: float) -> float:
    """A delay that is off (false), on (true: `when_true` seconds) or a number of seconds."""
    value = raw.get(key, False)
    if isinstance(value, bool):
        return when_true if value else 0.0
    if isinstance(value, (int, float)) and 0 <= value <= 3600:  # NaN fails both
        return float(value)
    raise ConfigError(f"{key} must be true, false or a number of seconds (such as 1.5), "
                      f"not {_short(value)}")


def _choice(raw: dict, name: str, choices: tuple[str, ...]) -> str:
    value = raw.get(name, choices[0])
    if isinstance(value, str) and value in choices:
        return value
    shown = repr(value[:40]) if isinstance(value, str) else f"a {type(value).__name__}"
    raise ConfigError(f"{name} must be " + " or ".join(f'"{c}"' for c in choices)
                      + f", not {shown}")


def _follow_symlinks(value: object) -> str:
    if isinstance(value, str) and value in FOLLOW_SYMLINKS:
        return value
    shown = repr(value[:40]) if isinstance(value, str) else f"a {type(value).__name__}"
    raise ConfigError(f'follow_symlinks must be "inside", "all" or "none", not {shown}')


def _poll_seconds(value: object) -> float:
    """How often an archive that cannot be watched is rescanned: 1 s to a day."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value <= 86400:
        return float(value)
    raise ConfigError("watch_poll_seconds must be a number of seconds from 1 to 86400 "
                      f"(such as 30), not {_short(value)}")


STORY_WINDOW_DAYS = 14.0


def _window_days(value: object) -> float:
    """How far apart (in days) two copies of one story may be: up to a year."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 366:
        return float(value)
    raise ConfigError("story_window_days must be a number of days from 0 to 366 "
                      f"(such as 14), not {_short(value)}")
