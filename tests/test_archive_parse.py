"""Front matter, dates, languages, links: one file in, one clean record out."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from reader.archive import fields
from reader.archive.parse import parse_text

SH = ZoneInfo("Asia/Shanghai")


def parse(text: str, rel: str = "content/en/news/wire/a1.en.md"):
    return parse_text(rel, text, SH, mtime=1_700_000_000).article


@pytest.mark.parametrize(
    "raw, expected",
    [
        ('"2025-02-14 15:12:52"', datetime(2025, 2, 14, 15, 12, 52, tzinfo=SH)),
        ("2025-02-14 15:12:52", datetime(2025, 2, 14, 15, 12, 52, tzinfo=SH)),  # YAML timestamp
        ('"2025-02-14T15:12:52Z"', datetime(2025, 2, 14, 15, 12, 52, tzinfo=timezone.utc)),
        ('"2025-02-14T15:12:52+02:00"',
         datetime(2025, 2, 14, 15, 12, 52, tzinfo=timezone(timedelta(hours=2)))),
        ('"2025-02-14T15:12:52"', datetime(2025, 2, 14, 15, 12, 52, tzinfo=SH)),
        ("2025-02-14", datetime(2025, 2, 14, tzinfo=SH)),
        ('"2025/02/14"', datetime(2025, 2, 14, tzinfo=SH)),
        ("20250214", datetime(2025, 2, 14, tzinfo=SH)),
    ],
)
def test_every_date_form_hugo_accepts_is_read_timezone_aware(raw, expected):
    article = parse(f"---\ntitle: t\ndate: {raw}\n---\nbody\n")
    assert article.date == expected
    assert article.date.tzinfo is not None
    assert article.problem == ""


def test_the_default_zone_is_configurable():
    article = parse_text("a.md", '---\ndate: "2025-02-14 08:00:00"\n---\n', timezone.utc).article
    assert article.date == datetime(2025, 2, 14, 8, tzinfo=timezone.utc)


def test_a_missing_date_falls_back_to_the_file_mtime():
    article = parse("---\ntitle: t\n---\nbody\n")
    assert article.date == datetime.fromtimestamp(1_700_000_000, SH)


def test_an_unreadable_date_falls_back_to_mtime_and_says_so():
    article = parse('---\ntitle: t\ndate: "next tuesday"\n---\nbody\n')
    assert article.date == datetime.fromtimestamp(1_700_000_000, SH)
    assert "unreadable date" in article.problem


@pytest.mark.parametrize("raw", ["0001-01-01", "0001-01-01T00:00:00+14:00",
                                 "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00Z"])
def test_a_date_at_the_ends_of_time_is_taken_as_no_date_and_said(raw):
    """Hugo's zero date means unset; year 1 or 9999 shown in another zone leaves datetime."""
    article = parse(f"---\ntitle: t\ndate: {raw}\n---\nbody\n")
    assert article.date == datetime.fromtimestamp(1_700_000_000, SH)
    assert "unreadable date" in article.problem
    assert fields.parse_date("0002-01-01", SH).year == 2  # near the ends is still a date


def test_title_entities_are_decoded_and_white_space_collapsed():
    article = parse('---\ntitle: "Tom&#39;s  \\n  M&amp;A   deal"\n---\n')
    assert article.title == "Tom's M&A deal"


def test_the_file_name_stands_in_for_a_missing_title():
    article = parse("---\ndate: 2025-01-01\n---\nx", rel="content/news/wire/big_news-day.zh-CN.md")
    assert article.title == "big news-day"


def test_categories_and_tags_accept_a_string_or_a_list_and_drop_empty_values():
    article = parse('---\ncategories: "markets"\ntags: ["ai", "", null, "ai", "chips"]\n---\n')
    assert article.categories == ("markets",)
    assert article.tags == ("ai", "chips")
    assert parse('---\ncategories: [""]\n---\n').categories == ()


def test_yaml_toml_and_json_front_matter_are_all_read():
    yaml_a = parse('---\ntitle: "Y"\ntags: [a]\n---\nbody')
    toml_a = parse('+++\ntitle = "T"\ntags = ["a"]\ndate = 2025-02-14T10:00:00\n+++\nbody')
    json_a = parse('{\n  "title": "J",\n  "tags": ["a"]\n}\nbody')
    assert (yaml_a.title, toml_a.title, json_a.title) == ("Y", "T", "J")
    assert yaml_a.tags == toml_a.tags == json_a.tags == ("a",)
    assert toml_a.date == datetime(2025, 2, 14, 10, tzinfo=SH)


@pytest.mark.parametrize(
    "meta, rel, lang",
    [
        ('lang:\n  - "zh-HK"', "content/en/news/s/x.en.md", "zh-HK"),  # front matter wins
        ('lang: "zh-CN"', "x.md", "zh-CN"),
        ("", "content/zh-CN/news/s/abc.zh-CN.md", "zh-CN"),
        ("", "news/s/abc.en.md", "en"),
        ("", "content/news/s/abc-en.md", "en"),
        ("", "content/zh-HK/news/s/abc.md", "zh-HK"),
        ("", "content/news/s/abc.md", ""),
    ],
)
def test_language_from_front_matter_then_file_name_then_folder(meta, rel, lang):
    assert parse(f"---\ntitle: t\n{meta}\n---\n", rel=rel).lang == lang


def test_source_is_the_folder_that_holds_the_file():
    assert parse("---\n---\n", rel="content/zh-CN/news/hibor/x.zh-CN.md").source == "hibor"


def test_link_from_the_last_line_or_from_a_link_key():
    body = "Para.\n\n[Reuters](https://example.com/a?b=1)\n"
    assert parse(f"---\ntitle: t\n---\n{body}").link == "https://example.com/a?b=1"
    assert parse("---\nlink: https://example.org/x\n---\nno link").link == "https://example.org/x"
    assert parse("---\nsource: Reuters\n---\ntext [a](https://e.com) more\n").link == ""


def test_a_javascript_link_line_is_not_taken_as_the_original():
    assert parse("---\n---\n[x](javascript:alert(1))\n").link == ""


def test_broken_yaml_keeps_the_body_and_names_the_problem():
    parsed = parse_text("a.md", '---\ntitle: "unclosed\n---\nThe body survives.\n', SH)
    assert "invalid front matter" in parsed.article.problem
    assert "The body survives." in parsed.body


def test_front_matter_that_is_a_list_is_reported():
    article = parse("---\n- a\n- b\n---\nbody")
    assert "not a mapping" in article.problem


def test_clean_list_takes_the_keys_of_a_mapping():
    assert fields.clean_list({"ai": 1, "chips": None}) == ("ai", "chips")
