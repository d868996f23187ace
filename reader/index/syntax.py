"""The query language in brief: one list that `newsreader search --help` and the reader's
`?` screen both show (the full reference is docs/query-language.md)."""

from __future__ import annotations

QUERY_SYNTAX: list[tuple[str, str]] = [
    ("words", "all must match (title, summary, tags, categories, text)"),
    ('"quoted phrase"', "the exact sequence"),
    ("a OR b", "either one (a OR b c: (a OR b) and c)"),
    ("-word, NOT word", "must not match"),
    ("( … ), -( … )", "a group: (oil OR gas) lang:en, -(oil OR rates)"),
    ("(lang:en OR lang:zh)", "filters ORed together (not with words)"),
    ("prefix*", "words that start so"),
    ("title:word", "in the title only"),
    ("tag:X  category:X  cat:X", "by tag or category (quote values with spaces)"),
    ("lang:X  source:X", "by language (lang:zh = zh-CN and zh-HK) or source folder"),
    ("after:YYYY-MM-DD  before:YYYY-MM-DD", "dated on or after / before a day"),
    ("date:YYYY[-MM[-DD]]", "dated in that year, month or day"),
    ("is:read  is:unread  is:starred", "by reading state"),
    ("is:new", "arrived since the reader's previous session began (New)"),
    ("added:YYYY[-MM[-DD]]  added:today", "first seen by the reader then (not its date)"),
    ("added:>D  >=D  <D  <=D  A..B", "first seen after, from, before, up to, A to B"),
    ("word^2  word~1", "the plain word (no boosts, no fuzzy matching)"),
]

QUERY_NOTE = ("Chinese is matched as written inside running text, simplified and traditional "
              "alike; English ignores case and plural endings.")


def query_help_text() -> str:
    width = max(len(form) for form, _ in QUERY_SYNTAX)
    lines = ["Search the archive's title, summary, body, tags and categories.", ""]
    lines += [f"  {form:<{width}}  {meaning}" for form, meaning in QUERY_SYNTAX]
    return "\n".join(lines + ["", QUERY_NOTE])
