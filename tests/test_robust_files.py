"""Broken files: each gets a clear report, no crash, and every good article around it is found."""

from __future__ import annotations

import os
import sys

import pytest
from conftest import article_text

from reader.archive import Archive

GOOD = {f"content/en/news/w/good{i}.en.md": article_text(f"good {i}") for i in range(3)}


def scan_with(archive_factory, settings, files):
    root = archive_factory({**GOOD, **files})
    archive = Archive.open(root, settings)
    result = archive.scan()
    titles = {a.title for a in result.articles}
    assert {"good 0", "good 1", "good 2"} <= titles, "good articles around a bad one are lost"
    by_path = {a.path: a for a in result.articles}
    problems = {p.path: p.reason for p in result.problems}
    return archive, by_path, problems


def test_no_front_matter_is_an_article_titled_by_its_file_name(archive_factory, settings):
    _, arts, _ = scan_with(archive_factory, settings, {"plain note.md": "# Just markdown\n"})
    assert arts["plain note.md"].title == "plain note"


def test_an_empty_file_is_an_empty_article(archive_factory, settings):
    _, arts, _ = scan_with(archive_factory, settings, {"empty.md": ""})
    assert arts["empty.md"].title == "empty"


def test_only_front_matter_is_an_article_with_an_empty_body(archive_factory, settings):
    archive, arts, _ = scan_with(archive_factory, settings, {"fm.md": '---\ntitle: "Only"\n---\n'})
    assert arts["fm.md"].title == "Only" and archive.read("fm.md").body == ""


def test_invalid_yaml_is_reported_and_the_body_still_shown(archive_factory, settings):
    archive, arts, problems = scan_with(archive_factory, settings,
                                        {"bad.md": "---\ntitle: [unclosed\n---\nStill here.\n"})
    assert "invalid front matter" in problems["bad.md"]
    assert "Still here." in archive.read("bad.md").body


@pytest.mark.parametrize("fm", ["- a\n- b", "just a string", "42"])
def test_front_matter_that_is_a_list_or_a_scalar_is_reported(archive_factory, settings, fm):
    _, arts, problems = scan_with(archive_factory, settings, {"odd.md": f"---\n{fm}\n---\nbody"})
    assert "not a mapping" in problems["odd.md"] and "odd.md" in arts


def test_odd_types_are_coerced(archive_factory, settings):
    text = "---\ntitle: 12345\ndate: 20250214\ntags: {ai: 1, chips: 2}\ncategories: null\n---\n"
    _, arts, problems = scan_with(archive_factory, settings, {"types.md": text})
    a = arts["types.md"]
    assert (a.title, a.date.year, a.tags, a.categories) == ("12345", 2025, ("ai", "chips"), ())
    assert problems["types.md"] == ("no text after the front matter; "
                                    "tags is a mapping: its keys are used")


@pytest.mark.parametrize("text, note", [
    ("", "empty file"),
    ("  \n\n", "empty file"),
    ("# Just markdown\n", "no front matter: title from the file name, date from the file time"),
    ('---\ntitle: "Only"\n---\n', "no text after the front matter"),
    ("---\ntitle: [a, b]\n---\nx\n", "title is a list: shown as text"),
    ("---\ntags: [a, [b, c], {d: 1}]\n---\nx\n", "tags holds lists or mappings: those are left out"),
])
def test_doctor_says_what_is_odd_about_a_file_that_still_reads(archive_factory, settings,
                                                                text, note):
    _, arts, problems = scan_with(archive_factory, settings, {"odd.md": text})
    assert "odd.md" in arts and problems["odd.md"] == note


def test_a_utf8_bom_and_crlf_line_endings_are_read(archive_factory, settings):
    data = "\ufeff---\r\ntitle: \"BOM\"\r\n---\r\nline one\r\n".encode()
    archive, arts, problems = scan_with(archive_factory, settings, {"bom.md": data})
    assert arts["bom.md"].title == "BOM" and "bom.md" not in problems
    assert "\r" not in archive.read("bom.md").body


