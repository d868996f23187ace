"""What the article parser makes of data: images and links (issue 9.12), reference links in
long articles (9.13) and percent-encoded links (9.19)."""

from __future__ import annotations

import base64

from reader.textsafe import is_openable, readable_url
from reader.ui.inline_data import placeholder, shrink_data_uris
from reader.ui.markdown_prep import make_parser, prepare_body, references, split_blocks

PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG" + b"\0" * 145_400).decode()


def inline_children(markdown: str, known=None):
    tokens = make_parser(known).parse(markdown)
    return [child for token in tokens if token.type == "inline" for child in token.children]


def shown_text(markdown: str, known=None) -> str:
    return "".join(c.content for c in inline_children(markdown, known))


def hrefs(markdown: str, known=None) -> list[str]:
    return [c.attrs["href"] for c in inline_children(markdown, known) if c.type == "link_open"]


def test_a_data_image_is_a_placeholder_with_its_alt_and_size():
    body = prepare_body(f"Before ![chart]({PNG}) after.\n")
    assert len(body) < 200  # the base64 is gone before anything is parsed
    text = shown_text(body)
    assert text == "Before [image: chart, PNG 142 KB, inline] after."
    assert hrefs(body) == []


def test_data_images_the_parser_would_refuse_are_placeholders_too():
    svg = "data:image/svg+xml;base64," + "PHN2Zz4g" * 100
    assert shown_text(f"![logo]({svg})") == "[image: logo, SVG 600 B, inline]"
    assert shown_text("![](data:image/gif;base64,R0lGODlhAQABAAAAACw=)") == \
        "[image: GIF 14 B, inline]"


def test_a_data_link_keeps_its_text_and_is_never_a_link():
    page = "data:text/html;charset=utf-8," + "%3Cscript%3Ealert%281%29%3C%2Fscript%3E" * 40
    body = prepare_body(f"See [the page]({page}).")
    assert hrefs(body) == []
    assert shown_text(body) == "See the page [link: HTML 1000 B, inline, not opened]."


def test_short_and_unrelated_text_is_not_touched():
    assert shrink_data_uris("metadata: a, b") == "metadata: a, b"
    assert shrink_data_uris("data:image/png;base64,AAAA") == "data:image/png;base64,AAAA"
    assert placeholder("data:,hello", "link", "x") == "[link: x, data 5 B, inline, not opened]"


def test_the_moneycontrol_article_loses_its_base64(corpus_root):
    path = corpus_root / "en/news/moneycontrol/a7c4f0361f63540d8f6a091b220aa2b6.en.md"
    body = path.read_text(encoding="utf-8")
    assert len(body) > 150_000
    prepared = prepare_body(body)
    assert len(prepared) < 20_000 and "base64" not in prepared
    text = "".join(shown_text(piece) for piece in split_blocks(prepared))
    assert "[image: JPEG " in text


# -- reference links ------------------------------------------------------------------


def test_reference_definitions_reach_every_piece():
    body = "See [the report][1] and [Reuters][r].\n\n" + "Filler text.\n\n" * 2000 \
        + "[1]: https://example.com/report\n[r]: https://reuters.com \"Reuters\"\n"
    pieces = split_blocks(body)
    assert len(pieces) > 2
    assert hrefs(pieces[0]) == []  # what the pane did before: literal brackets
    known = references(body)
    assert hrefs(pieces[0], known) == ["https://example.com/report", "https://reuters.com"]
    assert "[" not in shown_text(pieces[0], known)


def test_the_first_definition_of_a_label_wins_as_in_one_document():
    body = "[x][a]\n\n[a]: https://first.example\n\n[a]: https://second.example\n"
    assert hrefs(body, references(body)) == ["https://first.example"]
    assert references("no definitions here") == {}


# -- links shown decoded --------------------------------------------------------------


def test_percent_encoded_cjk_links_are_shown_decoded():
    url = "https://www.dw.com/zh/%E7%BE%8E%E5%9B%BD%E5%88%B6%E8%A3%81/a-67530706"
    assert readable_url(url) == "https://www.dw.com/zh/美国制裁/a-67530706"
    assert readable_url("https://x.com/%e6%b3%93?q=a%20b&r=%2F") == "https://x.com/泓?q=a%20b&r=%2F"


def test_decoding_never_shows_controls_bidi_or_invisible_characters():
    url = "https://x.com/%E2%80%AEexe.pdf%1B%5B31m%E2%80%8B%EF%BB%BF%C2%A0%ff%e6%b3"
    shown = readable_url(url)
    assert shown == "https://x.com/%E2%80%AEexe.pdf%1B%5B31m%E2%80%8B%EF%BB%BF%C2%A0%ff%e6%b3"
    assert readable_url("https://x.com/\x1b]0;title\x07a") == "https://x.com/a"
    assert is_openable(url)  # the real link is unchanged, and still the one opened
