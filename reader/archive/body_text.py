"""An article file's text and its body, without parsing its front matter (no YAML module:
what a search's text check and snippets need, kept light for `newsreader search`).

The boundaries are python-frontmatter's: YAML between `---` lines, TOML between `+++`
lines (reader/archive/frontmatter_io.py's handlers), else JSON at the top of the file.
"""

from __future__ import annotations

import json
import re

YAML_BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)
TOML_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
BOUNDARIES = (YAML_BOUNDARY, TOML_BOUNDARY)


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text and a note ('' when clean UTF-8): UTF-8 (a character cut at the end
    dropped), else GB18030 or Big5, else UTF-8 with replacement characters.  A BOM is
    dropped and line endings made `\\n`."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text, note = data.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # cut inside a character (a long file
            text, note = data[:exc.start].decode("utf-8"), ""  # is read only in part)
        else:
            text, note = _decode_legacy(data)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, note


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """GB18030 decodes nearly any bytes, so Big5 wins where it decodes too and the GB reading
    is made of characters outside the common GB2312 set (the mark of a misread)."""
    candidates = {}
    for encoding in ("gb18030", "big5"):
        try:
            candidates[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            pass
    gb = candidates.get("gb18030")
    if "big5" in candidates and (gb is None or _common_gb_share(gb) < 0.95):
        return candidates["big5"], "not UTF-8: decoded as BIG5"
    if gb is not None:
        return gb, "not UTF-8: decoded as GB18030"
    return data.decode("utf-8", errors="replace"), "not UTF-8: undecodable bytes shown as \ufffd"


def _common_gb_share(text: str) -> float:
    wide = [ch for ch in text if ord(ch) > 0x2E7F]
    if not wide:
        return 1.0
    common = sum(1 for ch in wide if _in_gb2312(ch))
    return common / len(wide)


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def body_of(text: str) -> str:
    """The text after its front matter (YAML, TOML or JSON), found as `split` finds it but
    without parsing the front matter: for a search's text check and snippets."""
    for boundary in BOUNDARIES:
        if boundary.match(text):
            parts = boundary.split(text, 2)
            return parts[2] if len(parts) == 3 else text  # not closed: the whole text
    if text.startswith("{"):
        return split_json(text)[1]
    return text


def split_json(text: str) -> tuple[dict, str, str]:
    """Hugo's bare JSON front matter: one object at the top of the file."""
    try:
        meta, end = json.JSONDecoder().raw_decode(text)
    except ValueError as exc:  # a JSONDecodeError, or an integer of 5,000 digits
        return {}, text, f"invalid JSON front matter: {_first_line(exc)}"
    except RecursionError:
        return {}, text, "invalid JSON front matter: nested too deeply"
    body = text[end:].lstrip("\n")
    if not isinstance(meta, dict):
        return {}, body, "JSON front matter is not an object"
    return meta, body, ""


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]
