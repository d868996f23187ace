"""Reading a file's bytes into (front matter dict, body): decoding and the three formats.

Hugo allows YAML (`---`), TOML (`+++`) and JSON (`{ ... }`) front matter.  We
parse with python-frontmatter's handlers, YAML through libyaml's C loader
where present (about 7x faster than pure-Python YAML), except that front matter
wholly in the scraper's own shape (yaml_subset.py: `key: "text"` lines, booleans,
lists of "text") is read by a strict subset reader that gives the same answer
several times faster.

Hostile front matter is refused before it can cost more than linear time:
longer than MAX_FRONT_MATTER, nested deeper than MAX_DEPTH (libyaml's composer
recurses in C: 100,000 levels crash the process, 10,000 take seconds), or with
YAML merge keys, more than MAX_MERGE_KEYS of them or copying more than
MAX_MERGED entries (`<<: [*a, *a]` chained 23 times, 650 bytes, took 45 s).
Each is a one-line reason for doctor.
"""

from __future__ import annotations

import tomllib

import yaml
from frontmatter.default_handlers import BaseHandler, YAMLHandler

from reader.archive import yaml_subset
from reader.archive.body_text import (  # noqa: F401 - decode: parse.py's import
    TOML_BOUNDARY, YAML_BOUNDARY, _first_line, decode, split_json)

try:
    _YAML_LOADER = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _YAML_LOADER = yaml.SafeLoader

MAX_FRONT_MATTER = 2_000_000  # characters (a real one is a few hundred)
MAX_DEPTH = 64  # levels of nesting (a real one has two or three)
MAX_MERGED = 100_000  # mapping entries that YAML merge keys may copy, in all
MAX_MERGE_KEYS = 1_000  # `<<` in one front matter (each merge deletes from a list)
_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


class _BoundedLoader(_YAML_LOADER):
    """The safe loader, stopping once merge keys have copied MAX_MERGED entries: each
    merge copies the entries of the mappings it names, so chained merges double."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._merging = 0  # flatten_mapping calls in progress: > 0 inside a merge
        self._merged = 0

    def flatten_mapping(self, node) -> None:
        merged_into_another = self._merging > 0
        self._merging += 1
        try:
            super().flatten_mapping(node)
        finally:
            self._merging -= 1
        if merged_into_another:
            self._merged += len(node.value)
            if self._merged > MAX_MERGED:
                raise ValueError(f"merge keys (<<) copy more than {MAX_MERGED:,} entries")


def _too_deep(fm: str) -> bool:
    """Whether the YAML nests deeper than MAX_DEPTH, told by the parser's events (which
    keep no stack of their own) where a cheap bound says that it could: each level
    needs a line of its own or one of `[ { - ?`."""
    bound = fm.count("\n") + fm.count("[") + fm.count("{") + sum(
        fm.count(c + sep) for c in "-?" for sep in " \t")
    if bound <= MAX_DEPTH:
        return False
    depth = 0
    for event in yaml.parse(fm, Loader=_YAML_LOADER):
        if isinstance(event, _OPENS):
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif isinstance(event, _CLOSES):
            depth -= 1
    return False


class _TomlHandler(BaseHandler):
    """TOML (`+++`) through the standard library's tomllib (no third-party toml package)."""

    FM_BOUNDARY = TOML_BOUNDARY
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> dict:
        return tomllib.loads(fm)


class _YamlHandler(YAMLHandler):
    FM_BOUNDARY = YAML_BOUNDARY  # python-frontmatter's, shared with body_of

    def load(self, fm: str, **kwargs: object) -> object:
        # The scraper's own shape (two levels deep at most, never too deep) is read 20x
        # faster by yaml_subset; anything else, or too many `<<`, by the full loader.
        meta = yaml_subset.load(fm) if fm.count("<<") <= MAX_MERGE_KEYS else None
        return meta if meta is not None else full_load(fm)


def full_load(fm: str) -> object:
    """YAML front matter read by the bounded safe loader (see the module's doc)."""
    if _too_deep(fm):
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
    if fm.count("<<") > MAX_MERGE_KEYS:
        raise ValueError(f"more than {MAX_MERGE_KEYS:,} merge keys (<<)")
    return yaml.load(fm, Loader=_BoundedLoader)  # noqa: S506 - a safe loader


_HANDLERS = (_YamlHandler(), _TomlHandler())


def looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:8192]


def split(text: str) -> tuple[dict, str, str]:
    """(metadata, body, problem).  No front matter: ({}, text, '').  Broken front matter:
    ({}, body after it, reason) so that what could be read is still shown."""
    for handler in _HANDLERS:
        if handler.detect(text):
            return _split_with(handler, text)
    if text.startswith("{"):
        return split_json(text)
    return {}, text, ""


def _split_with(handler, text: str) -> tuple[dict, str, str]:
    try:
        fm, body = handler.split(text)
    except ValueError:
        return {}, text, "front matter is not closed"
    if len(fm) > MAX_FRONT_MATTER:
        return {}, body, f"front matter longer than {MAX_FRONT_MATTER:,} characters: not read"
    try:
        meta = handler.load(fm)
    except (yaml.YAMLError, ValueError) as exc:  # TOML's and JSON's errors are ValueErrors
        return {}, body, f"invalid front matter: {_first_line(exc)}"
    except RecursionError:
        return {}, body, "invalid front matter: nested too deeply"
    if meta is None:
        return {}, body, ""
    if not isinstance(meta, dict):
        return {}, body, f"front matter is a {type(meta).__name__}, not a mapping"
    return {str(k): v for k, v in meta.items()}, body, ""
