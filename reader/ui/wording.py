"""Counts in words: "1 hit", "2 hits", "1,234 articles"."""

from __future__ import annotations


def plural(count: int, word: str, prefix: str = "") -> str:
    """`count` and `word`, with an s unless the count is one (`prefix`: "about ", ...)."""
    return f"{prefix}{count:,} {word}{'' if count == 1 else 's'}"
