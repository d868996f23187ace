"""A prefix's terms read in place (whoosh_patches/prefix_records.py) are the terms and
documents Whoosh itself reads: records inlined with one, two or several documents,
posting lists of one block and of several, the ends of a field's keys, deleted
documents; and a pickle of another shape is read as Whoosh reads it."""

from __future__ import annotations

import pickle
import zlib

import pytest

from conftest import article_text, index_in_one_commit, write_archive
from reader.archive import Archive
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index.whoosh_patches.leaf_ids import deleted_docs
from reader.index.whoosh_patches.prefix_records import (_block_deltas, _pickled_ids,
                                                       segment_prefix_terms)

COUNT = 300


def _body(n: int) -> str:
    # documents per word: 1 (solo), 2 (pair), 5 (trio: a pickle inlined), 50 (block: one
    # block), 300 (common: three blocks of up to 128), 3 far apart (sparse)
    words = [f"solo{n}", f"pair{n // 2}", f"trio{n // 5}", f"block{n // 50}", "common"]
    if n % 140 == 0:
        words.append("sparse")
    return " ".join(words) + ".\n"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from reader.config import Settings

    tmp = tmp_path_factory.mktemp("prefix-records")
    settings = Settings(data_root=tmp / "data", config_path=tmp / "config.toml")
    files = {f"content/en/{n:04d}.md": article_text(f"zebra title {n}", body=_body(n))
             for n in range(COUNT)}
    root = write_archive(tmp / "archive", files)
    archive = Archive.open(root, settings)
    index_in_one_commit(archive)  # one segment, then a second
    for n in range(0, COUNT, 7):  # deleted documents stay in their segment
        (root / f"content/en/{n:04d}.md").unlink()
    write_archive(root, {f"content/en/x{n:04d}.md": article_text("zebra", body=_body(n))
                         for n in range(40)})  # a second segment
    archive.scan()
    update_index(archive)
    index = SearchIndex.open(index_dir_of(archive), root=root)
    yield index
    index.close()


def _whoosh_terms(searcher, fieldname: str, prefix: str) -> dict[bytes, set[int]]:
    found = {}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        for btext in reader.lexicon(fieldname):
            if btext.startswith(prefix.encode()):
                ids = {offset + d for d in reader.postings(fieldname, btext).all_ids()}
                found.setdefault(btext, set()).update(ids)
    return found


@pytest.mark.parametrize("prefix", ["solo", "solo1", "solo299", "pair", "pai", "trio", "block",
                                    "com", "common", "commons", "sparse", "s", "z", "zebra",
                                    "zzz", "a", "", "title", "tit", "ti"])
def test_a_prefixs_terms_and_documents_are_whooshs(index, prefix):
    searcher = index._current()
    assert len(searcher.leaf_searchers()) > 1
    assert any(sub.reader().has_deletions() for sub, _ in searcher.leaf_searchers())
    gone = {offset + d for sub, offset in searcher.leaf_searchers()
            for d in deleted_docs(sub.reader())}
    for fieldname in ("title", "body"):
        terms: dict[bytes, list[int]] = {}
        for sub, offset in searcher.leaf_searchers():
            segment_prefix_terms(sub.reader(), fieldname, prefix, offset, terms)
        assert all(len(ids) == len(set(ids)) for ids in terms.values())
        assert {t: set(ids) - gone for t, ids in terms.items()} == \
            _whoosh_terms(searcher, fieldname, prefix), (fieldname, prefix)


def _block(ids, weights, values, compression=1, header=None) -> bytes:
    """A posting block as Whoosh's W3PostingsWriter._write_block writes it."""
    deltas = [ids[0], *(b - a for a, b in zip(ids, ids[1:]))]
    data = pickle.dumps((tuple(deltas), weights, values), 2)
    if compression:
        data = zlib.compress(data, compression)
    head = header or (len(ids), ids[-1], 3.0, compression, 1, 9)
    return pickle.dumps(head, 2) + data


@pytest.mark.parametrize("ids", [[0], [3, 9], [1, 2, 3], list(range(0, 128)),
                                 list(range(5, 40000, 300)), [7, 70_000, 70_001],
                                 [1, 2 ** 31 + 5], [0, 255, 256, 65535, 65536, 65800]])
@pytest.mark.parametrize("weights", [None, 2.0, "each"])
@pytest.mark.parametrize("compression", [0, 1, 3])
def test_a_blocks_ids_are_its_pickles(ids, weights, compression):
    weights = tuple(float(i % 5 + 1) for i in ids) if weights == "each" else weights
    block = _block(ids, weights, b"\x00\x00\x00\x01" * len(ids), compression)
    deltas = _block_deltas(memoryview(block))
    assert [sum(deltas[:i + 1]) for i in range(len(deltas))] == ids


def test_a_header_of_another_shape_is_read_as_whoosh_reads_it():
    ids = [4, 8, 15, 16, 23, 42]
    block = _block(ids, None, b"", header=(len(ids), ids[-1], 0, 1, 1, 9))  # an int weight
    assert _block_deltas(block) == [4, 4, 7, 1, 7, 19]


@pytest.mark.parametrize("ids", [(5,), (5, 6), (5, 6, 7), (1, 300, 70_000, 2 ** 40),
                                 tuple(range(7))])
def test_inlined_ids_are_the_pickles_first_element(ids):
    pickled = pickle.dumps((ids, tuple(1.0 for _ in ids), tuple(b"" for _ in ids)), 2)
    assert _pickled_ids(memoryview(pickled)) == ids
    assert _pickled_ids(pickle.dumps((list(ids), None, None), 2)) == list(ids)


def test_a_usual_blocks_weights_and_values_are_never_read(monkeypatch):
    """Only the ids are decompressed and unpickled (the speed of the walk)."""
    from reader.index.whoosh_patches import prefix_records

    ids = list(range(3, 600, 5))
    block = _block(ids, tuple(float(i % 3) for i in ids), b"\x00\x00\x00\x02" * len(ids))
    monkeypatch.setattr(prefix_records.zlib, "decompress", None)  # whole blocks: no more
    deltas = _block_deltas(memoryview(block))
    assert [sum(deltas[:i + 1]) for i in range(len(deltas))] == ids
