"""Fixtures shared by the whole suite: the sample feed, the real corpus, temporary settings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from reader.config import Settings  # noqa: E402

SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "bulwark" / "content"


@pytest.fixture
def sample_root() -> Path:
    return REPO / "sample_feed"


@pytest.fixture
def corpus_root() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent here")
    return CORPUS


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_root=tmp_path / "data", config_path=tmp_path / "config.toml")


@pytest.fixture
def archive_factory(tmp_path: Path):
    """make(files: {rel_path: text or bytes}, name="archive") -> the archive folder."""

    def make(files: dict[str, str | bytes], name: str = "archive") -> Path:
        return write_archive(tmp_path / name, files)

    return make


def write_archive(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` ({rel_path: text or bytes}) under `root`; returns root (also for
    module-scoped fixtures, which cannot use archive_factory)."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    root.mkdir(parents=True, exist_ok=True)
    return root


def article_text(title: str = "A title", date: str = "2025-02-14 15:12:52", body: str = "Body.\n",
                 **extra: object) -> str:
    """A front-matter article in the archive's own style."""
    lines = ["---", f'title: "{title}"', f'date: "{date}"']
    for key, value in extra.items():
        if isinstance(value, (list, tuple)):
            lines.append(f"{key}:")
            lines.extend(f'  - "{v}"' for v in value)
        else:
            lines.append(f'{key}: "{value}"')
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body


def indexed_services(root: Path, settings: Settings):
    """Services on `root` with its catalog loaded and its index complete (close them)."""
    import threading

    from reader.archive import Archive
    from reader.session.services import Services

    services = Services(Archive.open(root, settings), settings)
    services.open_state()
    services.set_articles(services.scan().articles)
    services.update_index(lambda done, total: None, threading.Event())
    return services


def index_in_one_commit(archive) -> None:
    """Scan the archive and index it in one commit (the writer in this process), for a
    test whose segments must be those it makes: a first index commits early and often
    (after 100 articles, then 200 more ...: reader/index/writer.py)."""
    import queue
    import threading

    from reader.index.updater import plan_update
    from reader.index.writer import write_index

    archive.scan()
    job, _ = plan_update(archive)
    job.growing = False
    write_index(job, queue.Queue(), threading.Event())


def kinds(node):
    """A query's text tree as nested (kind, text or children) tuples, to compare."""
    if node is None:
        return None
    if node.children:
        return (node.kind, [kinds(c) for c in node.children])
    return (node.kind, node.text)
