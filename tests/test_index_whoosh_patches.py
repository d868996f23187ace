"""The Whoosh patches are checked against the one Whoosh version they were written for."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
import whoosh

from reader.index.whoosh_patches import WhooshVersionError, check_version

REPO = Path(__file__).resolve().parents[1]
MESSAGE = ("newsreader needs Whoosh 2.7.4 exactly (found 2.7.5): its index code patches "
           "Whoosh internals")


def test_the_pinned_version_passes():
    check_version()
    check_version((2, 7, 4))


def test_any_other_version_fails_on_import_with_one_clear_line(monkeypatch):
    monkeypatch.setattr(whoosh, "__version__", (2, 7, 5))
    with pytest.raises(WhooshVersionError) as raised:
        check_version()
    assert str(raised.value) == MESSAGE
    for name in [n for n in sys.modules if n.startswith("reader.index.whoosh_patches")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(whoosh, "__version__", (2, 8, 0))
    with pytest.raises(SystemExit, match=r"found 2\.8\.0\)"):  # its class is new: re-imported
        importlib.import_module("reader.index.whoosh_patches.codec")


def test_the_cli_prints_the_version_error_as_one_line(tmp_path):
    (tmp_path / "none.toml").write_text("")
    code = ("import sys, whoosh; whoosh.__version__ = (2, 7, 5)\n"
            "from reader.cli.main import main\n"  # imports no Whoosh: `index` does
            "main(['index', '-q', '--data-dir', sys.argv[1], '--config', sys.argv[2],"
            " 'sample_feed'])")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "data"),
                           str(tmp_path / "none.toml")], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == MESSAGE + "\n"


class _Segment:
    def __init__(self, live: int, total: int | None = None):
        self.live, self.total = live, live if total is None else total

    def doc_count(self):
        return self.live

    def doc_count_all(self):
        return self.total


def test_a_commit_merges_small_segments_only_within_its_budget():
    from reader.index.whoosh_patches.merge_policy import MERGE_BUDGET, _chosen

    big, halves = _Segment(2000), [_Segment(MERGE_BUDGET // 2 - 10) for _ in range(4)]
    edits = [_Segment(1), _Segment(3)]
    chosen = _chosen([big, *halves, *edits])
    assert chosen == [edits[0], edits[1], halves[0], halves[1]]  # smallest first, in budget
    assert sum(s.doc_count() for s in chosen) <= MERGE_BUDGET
    worn = _Segment(2000, total=5000)  # mostly deleted: rewritten whatever its size
    assert _chosen([big, worn]) == [worn]


def _term_records(index_dir) -> list:
    from reader.index.store import open_index

    reader = open_index(index_dir).reader()  # one segment: its term table's raw records
    return [(key, value, list(reader.postings(*reader._terms._keydecoder(key)).all_ids()))
            for key, value in reader._terms._tindex.items()]


def test_short_posting_lists_packed_at_once_write_the_same_records(tmp_path, monkeypatch):
    from conftest import article_text, write_archive

    from reader.archive import Archive
    from reader.config import Settings
    from reader.index import index_dir_of, update_index
    from reader.index.whoosh_patches.codec import ArticleFieldWriter

    files = {f"content/en/news/wire/{i}.en.md": article_text(
        f"Report {i} 英伟达", body=("Central bank note. " * i) + "平台 芯片\n") for i in range(12)}
    records = []
    for fast in (True, False):
        monkeypatch.setattr(ArticleFieldWriter, "fast_inline", fast)
        archive = Archive.open(write_archive(tmp_path / f"a{fast}", files),
                               Settings(data_root=tmp_path / f"d{fast}",
                                        config_path=tmp_path / "config.toml"))
        assert update_index(archive).added == 12
        records.append(_term_records(index_dir_of(archive)))
    assert records[0] == records[1]
    assert any(len(ids) >= 8 for *_, ids in records[0])  # both kinds of term written
