"""Settings in one typed place: where things live and what the user chose.

Paths come from platformdirs unless overridden: `--data-dir` or
`NEWSREADER_DATA_DIR` for the data, `NEWSREADER_CONFIG` for the config file.
Nothing is created at import time, nor by loading settings.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

APP_NAME = "newsreader"
DEFAULT_TIMEZONE = "Asia/Shanghai"
SHOWN_SECONDS = 1.0  # `mark_read_on_move = true`: marked read once shown this long
# Which symlinks in an archive are followed: those resolving inside it, every one, none.
FOLLOW_SYMLINKS = ("inside", "all", "none")


class ConfigError(Exception):
    """The config file could not be read; the message says why."""


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
    root = data_dir or env.get("NEWSREADER_DATA_DIR") or raw.get("data_dir")
    settings = Settings(
        data_root=Path(root).expanduser() if root else default_data_root(),
        config_path=cfg_path,
        default_archive=_opt_path(raw.get("archive")),
        timezone=_timezone(raw.get("timezone", DEFAULT_TIMEZONE)),
        theme=str(raw.get("theme", "textual-dark")),
        mark_read_on_open=_boolean(raw, "mark_read_on_open", True),
        mark_read_on_move=_seconds_or_switch(raw, "mark_read_on_move", SHOWN_SECONDS),
        keys={str(k): str(v) for k, v in dict(raw.get("keys", {})).items()},
        follow_symlinks=_follow_symlinks(raw.get("follow_symlinks", FOLLOW_SYMLINKS[0])),
    )
    return settings


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    if not isinstance(data.get("keys", {}), dict):
        raise ConfigError(f"{path}: [keys] must be a table of action = \"key,key\"")
    return data


def _opt_path(value: object) -> Path | None:
    return Path(str(value)).expanduser() if value else None


def _timezone(name: object) -> str:
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone {name!r} in config") from exc
    return str(name)


def _boolean(raw: dict, key: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):  # "no" would be true to Python
        raise ConfigError(f"{key} must be true or false (without quotes), not {value!r}")
    return value


def _seconds_or_switch(raw: dict, key: str, when_true: float) -> float:
    """A delay that is off (false), on (true: `when_true` seconds) or a number of seconds."""
    value = raw.get(key, False)
    if isinstance(value, bool):
        return when_true if value else 0.0
    if isinstance(value, (int, float)) and 0 <= value <= 3600:  # NaN fails both
        return float(value)
    raise ConfigError(f"{key} must be true, false or a number of seconds (such as 1.5), "
                      f"not {value!r}")
def _follow_symlinks(value: object) -> str:
    if isinstance(value, str) and value in FOLLOW_SYMLINKS:
        return value
    shown = repr(value[:40]) if isinstance(value, str) else f"a {type(value).__name__}"
    raise ConfigError(f'follow_symlinks must be "inside", "all" or "none", not {shown}')
