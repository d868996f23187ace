"""Hostile input to `state import` and to the config file: one line saying what is wrong,
a non-zero exit, nothing changed, and never a traceback."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import article_text

from reader.archive import Archive
from reader.cli.main import main
from reader.state import STATE_FILE_NAME, StateStore
from test_state_support import PYTHON, child_env

ONE = "content/en/news/s/1.en.md"
GOOD = {"path": ONE, "read": True, "read_changed": "2025-01-01T00:00:00Z"}


def export_of(*articles) -> str:
    return json.dumps({"format": "newsreader-state", "version": 1, "articles": list(articles)})


@pytest.fixture
def archive_root(archive_factory):
    return archive_factory({ONE: article_text("One"), "content/en/news/s/2.en.md":
                            article_text("Two")})


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("newsreader: "), err
    assert len(err) < 300 and "Traceback" not in err
    return err


def marks(root, settings):
    path = Archive.open(root, settings).data_dir / STATE_FILE_NAME
    if not path.exists():
        return set()
    with StateStore.open(path) as store:
        return store.read_set()


# -- state import ---------------------------------------------------------------------

IMPORTS = {
    "nested 100,000 deep": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "an integer of 5,000 digits": ('{"format": "newsreader-state", "version": '
                                   + "9" * 5000 + ', "articles": []}', "thousands of digits"),
    "a path with a lone surrogate": (export_of(GOOD, dict(GOOD, path="a\\ud800b.md"))
                                     .replace("\\\\ud800", "\\ud800"), "surrogate"),
    "a title with a lone surrogate": (export_of(dict(GOOD, title="t\\udc80"))
                                      .replace("\\\\udc80", "\\udc80"), "surrogate"),
}


@pytest.mark.parametrize("case", sorted(IMPORTS))
def test_a_hostile_import_is_one_line_and_changes_nothing(case, tmp_path, archive_root,
                                                          settings, capsys):
    text, message = IMPORTS[case]
    source = tmp_path / "in.json"
    source.write_text(text, encoding="utf-8")
    data_dir = str(settings.data_root)
    err = one_line_error(capsys, "--data-dir", data_dir, "state", "import", str(source),
                         "--archive", str(archive_root))
    assert message in err
    assert marks(archive_root, settings) == set()


def test_an_import_that_is_not_utf8_is_one_line(tmp_path, archive_root, settings, capsys):
    source = tmp_path / "in.json"
    source.write_bytes(b'{"format": "\xff"}')
    err = one_line_error(capsys, "--data-dir", str(settings.data_root), "state", "import",
                         str(source), "--archive", str(archive_root))
    assert "not UTF-8 text (byte 0xff at offset 12)" in err


def test_a_deep_import_gives_no_traceback_in_a_real_process(tmp_path, archive_root, settings):
    source = tmp_path / "deep.json"
    source.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    done = subprocess.run([PYTHON, "-m", "reader.cli.main", "--data-dir",
                           str(settings.data_root), "state", "import", str(source),
                           "--archive", str(archive_root)],
                          env=child_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "nested too deeply" in done.stderr


def test_an_import_matching_no_article_says_so_and_warns(tmp_path, archive_root, settings,
                                                         capsys):
    """Reviewer's case: "8 changed ... 218 already so" and not a word that none of the
    marks belonged to this archive (it had never been scanned)."""
    source = tmp_path / "in.json"
    source.write_text(export_of(dict(GOOD, path="elsewhere/1.md"),
                                dict(GOOD, path="elsewhere/2.md", read=False)),
                      encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(settings.data_root), "state", "import",
                         str(source), "--archive", str(archive_root))
    assert code == 0
    assert "2 matched no article here (kept for later)" in out
    assert "none of the 2 entries matched an article in" in err


def test_an_import_matching_some_articles_does_not_warn(tmp_path, archive_root, settings,
                                                        capsys):
    source = tmp_path / "in.json"
    source.write_text(export_of(GOOD, dict(GOOD, path="elsewhere/1.md")), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(settings.data_root), "state", "import",
                         str(source), "--archive", str(archive_root))
    assert code == 0 and "1 matched no article here" in out and err == ""
    assert marks(archive_root, settings) == {ONE, "elsewhere/1.md"}


# -- the config file ------------------------------------------------------------------

CONFIGS = {
    "not UTF-8": (b'theme = "\xff\xfe"\n', "not UTF-8 text"),
    "nested 100,000 deep": (b"a = " + b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "an integer of 5,000 digits": (b"a = " + b"9" * 5000, "cannot read config file"),
    "a key bound to a number": (b"[keys]\ntoggle_read = 5\n", "[keys] 'toggle_read' must be"),
    "a time zone of 5 MB": (b'timezone = "' + b"x" * 5_000_000 + b'"\n',
                            "unknown time zone 'xxx"),
    "a data dir that is a number": (b"data_dir = 5\n", "data_dir must be a string"),
    "a theme that is a table": (b"[theme]\nx = 1\n", "theme must be a string"),
}


@pytest.mark.parametrize("case", sorted(CONFIGS))
def test_a_hostile_config_file_is_one_short_line(case, tmp_path, archive_root, capsys):
    content, message = CONFIGS[case]
    config = tmp_path / "config.toml"
    config.write_bytes(content)
    err = one_line_error(capsys, "--config", str(config), "--data-dir", str(tmp_path / "d"),
                         "scan", str(archive_root))
    assert message in err
    assert not (tmp_path / "d").exists()  # nothing done


def test_an_unknown_setting_is_warned_of_not_ignored_silently(tmp_path, archive_root, capsys):
    config = tmp_path / "config.toml"
    config.write_text('colour = "red"\ntheme = "nord"\n', encoding="utf-8")
    code, _, err = run(capsys, "--config", str(config), "--data-dir", str(tmp_path / "d"),
                       "scan", "-q", str(archive_root))
    assert code == 0
    assert f"{config}: unknown setting 'colour' (ignored)" in err
    assert "theme" not in err
