"""Hostile text is shown literally, never acted on: Rich/Textual markup shows as typed,
terminal escape sequences and control characters never reach the terminal, links open
only for http, https and mailto.  Every place article text is shown is checked: the list,
the tree, the article header and body, the search status, notifications, the command
palette, and the command line's plain and JSON outputs."""

from __future__ import annotations

import asyncio
import json

import pytest
from conftest import article_text
from textual.widgets import Markdown

from reader.archive import Archive
from reader.config import Settings
from reader.state import STATE_FILE_NAME, StateStore
from reader.textsafe import clean_line, clean_text, is_openable, json_text
from reader.ui.sanitize import markup_safe
from tests.ui.conftest import (Opened, make_app, press, run_app_test, settle, ui_archive,
                               ui_settings)

FIXTURES = (make_app, ui_archive, ui_settings)  # the reader's fixtures, shared with tests/ui

MARKUP = "[bold]B[/bold] [/] [@click=app.quit]Q [link=https://evil]L [ open"
# YAML double-quoted escapes: ESC, BEL, backspace, and an 8-bit CSI.
ESCAPES_YAML = r"\e[31mRED\e]0;TITLE\a\e]52;c;QkFTRTY0\a\e[2J\x9b1mC1\a\bX"
ESCAPES_RAW = "\x1b[31mRED\x1b]0;TITLE\x07\x1b]52;c;QkFTRTY0\x07\x1b[2J\x9b1mC1\x07\x08X"
SHOWN_ESCAPES = "REDC1X"  # what is left once the sequences are gone
PAYLOADS = ("TITLE", "QkFTRTY0")  # an OSC's payload is removed with it
CONTROLS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0))]
BIDI = [chr(c) for c in (*range(0x202a, 0x202f), *range(0x2066, 0x206a))]
SOURCE = "[@click=app.quit]src"
PATH = f"en/news/{SOURCE}/evil.en.md"


def hostile_article(link: str = "https://example.com/evil") -> str:
    lines = ["---", f'title: "Evil {MARKUP} {ESCAPES_YAML}"', 'date: "2025-03-01 10:00:00"',
             f'summary: "Sum {MARKUP} {ESCAPES_YAML}"', f'link: "{link}"',
             "tags:", f'  - "tag{MARKUP}"', f'  - "esc{ESCAPES_YAML}"',
             "categories:", f'  - "cat{MARKUP}"', "---", "",
             f"Body {MARKUP}", "", f"Raw {ESCAPES_RAW} end", "", "Entity &#27;]0;ENT&#7;ok &#x202e;rtl `co\u202ede`", ""]
    return "\n".join(lines)


@pytest.fixture
def hostile_root(archive_factory):
    return archive_factory({PATH: hostile_article()}, name="hostile")


