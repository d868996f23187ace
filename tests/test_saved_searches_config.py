"""Saved searches in the config file: `[[searches]]` read with a warning for each bad
entry (skipped, never a crash), and written back by the reader's edits as text, the
user's other settings and comments kept byte for byte."""

from __future__ import annotations

import tomllib
from zoneinfo import ZoneInfo

import pytest

from reader.config import ConfigError, SavedSearch, load_settings
from reader.session.saved_searches import query_problem
from reader.session.searches_file import write_searches

TZ = ZoneInfo("Asia/Shanghai")
CONFIG = '''# my settings
theme = "nord"   # dark

[[searches]]
# chips, in both languages
name = "Nvidia"
query = "英伟达 OR nvidia"

[[searches]]
name = "Oil"
query = "oil -palm"

[keys]
quit = "q"  # the usual
'''


def settings_of(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(config_path=path, env={})


def test_saved_searches_are_read_in_the_files_order(tmp_path):
    settings = settings_of(tmp_path, CONFIG)
    assert settings.searches == (SavedSearch("Nvidia", "英伟达 OR nvidia"),
                                 SavedSearch("Oil", "oil -palm"))
    assert settings.problems == () and settings.theme == "nord"


@pytest.mark.parametrize("entry, problem", [
    ('name = "x"', "needs a query"),
    ('query = "x"', "needs a name"),
    ('name = "x"\nquery = ""', "needs a query"),
    ('name = "  "\nquery = "x"', "needs a name"),
    ('name = 3\nquery = "x"', "its name is 3"),
    ('name = "Oil"\nquery = "x"', "repeats the name 'Oil'"),
    ('name = "x"\nquery = "y"\ncolour = "red"', "unknown keys 'colour'"),
])
def test_a_bad_entry_is_reported_and_skipped(tmp_path, entry, problem):
    settings = settings_of(tmp_path, CONFIG + f"\n[[searches]]\n{entry}\n")
    assert [s.name for s in settings.searches] == ["Nvidia", "Oil"]
    (message,) = settings.problems
    assert "saved search 3" in message and problem in message and "(skipped)" in message


def test_searches_that_are_not_tables_are_reported(tmp_path):
    settings = settings_of(tmp_path, 'searches = "nvidia"\n')
    assert settings.searches == () and "[[searches]] tables" in settings.problems[0]
    settings = settings_of(tmp_path, 'searches = ["nvidia"]\n')
    assert "is not a table" in settings.problems[0]


@pytest.mark.parametrize("query, problem", [
    ("after:2025-13-01", "2025-13-01"), ("is:unread nvidia", "is: terms cannot be saved"),
    ("OR", "empty"), ("nvidia", "")])
def test_a_query_that_cannot_be_saved_says_why(query, problem):
    found = query_problem(query, TZ)
    assert (problem in found) if problem else found == ""


def write(tmp_path, searches, was=()):
    path = tmp_path / "config.toml"
    write_searches(path, searches, was)
    return path.read_text(encoding="utf-8")


def test_save_rename_reorder_delete_round_trip_the_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    nvidia, oil, gold = (SavedSearch("Nvidia", "英伟达 OR nvidia"),
                         SavedSearch("Oil", "oil -palm"), SavedSearch("Gold", 'gold "spot \\ price"'))
    text = write(tmp_path, [nvidia, oil, gold])  # saved: a new table at the end
    assert text.startswith(CONFIG) and load_settings(config_path=path).searches == (
        nvidia, oil, gold)
    text = write(tmp_path, [oil, nvidia, gold])  # moved: the comment goes with its table
    assert text.index('name = "Oil"') < text.index("# chips") < text.index('name = "Nvidia"')
    renamed = SavedSearch("Chips", nvidia.query)
    text = write(tmp_path, [oil, renamed, gold], ["Oil", "Nvidia", "Gold"])
    assert "# chips, in both languages" in text and '"Nvidia"' not in text
    text = write(tmp_path, [renamed])  # deleted
    settings = load_settings(config_path=path)
    assert settings.searches == (renamed,) and settings.problems == ()
    assert text.startswith('# my settings\ntheme = "nord"   # dark\n')
    assert text.count('quit = "q"  # the usual') == 1 and "Oil" not in text
    assert tomllib.loads(text)["keys"] == {"quit": "q"}


def test_the_first_search_makes_the_file(tmp_path):
    text = write(tmp_path, [SavedSearch("N", "nvidia")])
    assert tomllib.loads(text) == {"searches": [{"name": "N", "query": "nvidia"}]}


def test_a_file_that_cannot_be_edited_safely_is_left_alone(tmp_path):
    path = tmp_path / "config.toml"
    inline = 'searches = [{name = "N", query = "nvidia"}]\n'  # an inline array: no blocks
    path.write_text(inline, encoding="utf-8")
    with pytest.raises(ConfigError, match="by hand"):
        write_searches(path, [SavedSearch("N", "nvidia"), SavedSearch("O", "oil")])
    assert path.read_text(encoding="utf-8") == inline
    path.write_text("this = = not toml", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read"):
        write_searches(path, [SavedSearch("N", "nvidia")])
