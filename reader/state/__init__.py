"""Read/unread and starred marks that are never lost (no Textual here).

    store = StateStore.open(archive.data_dir / STATE_FILE_NAME)
    store.mark_read(["content/en/news/x/1.en.md"])          # committed at once
    counts = GroupCounts(articles, store.read_set(), store.starred_set())

See store.py for the guarantees, transfer.py and docs/state-format.md for the
export format, groups.py for the tree's groups and counts.py for their counts.
"""

from reader.state.counts import Count, GroupCounts
from reader.state.groups import ALL, STARRED, UNREAD, Groups, PathGroup
from reader.state.fallback import saved_marks
from reader.state.model import READ, STAR, BulkChange, ImportReport, Mark, Undone
from reader.state.errors import (DamagedStateError, StateBusyError, StateError,
                                 StateUnwritableError)
from reader.state.store import UNDO_DEPTH, StateStore
from reader.state.visits import Visits
from reader.state.transfer import TransferError

STATE_FILE_NAME = "state.sqlite3"

__all__ = [
    "ALL", "STARRED", "UNREAD", "Count", "GroupCounts", "Groups", "PathGroup",
    "READ", "STAR", "BulkChange", "ImportReport", "Mark", "Undone",
    "DamagedStateError", "StateBusyError", "StateError", "StateUnwritableError", "TransferError",
    "UNDO_DEPTH", "StateStore", "Visits", "STATE_FILE_NAME", "saved_marks",
]