def screen_text(app) -> str:
    """Every character the app would draw now, line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_inert(app, text: str, payloads: bool = True) -> None:
    """The app still runs, no control character is drawn, and (unless the text may show
    an escape as Python's repr, `\\x1b]0;TITLE`) no escape sequence's payload either."""
    assert app.is_running, "a [@click=app.quit] in article text quit the app"
    leaked = sorted({f"U+{ord(c):04X}" for c in text if c in CONTROLS or c in BIDI})
    assert not leaked, f"control characters reached the screen: {leaked}"
    assert not payloads or not any(p in text for p in PAYLOADS)


# -- the pure functions -------------------------------------------------------------

@pytest.mark.parametrize("text", [ESCAPES_RAW, "\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\",
                                  "\x1bP1;2|data\x1b\\", "\x1b_apc\x1b\\", "\x1b7\x1b8\x1bc",
                                  "a\u202eb\u2066c", "\x9d0;t\x9c"])
def test_clean_text_removes_every_escape_sequence_and_control(text):
    cleaned = clean_text(text)
    assert not any(c in CONTROLS or c in "\u202e\u2066" for c in cleaned)


def test_invisible_marks_are_removed_but_joiners_that_scripts_need_stay():
    marks = "\u200e\u200f\u061c\u200b\u2060\ufeff"
    assert clean_line(f"a{marks}b") == "ab" and clean_text(f"x{marks}\ny") == "x\ny"
    assert clean_line("👩\u200d💻 \u200cx") == "👩\u200d💻 \u200cx"  # ZWJ, ZWNJ
    assert "\u200e" not in json_text({"t": "a\u200eb"})


def test_an_unterminated_escape_string_loses_only_its_introducer():
    assert clean_line("\x1b]0;the rest of the title") == "0;the rest of the title"
    assert clean_text("\x1b]0;one line\nnext line\x07") == "0;one line\nnext line"


def test_markup_safe_round_trips_through_textual_markup():
    from textual.content import Content

    for text in (MARKUP, "x\\[y", "end\\", "\\\\[bold]", "$var [$x]"):
        assert Content.from_markup(markup_safe(text)).plain == text


def test_json_text_escapes_what_json_leaves_raw():
    out = json_text({"t": "a\x9b1mb\x7f\u202ec\x1b"})
    assert not any(c in CONTROLS or c == "\u202e" for c in out)
    assert json.loads(out) == {"t": "a\x9b1mb\x7f\u202ec\x1b"}


# -- the reader ---------------------------------------------------------------------

def test_markup_and_escapes_show_literally_in_the_list_tree_header_and_body(make_app,
                                                                             hostile_root):
    async def scenario(pilot, screen):
        await press(pilot, "enter")
        for node in list(screen.tree.root.children):
            node.expand()
        await pilot.pause()
        text = screen_text(pilot.app)
        assert_inert(pilot.app, text)
        row = screen.article_list.render_line(0).text
        assert f"Evil {MARKUP} {SHOWN_ESCAPES}" in row  # the list row
        assert "tag[bold]B[/bold]" in text and f"esc{SHOWN_ESCAPES}" in text  # tree: tags
        assert "cat[bold]B[/bold]" in text and SOURCE in text  # tree: category, source
        header = str(screen.query_one("#article-header").render())
        assert f"Evil {MARKUP} {SHOWN_ESCAPES}" in header and f"Tags: tag{MARKUP}" in header
        assert f"Body {MARKUP}" in text and f"Raw {SHOWN_ESCAPES} end" in text  # the body
        assert "]0;ENT" in text and "rtl" in text  # entities decoding to controls: removed

    run_app_test(make_app(hostile_root), scenario, size=(200, 50))


def test_markup_in_a_query_shows_literally_in_the_search_status(make_app, hostile_root):
    async def scenario(pilot, screen):
        screen.query_one("#search").value = "is:[bold]x[/bold][@click=app.quit]"
        await press(pilot)
        status = screen.status.parts["search"]
        assert "is:[bold]x[/bold][@click=app.quit]" in status
        assert "is:[bold]x[/bold][@click=app.quit]" in screen_text(pilot.app)
        screen.query_one("#search").value = '"[bold]B[/bold]"'
        await press(pilot)
        assert screen.status.parts["search"].startswith("1 hit")
        assert_inert(pilot.app, screen_text(pilot.app))

    run_app_test(make_app(hostile_root), scenario, size=(200, 50))


def test_markup_and_escapes_in_a_notification_show_literally(make_app, archive_factory,
                                                             tmp_path):
    """A notice names the data dir; here its path holds markup and an escape sequence."""
    odd = tmp_path / "[bold]B[|bold] [@click=app.quit]Q[|] [link=https:||evil]L [\x1b]0;TITLE\x07"
    odd.mkdir()
    (odd / "blocker").write_text("a file where the data dir should be")
    app = make_app(archive_factory({"en/news/w/a.en.md": article_text("plain")}, name="plain"),
                   data_root=odd / "blocker" / "data")

    async def main() -> None:
        async with app.run_test(size=(200, 60), notifications=True) as pilot:
            await settle(pilot)
            toasts = [str(t.render()) for t in app.screen.query("Toast")]
            assert toasts and any("[bold]B[|bold] [@click=app.quit]Q[|]" in t for t in toasts)
            assert_inert(app, "".join(toasts) + screen_text(app), payloads=False)

    asyncio.run(main())


def test_the_command_palette_shows_a_hostile_title_and_source_literally(make_app,
                                                                        hostile_root):
    async def scenario(pilot, screen):
        await press(pilot, "ctrl+p")
        await press(pilot, *"Evil")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        commands = pilot.app.screen.query_one("CommandList")
        text = "\n".join(commands.render_line(y).text for y in range(commands.size.height))
        assert f"Jump to: Evil {MARKUP}"[:60] in text
        assert f"2025-03-01 · {SOURCE}" in text  # the help line, which Textual parses
        assert_inert(pilot.app, text + screen_text(pilot.app))
        await press(pilot, "enter")
        assert pilot.app.screen is screen and pilot.app.is_running

    run_app_test(make_app(hostile_root), scenario, size=(200, 50))


# -- links --------------------------------------------------------------------------

REFUSED = ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<script>x</script>",
           "https://example.com/a\nrm -rf ~", "https://example.com/a; rm -rf ~",
           "https://example.com/\x1b]52;c;QkFTRTY0\x07", "vbscript:msgbox", "ftp://example.com/",
           "http:", "mailto:", "//example.com/no-scheme"]
OPENED = ["https://example.com/a?b=1&c=%20d#frag", "http://example.com/", "HTTPS://EXAMPLE.COM/X",
          "mailto:someone@example.com?subject=hi"]


@pytest.mark.parametrize("url", REFUSED)
def test_links_other_than_http_https_and_mailto_are_refused(url):
    assert not is_openable(url)


@pytest.mark.parametrize("url", OPENED)
def test_http_https_and_mailto_links_are_openable(url):
    assert is_openable(url)


def yaml_quoted(url: str) -> str:
    return url.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\x1b", "\\e").replace("\x07", "\\a")


@pytest.mark.parametrize("url", [u for u in REFUSED if u.startswith("http")])
def test_o_refuses_a_hostile_article_link_with_a_message(make_app, archive_factory, url):
    root = archive_factory({PATH: hostile_article(yaml_quoted(url))}, name="badlink")

    async def scenario(pilot, screen):
        assert screen.article_list.current.link == url
        await press(pilot, "o")
        assert screen.services.open_link_with == []
        assert any("Only http, https and mailto" in n.message
                   for n in pilot.app._notifications)

    run_app_test(make_app(root), scenario)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:,x"])
def test_o_on_an_article_whose_link_is_not_a_web_link_opens_nothing(make_app, archive_factory,
                                                                     url):
    root = archive_factory({PATH: hostile_article(url)}, name="nolink")

    async def scenario(pilot, screen):
        await press(pilot, "o")
        assert screen.services.open_link_with == []
        assert any("no link" in n.message for n in pilot.app._notifications)

    run_app_test(make_app(root), scenario)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd",
                                 "data:text/html,x", "https://example.com/a b"])
def test_a_clicked_body_link_that_is_not_a_web_link_is_refused(make_app, hostile_root, url):
    async def scenario(pilot, screen):
        await press(pilot, "enter")
        document = screen.query("ArticleMarkdown").first()
        document.post_message(Markdown.LinkClicked(document, url))
        await press(pilot)
        assert screen.services.open_link_with == []
        assert any("Only http, https and mailto" in n.message
                   for n in pilot.app._notifications)

    run_app_test(make_app(hostile_root), scenario)


@pytest.mark.parametrize("url", OPENED)
def test_o_passes_http_https_and_mailto_links_to_the_browser_unchanged(make_app,
                                                                       archive_factory, url):
    root = archive_factory({PATH: hostile_article(yaml_quoted(url))}, name="goodlink")

    async def scenario(pilot, screen):
        await press(pilot, "o")
        assert screen.services.open_link_with == [url]

    run_app_test(make_app(root), scenario)


def test_the_browser_is_asked_through_webbrowser_never_a_shell(monkeypatch, hostile_root,
                                                               settings):
    import subprocess
    import webbrowser

    from reader.session.services import Services

    opened = Opened()
    monkeypatch.setattr(webbrowser, "open", opened)
    monkeypatch.setattr(subprocess, "Popen", pytest.fail)
    services = Services(Archive.open(hostile_root, settings), settings,
                        open_link=webbrowser.open)
    try:
        assert services.open_link("https://example.com/x") and opened == ["https://example.com/x"]
        assert not services.open_link("https://example.com/x; rm -rf ~")
        assert opened == ["https://example.com/x"]
    finally:
        services.close()


# -- the command line ---------------------------------------------------------------

def cli(capsys, *argv):
    from reader.cli.main import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_terminal_safe(*outputs: str, json_output: bool = False) -> None:
    """No control character in the output; in plain text, no escape sequence's payload
    either (JSON keeps the data, escaped: `\\u001b]0;TITLE\\u0007` is inert)."""
    for out in outputs:
        leaked = sorted({f"U+{ord(c):04X}" for c in out if c in CONTROLS or c in BIDI})
        assert not leaked, f"control characters in the output: {leaked}"
        assert json_output or not any(p in out for p in PAYLOADS)


@pytest.fixture
def cli_root(archive_factory):
    return archive_factory({
        PATH: hostile_article(),
        "en/news/w/\x1b]0;TITLE\x07bad\x9b\u00e9.md": "---\ntitle: [\x1b[31m\n---\nbody\n",
    }, name="cli")


def test_doctor_prints_hostile_file_names_and_reasons_without_control_characters(
        capsys, tmp_path, cli_root):
    code, out, err = cli(capsys, "--data-dir", str(tmp_path / "d"), "doctor", str(cli_root))
    assert code == 1 and "en/news/w/bad\u00e9.md: invalid front matter" in out
    assert_terminal_safe(out, err)
    code, out, err = cli(capsys, "--data-dir", str(tmp_path / "d"), "doctor", str(cli_root),
                         "--json")
    assert_terminal_safe(out, err, json_output=True)
    assert any("\x1b" in p["path"] for p in json.loads(out))  # the data itself is kept


def test_search_prints_hostile_titles_and_snippets_without_control_characters(
        capsys, tmp_path, cli_root):
    base = ("--data-dir", str(tmp_path / "d"), "search", "--archive", str(cli_root))
    code, out, err = cli(capsys, *base, "Raw")
    assert code == 0 and f"Evil {MARKUP} {SHOWN_ESCAPES}" in out and "Raw REDC1X end" in out
    assert_terminal_safe(out, err)
    code, out, err = cli(capsys, *base, "Raw", "--json")
    assert_terminal_safe(out, err, json_output=True)
    hit = json.loads(out)[0]
    assert "\x9b" in hit["title"]  # the data is kept, escaped
    assert "Raw REDC1X end" in hit["snippet"]  # the snippet is a display excerpt: cleaned


def test_state_export_escapes_control_characters_in_titles(capsys, tmp_path, cli_root):
    settings = Settings(data_root=tmp_path / "d", config_path=tmp_path / "c.toml")
    archive = Archive.open(cli_root, settings)
    archive.scan()
    with StateStore.open(archive.data_dir / STATE_FILE_NAME) as store:
        store.mark_read([PATH])
    code, out, err = cli(capsys, "--data-dir", str(tmp_path / "d"), "state", "export",
                         "--archive", str(cli_root))
    assert code == 0
    assert_terminal_safe(out, err, json_output=True)
    [entry] = json.loads(out)["articles"]
    assert entry["path"] == PATH and "\x9b" in entry["title"]
