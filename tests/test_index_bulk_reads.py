"""What the Whoosh patches read in one piece reads as Whoosh's own readers do: the date
column per segment (numeric_column) and a terms file's hash directory (hash_directory)."""

from __future__ import annotations

from array import array

from conftest import article_text

from reader.archive import Archive
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index.store import open_index
from reader.index.whoosh_patches import hash_directory
from reader.index.whoosh_patches.numeric_column import numeric_values

DATES = ["1969-07-20 20:17:40", "2025-02-14 15:12:52", "1900-01-02 00:00:00",
         "2038-01-19 03:14:08", "2100-12-31 23:59:59"]


def test_dates_read_in_one_piece_match_whoosh_over_segments_and_deletions(
        archive_factory, settings):
    root = archive_factory({f"a/{i}.md": article_text(f"t{i}", date=d)
                            for i, d in enumerate(DATES)})
    archive = Archive.open(root, settings)
    update_index(archive)
    (root / "b").mkdir()
    (root / "b" / "x.md").write_text(article_text("x", date="2001-09-09 01:46:40"),
                                     encoding="utf-8")
    (root / "a" / "1.md").unlink()  # a deleted document keeps its place in the column
    update_index(archive)
    reader = open_index(index_dir_of(archive)).reader()
    assert len(list(reader.leaf_readers())) >= 2
    whoosh_way = list(reader.column_reader("date"))
    values = numeric_values(reader, "date")  # an array: no int made for every document
    assert isinstance(values, array) and values.typecode == "q" and list(values) == whoosh_way
    assert len(whoosh_way) == reader.doc_count_all() and min(whoosh_way) < 0


def test_the_newest_first_order_is_by_date(archive_factory, settings):
    root = archive_factory({f"{i}.md": article_text(f"t{i}", date=d, body="word")
                            for i, d in enumerate(DATES)})
    archive = Archive.open(root, settings)
    update_index(archive)
    index = SearchIndex.open(index_dir_of(archive), root=root, timezone="UTC")
    hits = index.search("word", limit=0, sort="date").hits
    assert [h.title for h in hits] == ["t4", "t3", "t1", "t0", "t2"]


def test_the_hash_directory_read_at_once_is_whoosh_s(archive_factory, settings, monkeypatch):
    from whoosh.filedb.filetables import HashReader

    root = archive_factory({f"{i}.md": article_text(f"t{i}", body=f"银行 bank {i}")
                            for i in range(40)})
    archive = Archive.open(root, settings)
    update_index(archive)
    ours = open_index(index_dir_of(archive)).reader()  # opening installs the patch
    assert HashReader.__init__ is hash_directory._init
    monkeypatch.setattr(HashReader, "__init__", hash_directory._original_init)
    theirs = open_index(index_dir_of(archive)).reader()
    for (mine, _), (whoosh_s, _) in zip(ours.leaf_readers(), theirs.leaf_readers()):
        a, b = mine._terms._tindex, whoosh_s._terms._tindex
        assert (a.tables, a.endofdata, a.startofdata, a.extras) == \
            (b.tables, b.endofdata, b.startofdata, b.extras)
    assert list(ours.lexicon("body")) == list(theirs.lexicon("body"))