@pytest.mark.parametrize("encoding, title", [("gbk", "中文标题"), ("big5", "繁體標題")])
def test_gbk_and_big5_files_are_decoded(archive_factory, settings, encoding, title):
    data = f'---\ntitle: "{title}"\n---\n正文\n'.encode(encoding)
    _, arts, problems = scan_with(archive_factory, settings, {"legacy.md": data})
    assert arts["legacy.md"].title == title
    assert "not UTF-8" in problems["legacy.md"]


def test_latin1_bytes_never_crash(archive_factory, settings):
    data = '---\ntitle: "Café Zürich ÿ"\n---\n'.encode("latin-1")
    _, arts, _ = scan_with(archive_factory, settings, {"latin.md": data})
    assert "Caf" in arts["latin.md"].title


def test_a_binary_file_named_md_is_skipped_with_a_reason(archive_factory, settings):
    _, arts, problems = scan_with(archive_factory, settings, {"img.md": b"\x89PNG\x00\x01\x02"})
    assert "img.md" not in arts and "binary" in problems["img.md"]


def test_a_huge_body_is_cut_with_a_notice(archive_factory, settings):
    body = "word " * 1_000_000  # 5 MB
    archive, arts, _ = scan_with(archive_factory, settings, {"huge.md": article_text("huge", body=body)})
    parsed = archive.read("huge.md")
    assert parsed.truncated and len(parsed.body) <= 2_000_000


def test_a_utf8_file_longer_than_what_is_read_stays_utf8_where_the_cut_splits_a_character(
        archive_factory, settings, monkeypatch):
    import reader.archive.parse as parse_module
    text = article_text("银行", body="银行新闻 " * 1000)
    data = text.encode("utf-8")
    cut = next(n for n in range(len(data) - 100, len(data)) if data[n] >= 0x80 and
               data[n] & 0xC0 == 0x80)  # inside a 3-byte character
    monkeypatch.setattr(parse_module, "MAX_READ_BYTES", cut)
    archive, arts, problems = scan_with(archive_factory, settings, {"long.md": data})
    assert "long.md" not in problems and arts["long.md"].problem == ""
    parsed = archive.read("long.md")
    assert parsed.truncated and parsed.body.strip().startswith("银行新闻")
    assert "\ufffd" not in parsed.body


def test_a_single_one_megabyte_line_is_read(archive_factory, settings):
    _, arts, _ = scan_with(archive_factory, settings,
                           {"line.md": article_text("line", body="x" * 1_000_000)})
    assert arts["line.md"].title == "line"


def test_a_directory_named_like_an_article_is_reported(archive_factory, settings, tmp_path):
    root = archive_factory(GOOD)
    (root / "folder.md").mkdir()
    (root / "folder.md" / "inner.md").write_text(article_text("inner"))
    result = Archive.open(root, settings).scan()
    assert "folder.md/inner.md" in {a.path for a in result.articles}
    assert any(p.path == "folder.md" for p in result.problems)


def test_a_symlink_loop_is_not_followed_forever(archive_factory, settings):
    root = archive_factory(GOOD)
    (root / "content" / "loop").symlink_to(root / "content")
    (root / "self.md").symlink_to(root / "self.md")
    result = Archive.open(root, settings).scan()
    assert len(result.articles) == 3
    reasons = " ".join(p.reason for p in result.problems)
    assert "symlink loop" in reasons


def test_an_unreadable_file_is_reported(archive_factory, settings, monkeypatch):
    """Root ignores file modes, so the denial is simulated where the reader opens files."""
    import reader.archive.parse as parse_module

    real_read = parse_module.read_regular

    def deny_locked(path, limit):
        if str(path).endswith("locked.md"):
            raise PermissionError(13, "Permission denied")
        return real_read(path, limit)

    monkeypatch.setattr(parse_module, "read_regular", deny_locked)
    _, arts, problems = scan_with(archive_factory, settings, {"locked.md": article_text("x")})
    assert problems["locked.md"] == "permission denied" and "locked.md" not in arts


def test_a_file_changed_between_scan_and_open_shows_the_new_text(archive_factory, settings):
    archive, _, _ = scan_with(archive_factory, settings, {"live.md": article_text("before")})
    (archive.root / "live.md").write_text(article_text("after", body="new body"))
    assert archive.read("live.md").article.title == "after"


