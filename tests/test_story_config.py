"""The stories' settings: grouping on by default, `read_story` "story" or "article"."""

from __future__ import annotations

import pytest

from reader.config import ConfigError, load_settings


def settings_of(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(data_dir=tmp_path / "data", config_path=path, env={})


def test_stories_are_grouped_by_default_and_read_once(tmp_path):
    from reader.config import Settings

    settings = settings_of(tmp_path, "")
    assert settings.group_stories and settings.read_story == "story"
    assert Settings(data_root=tmp_path, config_path=None).group_stories


def test_read_story_article_and_grouping_off(tmp_path):
    settings = settings_of(tmp_path, 'read_story = "article"\ngroup_stories = false\n')
    assert settings.read_story == "article" and not settings.group_stories


def test_read_story_must_be_story_or_article(tmp_path):
    with pytest.raises(ConfigError, match='read_story must be "story" or "article"'):
        settings_of(tmp_path, 'read_story = "all"\n')


def test_count_by_stories_by_default_or_articles(tmp_path):
    assert settings_of(tmp_path, "").count_by == "stories"
    assert settings_of(tmp_path, 'count_by = "articles"\n').count_by == "articles"
    with pytest.raises(ConfigError, match="count_by"):
        settings_of(tmp_path, 'count_by = "copies"\n')
