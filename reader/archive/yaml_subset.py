"""A fast reader of the YAML front matter this archive's scraper writes, and of nothing else.

The full loader (frontmatter_io.full_load: libyaml, then PyYAML building Python objects)
costs about 0.6 ms a file, most of a scan's parse.  Real front matter is very regular,
so `load` reads a strict subset of YAML with one regular expression and answers None
at the first thing outside it: the caller then reads the WHOLE front matter with the
full loader.  A front matter is either wholly in the subset, where `load` gives exactly
what the full loader gives (tests/test_archive_yaml_subset.py), or read by the full loader.

The subset, line by line (empty lines are skipped, as YAML skips them):

    key: "text"     a double-quoted scalar: a str
    key: true       or false: a bool (no other spelling: `yes`, `True`, ... fall back)
    key: []         an empty list
    key:            None, or the list of the item lines that follow it:
      - "text"      exactly two spaces, a dash, a space, a double-quoted scalar

A key is `[A-Za-z_][A-Za-z0-9_-]*`, at most 128 characters (libyaml refuses a key over
1,024), not a word YAML resolves to a bool or null (`on`, `no`, `null`, ...), and not
one given before (a duplicate falls back).  "text" holds `"` and `\\` only in JSON's
escapes (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX, no surrogate half: libyaml refuses those).
Nothing else: no trailing space, comment, tab, anchor, tag, plain (unquoted) scalar
(YAML resolves those as dates, numbers or null), single quote, flow collection or
multi-line scalar.  A character YAML refuses (a control character) or reads as a line
break (NEL, U+2028, U+2029), a BOM or a CR anywhere sends all of it to the full loader.
"""

from __future__ import annotations

import re

# One line of the subset (or, as `other`, any line that is not): key and value ("text",
# true, false, [] or nothing), or an item's "text".  The texts' `"` and `\\` are checked after.
# A key is not one of the plain words YAML 1.1 resolves to a bool or null (in any case).
_LINE = re.compile(r'^(?:(?!(?i:yes|no|y|n|true|false|on|off|null):)'
                   r'([A-Za-z_][A-Za-z0-9_-]{0,127}):(?: (".*"|true|false|\[\]))?'
                   r'|  - (".*")|(.+))$', re.MULTILINE)
_ESCAPED = re.compile(  # JSON's escapes; unrolled, so linear whatever the length
    r'[^"\\]*(?:\\(?:["\\/bfnrt]|u(?![dD][89a-fA-F])[0-9A-Fa-f]{4})[^"\\]*)*')
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|(.))")
_UNESCAPED = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r",
              "t": "\t"}
# What YAML prints, but for NEL, U+2028/U+2029 (line breaks to YAML), U+FEFF (a BOM), tab
# and CR: looked for only where str.isprintable (a stricter rule) refuses a character.
_OUTSIDE = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


class _Outside(Exception):
    """The front matter is not wholly inside the subset."""


def load(fm: str) -> dict | None:
    """The mapping the full YAML loader would give for `fm`, or None when `fm` is not
    wholly inside the subset (or holds no key)."""
    if not fm.replace("\n", " ").isprintable() and _OUTSIDE.search(fm):
        return None
    try:
        meta = _mapping(_LINE.findall(fm))
    except _Outside:
        return None
    return meta or None


def _mapping(lines: list[tuple[str, str, str, str]]) -> dict:
    """The matched lines (empty ones are not matched: YAML skips them too) as a mapping."""
    meta: dict = {}
    listed = None  # the key of the `key:` line that item lines may follow
    for key, value, item, other in lines:
        if item:
            if listed is None:
                raise _Outside
            items = meta[listed]
            if items is None:
                items = meta[listed] = []
            items.append(_text(item))
        elif other or key in meta:
            raise _Outside
        elif not value:
            meta[key], listed = None, key
        else:
            meta[key], listed = _VALUES[value[0]](value), None
    return meta


def _text(quoted: str) -> str:
    """A double-quoted scalar's value: JSON's escapes only."""
    inner = quoted[1:-1]
    if '"' not in inner and "\\" not in inner:
        return inner
    if not _ESCAPED.fullmatch(inner):
        raise _Outside
    return _ESCAPE.sub(_unescape, inner)


def _unescape(match: re.Match) -> str:
    code, char = match.groups()
    return chr(int(code, 16)) if code is not None else _UNESCAPED[char]


_VALUES = {'"': _text, "t": lambda _: True, "f": lambda _: False, "[": lambda _: []}