def test_a_file_deleted_between_scan_and_open_shows_what_the_scan_knew(archive_factory,
                                                                       settings):
    text = article_text("Known title", date="2025-03-01 10:00:00", tags=["gold"])
    archive, _, _ = scan_with(archive_factory, settings, {"gone.md": text})
    (archive.root / "gone.md").unlink()
    parsed = archive.read("gone.md")
    assert (parsed.article.title, parsed.article.date.day, parsed.article.tags) == (
        "Known title", 1, ("gold",))
    assert parsed.article.problem.startswith("cannot open: file not found") and not parsed.body


def test_odd_file_names_are_read(archive_factory, settings):
    names = ["a b, c.md", "x & y $ z % 'q' (1) !.md"]
    _, arts, _ = scan_with(archive_factory, settings, {n: article_text(n) for n in names})
    assert all(n in arts for n in names)


@pytest.mark.skipif(sys.platform != "linux", reason="byte file names are a POSIX matter")
def test_a_file_name_that_is_not_utf8_is_read(archive_factory, settings):
    root = archive_factory(GOOD)
    with open(os.path.join(os.fsencode(root), b"caf\xe9.md"), "w") as f:
        f.write(article_text("latin name"))
    archive = Archive.open(root, settings)
    result = archive.scan()
    odd = [a for a in result.articles if a.title == "latin name"]
    assert len(odd) == 1
    assert archive.read(odd[0].path).article.title == "latin name"


@pytest.mark.skipif(sys.platform != "linux", reason="byte file names are a POSIX matter")
def test_names_that_differ_only_in_bytes_that_are_not_utf8_stay_distinct(archive_factory,
                                                                          settings):
    root = archive_factory(GOOD)
    for raw, title in ((b"n-\xff\xfe.md", "one"), (b"n-\xfd\xfc.md", "two"),
                       ("n-\ufffd\ufffd.md".encode(), "three")):
        with open(os.path.join(os.fsencode(root), raw), "w") as f:
            f.write(article_text(title))
    archive = Archive.open(root, settings)
    result = archive.scan()
    paths = {a.title: a.path for a in result.articles}
    assert paths["one"] == "n-%FF%FE.md" and paths["two"] == "n-%FD%FC.md"
    assert paths["three"] == "n-\ufffd\ufffd.md" and result.problems == []
    assert archive.read(paths["two"]).article.title == "two"
    assert archive.scan().parsed_count == 0  # and a rescan of the unchanged folder parses none


@pytest.mark.skipif(sys.platform != "linux", reason="NFC and NFD names are one on macOS")
def test_two_names_that_differ_only_in_normalization_are_reported_not_merged(
        archive_factory, settings):
    nfc, nfd = "caf\u00e9.md", "cafe\u0301.md"  # one id (NFC); the first in name order wins
    root = archive_factory({**GOOD, nfc: article_text("second"), nfd: article_text("first")})
    result = Archive.open(root, settings).scan()
    assert [a.title for a in result.articles if a.path == nfc] == ["first"]
    (problem,) = result.problems
    assert problem.path == nfc and f"same id as {nfd!r}" in problem.reason
    assert Archive.open(root, settings).scan().parsed_count == 0


def test_older_layouts_are_understood(archive_factory, settings):
    _, arts, _ = scan_with(archive_factory, settings, {
        "content/news/wire/old-slug.md": article_text("old"),
        "content/news/wire/story-en.md": article_text("dash en"),
    })
    assert arts["content/news/wire/old-slug.md"].source == "wire"
    assert arts["content/news/wire/story-en.md"].lang == "en"


def test_a_read_only_data_dir_still_browses_with_a_notice(archive_factory, tmp_path, monkeypatch):
    """Root ignores file modes, so a read-only data dir is a path under a regular file."""
    from reader.config import Settings

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data dir should be")
    settings = Settings(data_root=blocker / "data", config_path=tmp_path / "c.toml")
    root = archive_factory(GOOD)
    archive = Archive.open(root, settings)
    result = archive.scan()
    assert len(result.articles) == 3
    assert any("cannot write the metadata cache" in n for n in archive.notices)
