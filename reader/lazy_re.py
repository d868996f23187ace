"""Regular expressions compiled on first use.

Compiling a pattern with a class of CJK characters costs 0.5-1.7 ms (the `re` module
fills a table for each of their 27,000 code points in Python), and `newsreader
search` imports a dozen such patterns that a given query never uses: the indexing's,
the text check's, the prefix walk's.  `lazy(pattern)` stands for `re.compile(pattern)`
and compiles it the first time one of its methods is called.
"""

from __future__ import annotations

import re


class LazyPattern:
    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern, flags: int = 0):
        self._args, self._compiled = (pattern, flags), None

    def __getattr__(self, name: str):
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)


def lazy(pattern, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
