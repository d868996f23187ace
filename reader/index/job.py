"""What an index update asks of the writer: a plain record, importable without Whoosh
(the updater plans a job in the calling process; reader/index/writer.py runs it)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Job:
    index_dir: str
    root: str
    timezone: str
    adds: list[tuple[str, str]] = field(default_factory=list)  # (path, file path under root)
    removes: list[str] = field(default_factory=list)
    rebuild: bool = False
    batch: int = 2000
    cache: str = ""  # the metadata cache, whose ledger records each commit
    ledger: str = ""  # the ledger's name, recorded in the manifest
    parsed: dict = field(default_factory=dict)  # path -> ParsedArticle, from the scan
    migrate: bool = False  # the manifest held stamps, now in the ledger: write it anew
    merge: bool = False  # then merge the due tiers of segments (merge_policy.merge_one_tier)
    merge_only: bool = False  # only that, at idle priority, the manifest and ledger left
    # as they are (the reader's and `watch`'s merge when the index is otherwise idle)
    parts: list = field(default_factory=list)  # folders where other processes index the
    # rest of the delta (reader/index/parts.py): taken into this job's last commit
    indexed: int = 0  # articles indexed already (a first index resumed), counted into
    # the progress: done of the whole, not of what is left
    growing: bool = False  # the index is not complete (a first index, or one cut short):
    # commits come early and grow (see reader/index/writer.py), and the job is not split
