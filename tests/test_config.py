"""Settings: defaults from platformdirs, the config file, and every override."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.config import ConfigError, load_settings


def test_defaults_come_from_platformdirs_and_nothing_is_created(tmp_path):
    (tmp_path / "empty.toml").write_text("")
    settings = load_settings(env={"HOME": str(tmp_path)}, config_path=tmp_path / "empty.toml")
    assert settings.data_root.name == "newsreader"
    assert settings.timezone == "Asia/Shanghai"
    assert settings.mark_read_on_open is True
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.toml"]


def test_a_config_file_named_but_missing_is_an_error_the_default_one_is_optional(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(config_path=tmp_path / "typo.toml")
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(env={"NEWSREADER_CONFIG": str(tmp_path / "typo.toml")})


def test_the_environment_and_arguments_override_the_data_dir(tmp_path):
    env = {"NEWSREADER_DATA_DIR": str(tmp_path / "env")}
    assert load_settings(env=env).data_root == tmp_path / "env"
    assert load_settings(data_dir=tmp_path / "arg", env=env).data_root == tmp_path / "arg"


def test_the_config_file_sets_archive_zone_theme_and_keys(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('archive = "~/news"\ntimezone = "Europe/Paris"\ntheme = "nord"\n'
                   'mark_read_on_open = false\n[keys]\ntoggle_read = "x"\n')
    settings = load_settings(env={"NEWSREADER_CONFIG": str(cfg)})
    assert settings.default_archive == Path("~/news").expanduser()
    assert (settings.timezone, settings.theme, settings.mark_read_on_open) == (
        "Europe/Paris", "nord", False)
    assert settings.keys == {"toggle_read": "x"}


@pytest.mark.parametrize("text, message", [
    ("timezone = 'Mars/Olympus'", "unknown time zone"),
    ("this is = = not toml", "cannot read config file"),
    ("keys = 3", "[keys] must be a table"),
    ("mark_read_on_open = 'no'", "mark_read_on_open must be true or false"),
    ("mark_read_on_open = 0", "mark_read_on_open must be true or false"),
    ("watch = 'no'", "watch must be true or false"),
    ("watch_poll_seconds = 0", "watch_poll_seconds must be a number of seconds"),
    ("watch_poll_seconds = true", "watch_poll_seconds must be a number of seconds"),
])
def test_a_bad_config_file_gets_a_clear_message(tmp_path, text, message):
    cfg = tmp_path / "c.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_settings(config_path=cfg)


@pytest.mark.parametrize("text, message", [
    ('a = 1\nb = "unended\nc = 2\n', "line 2, column 13: Illegal character '\\n', in: "
                                        "'b = \"unended'"),
    ('[[searches]]\nname = "Nvidia"\nquery = 英伟达\n', "line 3, column 9: Invalid value, "
                                                     "in: 'query = 英伟达'"),
    ("x = [1,", "Invalid value at its end"),
    ('title = "' + "x" * 5000 + '" y\n', "line 1, column 5012: Expected newline or end of "
                                         "document after a statement, in: '…x"),
], ids=["unended string", "unquoted value", "at the end", "long line"])
def test_a_toml_error_gives_the_file_line_column_and_the_line(tmp_path, text, message):
    """The message was cut at 60 characters, before its line and column."""
    cfg = tmp_path / "c.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config_path=cfg)
    assert str(caught.value).startswith(f"cannot read config file {cfg}")
    assert message in str(caught.value) and len(str(caught.value)) < 300


def test_importing_the_package_creates_nothing(tmp_path):
    code = "import reader.cli.main, reader.archive, reader.index, reader.state"
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(tmp_path / "d"),
           "XDG_CONFIG_HOME": str(tmp_path / "c")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env,
                   cwd=Path(__file__).resolve().parents[1])
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_unknown_top_level_key_is_a_problem_to_warn_of_and_known_ones_are_not(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('colour = "red"\narchive = "~/news"\ndata_dir = "/tmp/x"\ntheme = "nord"\n'
                   'timezone = "UTC"\nmark_read_on_open = true\n[keys]\ntoggle_read = "x"\n')
    settings = load_settings(config_path=cfg)
    assert settings.problems == (f"{cfg}: unknown setting 'colour' (ignored)",)
    assert settings.theme == "nord"


def test_a_key_bound_to_a_number_is_refused_not_turned_into_text(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[keys]\ntoggle_read = 5\n")
    with pytest.raises(ConfigError, match=r"\[keys\] 'toggle_read' must be a string"):
        load_settings(config_path=cfg)


def test_watching_is_on_by_default_and_the_config_can_turn_it_off_or_set_the_poll(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("")
    assert (load_settings(config_path=cfg).watch,
            load_settings(config_path=cfg).watch_poll_seconds) == (True, 30.0)
    cfg.write_text("watch = false\nwatch_poll_seconds = 5\n")
    settings = load_settings(config_path=cfg)
    assert (settings.watch, settings.watch_poll_seconds, settings.problems) == (False, 5.0, ())

