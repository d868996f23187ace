"""Reading a file's bytes into (front matter dict, body): decoding and the three formats.

Hugo allows YAML (`---`), TOML (`+++`) and JSON (`{ ... }`) front matter.  We
parse with python-frontmatter's handlers, YAML through libyaml's C loader
where present (about 7x faster than pure-Python YAML).
"""

from __future__ import annotations

import json
import tomllib

import yaml
import re

from frontmatter.default_handlers import BaseHandler, YAMLHandler

try:
    _YAML_LOADER = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _YAML_LOADER = yaml.SafeLoader

_ENCODINGS = ("utf-8", "gb18030", "big5")


class FrontMatterError(ValueError):
    """The front matter could not be parsed; the message says why."""


class _TomlHandler(BaseHandler):
    """TOML (`+++`) through the standard library's tomllib (no third-party toml package)."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> dict:
        return tomllib.loads(fm)


class _YamlHandler(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> object:
        return yaml.load(fm, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader


_HANDLERS = (_YamlHandler(), _TomlHandler())


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text and a note ('' when clean UTF-8): UTF-8, else GB18030 or Big5, else
    UTF-8 with replacement characters.  A BOM is dropped and line endings made `\\n`."""
    note = ""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8":
            note = f"not UTF-8: decoded as {encoding.upper()}"
        break
    else:
        text = data.decode("utf-8", errors="replace")
        note = "not UTF-8: undecodable bytes shown as \ufffd"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, note


def looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:8192]


def split(text: str) -> tuple[dict, str, str]:
    """(metadata, body, problem).  No front matter: ({}, text, '').  Broken front matter:
    ({}, body after it, reason) so that what could be read is still shown."""
    for handler in _HANDLERS:
        if handler.detect(text):
            return _split_with(handler, text)
    if text.startswith("{"):
        return _split_json(text)
    return {}, text, ""


def _split_with(handler, text: str) -> tuple[dict, str, str]:
    try:
        fm, body = handler.split(text)
    except ValueError:
        return {}, text, "front matter is not closed"
    try:
        meta = handler.load(fm)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, json.JSONDecodeError, ValueError) as exc:
        return {}, body, f"invalid front matter: {_first_line(exc)}"
    if meta is None:
        return {}, body, ""
    if not isinstance(meta, dict):
        return {}, body, f"front matter is a {type(meta).__name__}, not a mapping"
    return {str(k): v for k, v in meta.items()}, body, ""


def _split_json(text: str) -> tuple[dict, str, str]:
    """Hugo's bare JSON front matter: one object at the top of the file."""
    try:
        meta, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        return {}, text, f"invalid JSON front matter: {_first_line(exc)}"
    body = text[end:].lstrip("\n")
    if not isinstance(meta, dict):
        return {}, body, "JSON front matter is not an object"
    return meta, body, ""


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]
