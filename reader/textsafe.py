"""Article text is data: make it safe to put on a terminal (no Textual here).

Titles, tags, paths and bodies come from scraped files.  Before any of it is
shown, by the reader or by the command line, terminal escape sequences and
control characters go (they could move the cursor, change colours, retitle
the terminal or write the clipboard), and so do bidi overrides.  Links are
opened only when their scheme is one a browser should handle.
"""

from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import urlsplit

from reader.lazy_re import lazy

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC strings, other
# two-byte ESC sequences, 8-bit CSI.  String payloads must be terminated on their
# line: an unterminated one loses only its introducer, never the text after it.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)"
    r"|\x1b[PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)"
    r"|\x1b[ -/]*[0-~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
# C0 controls but tab and newline, DEL, C1 controls, bidi embeddings, isolates and
# marks (LRM, RLM, ALM), and the invisible zero-width space, word joiner and BOM (ZWJ
# and ZWNJ stay: scripts and emoji need them).
_INVISIBLE = "\u061c\u200b\u200e\u200f\u2060\ufeff"
_CONTROLS = re.compile(
    f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069{_INVISIBLE}]")
_BREAKS = re.compile(r"[\t\n\u2028\u2029]+")
# What json.dumps(ensure_ascii=False) leaves raw but a terminal may act on.
_JSON_RAW = lazy(f"[\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069\\u2028\\u2029{_INVISIBLE}]")

_ESCAPED_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")

OPENABLE_SCHEMES = ("http", "https", "mailto")


def clean_text(text: str) -> str:
    """Text with escape sequences and control characters removed; newlines and tabs kept."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def clean_line(text: str, strip: bool = True) -> str:
    """Like clean_text, for one line (a title, a tag): line breaks become spaces."""
    line = _BREAKS.sub(" ", clean_text(text))
    return line.strip() if strip else line


def json_text(value: object, indent: int | None = None) -> str:
    """JSON of `value`, non-ASCII kept readable, but every character a terminal could act
    on (C0 are escaped by json itself; here also DEL, C1 and bidi controls) as \\uXXXX."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def is_openable(url: str) -> bool:
    """True for an http, https or mailto link with something after the scheme."""
    url = url.strip()
    if not url or url != clean_line(url) or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme.lower() not in OPENABLE_SCHEMES:
        return False
    return bool(parts.netloc) if parts.scheme.lower() != "mailto" else bool(parts.path)


def readable_url(url: str) -> str:
    """A link as a person reads it, for display only (the link opened or copied stays
    `url`): percent-escapes of non-ASCII characters decoded (`/%E6%B3%93` -> `/泓`),
    while ASCII escapes (`%2F`, `%20`), broken UTF-8 and every character that is not
    visible as itself (controls, bidi, invisible, spaces) stay escaped."""
    line = clean_line(url)
    return _ESCAPED_RUN.sub(_decode_run, line) if "%" in line else line


def _utf8_length(lead: int) -> int:
    return 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else \
        4 if 0xF0 <= lead <= 0xF4 else 1


def _decode_run(match: re.Match[str]) -> str:
    run = match.group()
    data = bytes.fromhex(run.replace("%", ""))
    shown: list[str] = []
    index = 0
    while index < len(data):
        length = _utf8_length(data[index])
        char = _decoded(data[index:index + length]) if length > 1 else ""
        if char and _shows_as_itself(char):
            shown.append(char)
            index += length
        else:
            shown.append(run[3 * index:3 * index + 3])
            index += 1
    return "".join(shown)


def _decoded(sequence: bytes) -> str:
    try:
        return sequence.decode("utf-8")
    except UnicodeDecodeError:
        return ""


def _shows_as_itself(char: str) -> bool:
    return unicodedata.category(char)[0] not in "CZ" and clean_line(char) == char
