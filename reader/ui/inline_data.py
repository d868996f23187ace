"""Inline `data:` addresses (base64 images, embedded pages) shown as a short placeholder.

A scraped article may carry its pictures inside the text as `data:` URIs of
hundreds of kilobytes.  Before the body is parsed, `shrink_data_uris` replaces
each long payload by its size (`data:image/png;size=145408,`), so no piece of
base64 is ever parsed, wrapped or drawn; the parser then shows every `data:`
image or link as `placeholder(...)`: "[image: chart, PNG 142 KB, inline]".
Nothing here decodes the payload.  No Textual here.
"""

from __future__ import annotations

import re

# A data URI: a media type and parameters of bounded length, a comma, a payload that
# runs to the first character that ends a markdown link destination.
_DATA_URI = re.compile(
    r"data:(?P<mime>[\w.+-]{0,60}/[\w.+-]{0,60})?(?P<params>(?:;[\w.+-]{1,60}(?:=[\w.+%-]{0,60})?){0,8}),"
    r"(?P<payload>[^\s()<>\"'\[\]]*)",
    re.IGNORECASE,
)
KEPT_PAYLOAD = 200  # a payload this short is left as it is


def _payload_bytes(params: str, payload: str) -> int:
    """The decoded size of a payload, computed from its length (never decoded)."""
    if ";base64" in params.lower():
        return len(payload.rstrip("=")) * 3 // 4
    return len(payload) - 2 * payload.count("%")


def shrink_data_uris(text: str) -> str:
    """`text` with every long data: payload replaced by a `size=` parameter."""

    def shrink(match: re.Match[str]) -> str:
        payload = match.group("payload")
        if len(payload) <= KEPT_PAYLOAD:
            return match.group()
        size = _payload_bytes(match.group("params") or "", payload)
        return f"data:{match.group('mime') or ''};size={size},"

    return _DATA_URI.sub(shrink, text) if "data:" in text.lower() else text


def is_data_uri(url: str) -> bool:
    return url[:5].lower() == "data:"


def _size_of(url: str) -> int:
    """The payload's size: from the `size=` that shrink_data_uris left, else computed."""
    head, _, payload = url.partition(",")
    found = re.search(r";size=(\d{1,12})(?:;|$)", head)
    return int(found.group(1)) if found else _payload_bytes(head, payload)


def _kind_of(url: str) -> str:
    """`PNG`, `JPEG`, `SVG`, `HTML`... from the media type; `data` when it names none."""
    match = _DATA_URI.match(url)
    mime = (match.group("mime") or "") if match else ""
    subtype = mime.partition("/")[2].split("+")[0]
    return subtype.upper() if subtype else "data"


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024):,} KB"
    return f"{size / (1024 * 1024):,.1f} MB"


def placeholder(url: str, what: str, label: str = "") -> str:
    """`[image: chart, PNG 142 KB, inline]`: what a data: image or link shows instead."""
    facts = [f"{_kind_of(url)} {human_size(_size_of(url))}", "inline"]
    if what == "link":
        facts.append("not opened")
    named = f"{label}, " if label else ""
    return f"[{what}: {named}{', '.join(facts)}]"
