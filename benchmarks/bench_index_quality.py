"""Search quality against a plain scan: words sampled from the articles themselves, and
pairs of regional words (人工智能/人工智慧) searched both ways.

The truth for a Chinese word is every article whose folded text (title,
summary, tags, categories, body; traditional folded to simplified) contains
it, in any region's words, as a substring; for an English word, every article
with that word (case and plural folded) - the same scan a reader would do
with grep -w -i.  For a pair, the truth is every article with either word.
Shared by the benchmarks (whole corpus) and the test suite (small samples).

usage: python benchmarks/bench_index_quality.py [--corpus DIR] [--work DIR] [--reuse]
prints the recall of each regional pair, each way, over the corpus (10k by default).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import opencc

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reader.archive.parse import parse_file  # noqa: E402
from reader.index.analysis import CJK_RUN, WORD, fold, stem  # noqa: E402
from reader.index.regional import regional_forms  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "bulwark" / "content"
REGIONAL_PAIRS = [("人工智能", "人工智慧"), ("软件", "軟體"), ("芯片", "晶片"),
                  ("英伟达芯片", "英偉達晶片"), ("英伟达", "輝達"), ("网络", "網路"),
                  ("信息", "資訊"), ("打印机", "印表機"), ("服务器", "伺服器"),
                  ("硬件", "硬體"), ("算法", "演算法")]


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
        forms = regional_forms(folded)
        return {d.path for d in docs if any(f in d.text for f in forms)}
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


def pair_recall(index, docs: list[Doc], pairs=REGIONAL_PAIRS) -> list[tuple]:
    """(a, b, articles with either, recall of a, recall of b) per pair; the truth is a
    plain substring scan of the folded text for either word, whatever the index does."""
    rows = []
    for a, b in pairs:
        fa, fb = fold(a), fold(b)
        want = {d.path for d in docs if fa in d.text or fb in d.text}
        got = [set(index.search(w, limit=0).paths) for w in (a, b)]
        rows.append((a, b, len(want), *(len(want & g) / max(len(want), 1) for g in got)))
    return rows


def main() -> None:
    from reader.archive import Archive
    from reader.config import load_settings
    from reader.index import SearchIndex, index_dir_of, update_index

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--work", type=Path, default=Path("/tmp/newsreader-bench-quality"))
    ap.add_argument("--reuse", action="store_true", help="update an existing index")
    args = ap.parse_args()
    if not args.reuse:
        shutil.rmtree(args.work, ignore_errors=True)
    archive = Archive.open(args.corpus, load_settings(data_dir=args.work))
    articles = archive.scan().articles
    update_index(archive, articles=articles)
    index = SearchIndex.open(index_dir_of(archive), root=archive.root)
    docs = load_docs(archive.root, [a.path for a in articles], archive.tz)
    print(f"{len(docs)} articles; recall against a scan for either word of the pair")
    print(f"  {'pair':<22} {'either':>7} {'first':>7} {'second':>7}")
    for a, b, n, ra, rb in pair_recall(index, docs):
        print(f"  {a + ' / ' + b:<22} {n:>7} {ra:>7.3f} {rb:>7.3f}")


if __name__ == "__main__":
    main()
