"""The saved searches' and rules' text checks made ahead, in a child, while the reader
loads its catalog (reader/index/warm_checks.py): a first start's finding then reads no
file, and finds what it would have found by itself."""

from __future__ import annotations

from conftest import article_text, indexed_services

from reader.config import Rule, SavedSearch, Settings
from reader.index import results as results_module
from reader.index import warm_checks
from reader.index.kept_checks import CHECKS_FILE

ZH = "content/zh-CN/news/xinhua/{}.md"


def test_a_first_starts_text_checks_are_made_ahead_and_the_finding_reads_no_file(
        archive_factory, tmp_path, monkeypatch):
    """It read some 11,000 files at 100k after the catalog was loaded (3-4 s)."""
    files = {ZH.format(i): article_text(f"报道 {i}", body=("英伟达发布新芯片。" if i % 2 else
                                                          "英伟 达到了。") + "\n")
             for i in range(8)}
    settings = Settings(data_root=tmp_path / "data", config_path=tmp_path / "config.toml",
                        searches=(SavedSearch("Nvidia", "英伟达"), SavedSearch("Plain", "芯片")),
                        rules=(Rule('"interest rates"', '"interest rates"', "star"),))
    services = indexed_services(archive_factory(files), settings)
    try:
        index = services.searcher.groups_index
        checks = index.index_dir / CHECKS_FILE
        checks.unlink(missing_ok=True)
        assert warm_checks.needed(index.index_dir, ["英伟达", "芯片", '"interest rates"'],
                                  index.tz) == ["英伟达", '"interest rates"']
        services.check_ahead()
        read = []
        real = results_module.read_text
        monkeypatch.setattr(results_module, "read_text",
                            lambda *args: read.append(args) or real(*args))
        found, _ = services.groups_at_start()
        assert checks.exists() and read == []
        assert warm_checks.needed(index.index_dir, ["英伟达"], index.tz) == []
        members = {g.key: g.paths for g in found.groups}
        assert members[("search", "Nvidia")] == {ZH.format(i) for i in range(1, 8, 2)}
    finally:
        services.close()
