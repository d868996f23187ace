"""Saved searches edited from the reader (reader/session/saved_searches.py): a hand edit
that lands while an edit is written is never overwritten, the config's own rules refuse a
bad name, a rename returns the renamed search, and finding parses each query once."""

from __future__ import annotations

import pytest
from conftest import article_text, indexed_services

from reader.config import ConfigError, SavedSearch, load_settings
from reader.session import config_tables

EN = "content/en/news/wire/{}.en.md"
CONFIG = '''[[searches]]
name = "Bank"
query = "bank"

[[searches]]
name = "Harvest"
query = "harvest OR 英伟达"
'''
HAND = CONFIG + '\n[[searches]]\nname = "Mine"\nquery = "typed by hand"\n'


@pytest.fixture
def services(archive_factory, settings):
    files = {EN.format(i): article_text(f"Story {i}", body=("Bank news.", "Harvest.",
                                                             "英伟达芯片。")[i % 3])
             for i in range(9)}
    settings.config_path.write_text(CONFIG, encoding="utf-8")
    settings = load_settings(config_path=settings.config_path, data_dir=settings.data_root,
                             env={})
    services = indexed_services(archive_factory(files), settings)
    yield services
    services.close()


def test_a_hand_edit_landing_while_an_edit_is_written_is_kept(services, monkeypatch):
    path, made = services.saved.config_path, config_tables.entries_text

    def edited_meanwhile(*args):  # after the file was read, before it is replaced
        path.write_text(HAND, encoding="utf-8")
        return made(*args)

    monkeypatch.setattr(config_tables, "entries_text", edited_meanwhile)
    with pytest.raises(ConfigError, match="changed since the reader read them"):
        services.saved.delete(("search", "Bank"))
    assert path.read_text(encoding="utf-8") == HAND
    assert [s.name for s in services.saved.searches] == ["Bank", "Harvest"]


def test_a_config_deleted_while_the_reader_is_open_is_said_so_and_not_recreated(services):
    """It said the searches "were changed since the reader read them"."""
    path = services.saved.config_path
    path.unlink()
    with pytest.raises(ConfigError, match="was deleted .* nothing was saved; put the file "
                                          "back, or restart the reader"):
        services.saved.add("Oil", "oil")
    assert not path.exists()
    assert [s.name for s in services.saved.searches] == ["Bank", "Harvest"]


def test_a_star_alone_or_a_field_in_parentheses_cannot_be_saved(services):
    """`*` meant nothing to the index (0 hits) and everything to an empty search box;
    `title:(broken` was searched as title:broken."""
    with pytest.raises(ValueError, match=r"\* alone is not a query"):
        services.saved.add("All", "*")
    with pytest.raises(ValueError, match="a field takes one word"):
        services.saved.add("Broken", "title:(broken")


def test_a_bad_name_is_refused_by_the_configs_own_rules(services):
    saved = services.saved
    with pytest.raises(ValueError, match="repeats the name 'Harvest'"):
        saved.add("Harvest", "oil")
    with pytest.raises(ValueError, match="needs a name"):
        saved.add("  ", "oil")
    with pytest.raises(ValueError, match="repeats the name 'Bank'"):
        saved.rename(("search", "Harvest"), "Bank")
    assert saved.edit(("search", "Bank"), "bank -harvest") == SavedSearch("Bank",
                                                                          "bank -harvest")
    with pytest.raises(ValueError, match="is: terms cannot be saved"):
        saved.edit(("search", "Bank"), "is:unread bank")


def test_a_rename_returns_the_renamed_search_with_its_counts(services):
    saved = services.saved
    saved.take(saved.find())
    assert services.counts[("search", "Bank")].total == 3
    renamed = saved.rename(("search", "Bank"), "Banks")
    assert renamed == SavedSearch("Banks", "bank") and saved.searches[0] == renamed
    assert services.counts[("search", "Banks")].total == 3
    assert saved.rename(("search", "Banks"), "Banks") == renamed  # the same name: as it is


def test_finding_parses_each_query_once(services, monkeypatch):
    import reader.index.query as query_module

    parsed: list[str] = []
    real = query_module.parse_query

    def counted(query, *args, **kwargs):
        parsed.append(query)
        return real(query, *args, **kwargs)

    for module in ("reader.index.query", "reader.index.searcher", "reader.session.groups",
                   "reader.session.saved_searches", "reader.session.services"):
        monkeypatch.setattr(f"{module}.parse_query", counted, raising=False)
    found = services.saved.find()
    assert sorted(len(g.paths) for g in found.groups) == [3, 6]
    assert sorted(parsed) == ["bank", "harvest OR 英伟达"]
