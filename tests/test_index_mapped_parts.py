"""Compound segment parts are read from the map in place, and read the same as Whoosh's."""

from __future__ import annotations

import io

from conftest import article_text
from whoosh.filedb import compound
from whoosh.filedb.filestore import FileStorage

from reader.archive import Archive
from reader.index import SearchIndex, index_dir_of, update_index
from reader.index.whoosh_patches import mapped_parts
from reader.index.store import whoosh_dir


def compound_storages(archive):
    storage = FileStorage(str(whoosh_dir(index_dir_of(archive))))
    for name in storage.list():
        if name.endswith(".seg"):
            yield compound.CompoundStorage(storage.open_file(name), use_mmap=True)


def test_parts_are_views_of_the_map_that_read_like_whoosh_copies(archive_factory, settings):
    files = {f"{i}.md": article_text(f"标题{i}", body="银行新闻 bank news " * 50) for i in range(30)}
    archive = Archive.open(archive_factory(files), settings)
    update_index(archive)
    mapped_parts.install()
    checked = 0
    for storage in compound_storages(archive):
        for name in storage.list():
            part = storage.open_file(name)
            copy = mapped_parts._original_open_file(storage, name)  # Whoosh's own: a copy
            assert isinstance(part, mapped_parts.MappedPart)
            assert not isinstance(part.file, io.BytesIO)
            length = len(part._buf)
            assert part.read(7) == copy.read(7) and part.tell() == copy.tell()
            part.seek(length // 2), copy.seek(length // 2)
            assert part.read() == copy.read()
            assert part.get(1, min(5, length - 1)) == copy.get(1, min(5, length - 1))
            checked += 1
    assert checked
    index = SearchIndex.open(index_dir_of(archive))
    assert len(index.search("银行", limit=0).hits) == 30
