"""Search quality against a plain scan, on the sample feed and a slice of the real corpus.

Words are sampled from the articles themselves (simplified, traditional,
English); see benchmarks/bench_index_quality.py for what counts as truth.
The whole corpus is measured by benchmarks/bench_index.py.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import pytest

from reader.archive import Archive
from reader.index import SearchIndex, index_dir_of, update_index

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_index_quality import (REGIONAL_PAIRS, load_docs, measure, pair_recall,  # noqa: E402
                                 sample_words)

SLICE = 300


def check_quality(root: Path, settings, words_per_kind: int) -> dict:
    archive = Archive.open(root, settings)
    articles = archive.scan().articles
    summary = update_index(archive, articles=articles)
    assert not summary.error
    index = SearchIndex.open(index_dir_of(archive))
    docs = load_docs(root, [a.path for a in articles], archive.tz)
    scores = measure(index, docs, sample_words(docs, words_per_kind))
    for kind, (recall, precision) in scores.items():
        assert recall >= 0.98, (kind, recall)
        assert precision >= 0.95, (kind, precision)
    return scores


def test_quality_on_the_sample_feed(sample_root, settings):
    check_quality(sample_root, settings, 40)


@pytest.mark.corpus
def test_quality_on_a_slice_of_the_corpus(corpus_root, settings, tmp_path):
    files = sorted(p.relative_to(corpus_root) for p in corpus_root.rglob("*.md"))
    picked = random.Random(3).sample(files, SLICE)
    check_quality(copy_slice(corpus_root, picked, tmp_path / "slice"), settings, 60)


@pytest.mark.corpus
def test_regional_pairs_find_each_other_on_a_slice_of_the_corpus(corpus_root, settings,
                                                                  tmp_path):
    """Chinese articles with a word of a pair (人工智能/人工智慧 ...), in either form: a
    search for either word finds them all."""
    words = [w for pair in REGIONAL_PAIRS for w in pair]
    chinese = sorted(p.relative_to(corpus_root) for p in corpus_root.glob("zh-*/**/*.md"))
    rng = random.Random(5)
    picked = [rel for rel in rng.sample(chinese, len(chinese))
              if any(w in (corpus_root / rel).read_text(encoding="utf-8") for w in words)]
    root = copy_slice(corpus_root, picked[:SLICE], tmp_path / "slice")
    archive = Archive.open(root, settings)
    articles = archive.scan().articles
    assert not update_index(archive, articles=articles).error
    index = SearchIndex.open(index_dir_of(archive))
    docs = load_docs(root, [a.path for a in articles], archive.tz)
    rows = pair_recall(index, docs)
    assert sum(n for _, _, n, _, _ in rows) > 100
    for a, b, n, recall_a, recall_b in rows:
        assert n == 0 or (recall_a == 1.0 and recall_b == 1.0), (a, b, n, recall_a, recall_b)


def copy_slice(corpus_root: Path, rels: list, root: Path) -> Path:
    for rel in rels:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus_root / rel, root / rel)
    return root
