"""Article text is data: make it safe to put on a terminal.

Titles, tags and bodies come from scraped files.  Before any of it is shown,
terminal escape sequences and control characters go (they could move the
cursor, change colours or retitle the terminal), and so do bidi overrides.
Links are opened only when their scheme is one a browser should handle.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte ESC sequences.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
# C0 controls but tab and newline, DEL, C1 controls, bidi embeddings and isolates.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[\t\n\u2028\u2029]+")

OPENABLE_SCHEMES = ("http", "https", "mailto")


def clean_text(text: str) -> str:
    """Text with escape sequences and control characters removed; newlines and tabs kept."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def clean_line(text: str) -> str:
    """Like clean_text, for one line (a title, a tag): line breaks become spaces."""
    return _BREAKS.sub(" ", clean_text(text)).strip()


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
