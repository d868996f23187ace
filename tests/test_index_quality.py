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
from bench_index_quality import load_docs, measure, sample_words  # noqa: E402

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
    root = tmp_path / "slice"
    for rel in picked:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus_root / rel, root / rel)
    check_quality(root, settings, 60)
