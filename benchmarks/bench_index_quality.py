"""Search quality against a plain scan: words sampled from the articles themselves.

The truth for a Chinese word is every article whose folded text (title,
summary, tags, categories, body; traditional folded to simplified) contains
it as a substring; for an English word, every article with that word (case
and plural folded) - the same scan a reader would do with grep -w -i.
Shared by the benchmark (whole corpus) and the test suite (small samples).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import opencc

from reader.archive.parse import parse_file
from reader.index.analysis import CJK_RUN, WORD, fold, stem


@dataclass
class Doc:
    path: str
    text: str  # folded
    raw: str  # as written (for sampling traditional words)
    stems: frozenset[str]


def load_docs(root: Path, paths: list[str], tz) -> list[Doc]:
    docs = []
    for path in paths:
        parsed = parse_file(root, path, tz)
        a = parsed.article
        raw = "\n".join((a.title, a.summary, " ".join(a.tags), " ".join(a.categories),
                         parsed.body))
        folded = fold(raw)
        docs.append(Doc(a.path, folded, raw, frozenset(stem(w) for w in WORD.findall(folded))))
    return docs


def sample_words(docs: list[Doc], n: int, seed: int = 7) -> dict[str, list[str]]:
    """n simplified, n traditional (from zh-HK text or converted) and n English words."""
    rng = random.Random(seed)
    s2t = opencc.OpenCC("s2t")
    words: dict[str, list[str]] = {"simplified": [], "traditional": [], "english": []}
    pool = [d for d in docs if CJK_RUN.search(d.text)]
    english = [d for d in docs if len(d.stems) > 20]
    for _ in range(n * 20):
        if pool and len(words["simplified"]) < n:
            run = _run(rng, rng.choice(pool).text)
            if run:
                words["simplified"].append(run)
        if pool and len(words["traditional"]) < n:
            run = _run(rng, rng.choice(pool).raw)
            if run:
                words["traditional"].append(s2t.convert(run))
        if english and len(words["english"]) < n:
            found = [w for w in WORD.findall(rng.choice(english).text) if w.isalpha()
                     and len(w) >= 4 and w.isascii()]
            if found:
                words["english"].append(rng.choice(found))
    return words


def _run(rng: random.Random, text: str) -> str:
    runs = [r for r in CJK_RUN.findall(text) if len(r) >= 2]
    if not runs:
        return ""
    run = rng.choice(runs)
    size = min(len(run), rng.choice((2, 3, 4)))
    start = rng.randrange(len(run) - size + 1)
    return run[start:start + size]


def truth(docs: list[Doc], word: str) -> set[str]:
    folded = fold(word)
    if CJK_RUN.fullmatch(folded):
        return {d.path for d in docs if folded in d.text}
    key = stem(folded)
    return {d.path for d in docs if key in d.stems}


def measure(index, docs: list[Doc], words: dict[str, list[str]]) -> dict[str, tuple[float, float]]:
    """(recall, precision) per kind of word, over all its queries pooled."""
    out = {}
    for kind, sample in words.items():
        expected = found = correct = 0
        for word in sample:
            want = truth(docs, word)
            got = set(index.search(word, limit=0).paths)
            expected += len(want)
            found += len(got)
            correct += len(want & got)
        out[kind] = (correct / max(expected, 1), correct / max(found, 1))
    return out
