"""Watching an archive folder: what changed, in batches, for `Archive.scan_paths`.

    watcher = ArchiveWatcher(archive)
    for batch in watcher.batches(stop_event):      # blocks: run it in a thread
        result = archive.scan(...) if batch.paths is None else archive.scan_paths(batch.paths)

watchfiles (Rust's notify underneath) watches folders, not files, so 100,000 articles
in a few hundred folders cost a few hundred inotify watches.  A burst (a `git pull`,
a `cp -r` of 10,000 files) comes as a few batches: watchfiles groups what arrives
within a debounce, and a batch follows the previous one by at least MIN_INTERVAL, while
the first change after a quiet spell is reported within about a tenth of a second.

`paths=None` means "what changed is unknown: reconcile with a full scan": where the
folder cannot be watched (the inotify watch limit, a permission error, a network file
system whose changes are never reported, the watcher failing) a batch of None comes
every `watch_poll_seconds`, the first with a notice that says why; a burst too large
for the kernel's event queue to be trusted, or the archive folder itself replaced by
another, is one batch of None.

The archive folder missing (renamed away, its drive unmounted) is not every file
deleted: one batch says so (`missing`, nothing to scan), then nothing comes until the
folder is back; then it is watched again (if it can be), and the first batch is None,
a reconciling scan.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
import time
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Protocol

from reader.archive.walk import in_listed_folder, is_article_name, is_folder_name

if TYPE_CHECKING:
    from reader.archive import Archive

MIN_INTERVAL = 0.5  # seconds between two batches, at least
DEBOUNCE_MS = 400  # watchfiles groups a burst's changes over this long, at most
STEP_MS = 50  # ... and returns once no change came for this long
WAKE_MS = 100  # idle, watchfiles returns this often (to flush what waits, to see a stop)
POLL_DELAY_MS = 1000  # force_polling: how often watchfiles' poller stats the files
MISSING_POLL_SECONDS = 1.0  # a missing archive folder: how often to look whether it is back
# Changes in one raw batch beyond which the kernel's queue may have overflowed (watchfiles
# drops inotify's overflow event, which names no path): half of the queue's length.
OVERFLOW_SHARE = 2
NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph",
                        "glusterfs", "fuse.sshfs", "fuse.rclone", "davfs", "fuse.davfs2"})
# Editors' and downloaders' temporary files (hidden ones are skipped anyway).
_TEMPORARY = re.compile(r"(~|\.sw[a-p]|\.tmp|\.part|\.crdownload|___jb_(tmp|old)___)$|^#.*#$"
                        r"|^4913$")
_ADDED, _MODIFIED, _DELETED = 1, 2, 3  # watchfiles.Change


class StopEvent(Protocol):
    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


@dataclass(frozen=True, slots=True)
class WatchBatch:
    """Paths (POSIX, relative to the archive) that changed, or None: rescan everything.
    `notice` is set once, on the first batch of a fallback to rescanning."""

    paths: frozenset[str] | None
    notice: str = ""
    polled: bool = False  # a periodic rescan: the folder is not watched
    missing: bool = False  # the archive folder is not there (nothing to scan): said once,
    # then nothing comes until it is back, and watched again (a batch of None, not polled)


class CannotWatch(Exception):
    """Watching is impossible here; str() says why, in plain words."""


class ArchiveWatcher:
    def __init__(self, archive: "Archive", force_polling: bool | None = None,
                 poll_seconds: float | None = None):
        self.root = os.path.abspath(archive.root)
        self.data_dir = os.path.abspath(archive.data_dir)
        self.force_polling = force_polling  # None: watchfiles decides (WATCHFILES_FORCE_POLLING)
        self.poll_seconds = poll_seconds or archive.settings.watch_poll_seconds
        self.overflow_at = _queue_length() // OVERFLOW_SHARE

    def batches(self, stop_event: StopEvent, full_scan_first: bool = False
                ) -> Iterator[WatchBatch]:
        """Batches until `stop_event` is set (then the iterator ends within a tenth of a
        second, its watcher closed).  `full_scan_first`: the first batch, once changes
        are being watched, is None: a scan then misses nothing written before."""
        while not stop_event.is_set():
            if not os.path.isdir(self.root):  # renamed away, unmounted: wait for it
                yield WatchBatch(None, f"The archive folder {self.root} is missing: "
                                       "waiting for it (nothing is forgotten)", missing=True)
                if not self._back(stop_event):
                    return
                full_scan_first = True  # what changed meanwhile is unknown
            try:
                yield from self._watched(stop_event, full_scan_first)
            except CannotWatch as exc:
                if os.path.isdir(self.root):
                    yield from self._polled(stop_event, str(exc))
            full_scan_first = True

    def _back(self, stop_event: StopEvent) -> bool:
        """Wait until the archive folder is there again; False when stopped first."""
        while not stop_event.wait(MISSING_POLL_SECONDS):
            if os.path.isdir(self.root):
                return True
        return False

    def _watched(self, stop_event: StopEvent, full_scan_first: bool) -> Iterator[WatchBatch]:
        """Watched batches until stopped or the archive folder is missing."""
        restart = True
        while restart and not stop_event.is_set() and os.path.isdir(self.root):
            network = _network_fs(self.root) if not self.force_polling else ""
            if network:
                raise CannotWatch(f"a network file system, {network}, whose changes are "
                                  "not reported")
            identity = _identity(self.root)
            source = coalesced(self._raw(stop_event, full_scan_first),
                               lambda: _identity(self.root) != identity)
            with closing(source):
                for paths in source:
                    restart = paths is None and _identity(self.root) != identity
                    if restart and _identity(self.root) is None:
                        return  # missing: `batches` waits for it
                    yield WatchBatch(paths)
                    if restart:
                        break
                else:
                    restart = False

    def _raw(self, stop_event: StopEvent, full_scan_first: bool = False
             ) -> Iterator[set[str] | None]:
        """The relevant paths of each of watchfiles' batches (empty when idle), None for a
        batch that calls for a full scan (and first, once watching, if asked)."""
        import watchfiles

        source = watchfiles.watch(
            self.root, watch_filter=None, debounce=DEBOUNCE_MS, step=STEP_MS,
            stop_event=stop_event, rust_timeout=WAKE_MS, yield_on_timeout=True,
            force_polling=self.force_polling, poll_delay_ms=POLL_DELAY_MS)
        with closing(source):
            try:
                for changes in source:  # the first comes once the folders are watched
                    yield None if full_scan_first else self.relevant(changes)
                    full_scan_first = False
            except (OSError, RuntimeError) as exc:  # RuntimeError: WatchfilesRustInternalError
                raise CannotWatch(_why(exc)) from exc

    def relevant(self, changes: Iterable[tuple[int, str]]) -> set[str] | None:
        """The paths that may be articles or folders of articles; None when the archive
        folder itself changed or the burst may have overflowed the kernel's queue."""
        changes = list(changes)
        if len(changes) >= self.overflow_at:
            return None
        out = set()
        for change, path in changes:
            if path == self.root:
                return None
            rel = self._relative(path)
            if rel is not None and self._wanted(int(change), rel, path):
                out.add(rel)
        return out

    def _relative(self, path: str) -> str | None:
        if not path.startswith(self.root + os.sep):
            return None
        if path == self.data_dir or path.startswith(self.data_dir + os.sep):
            return None  # the reader's own data dir inside the archive
        return path[len(self.root) + 1:].replace(os.sep, "/")

    @staticmethod
    def _wanted(change: int, rel: str, path: str) -> bool:
        name = posixpath.basename(rel)
        if not in_listed_folder(rel) or not is_folder_name(name) or _TEMPORARY.search(name):
            return False
        if is_article_name(name, posixpath.dirname(rel)):
            return True
        if change == _DELETED:
            return not os.path.lexists(path)  # a folder of articles, maybe: its records go
        # a folder that appeared (copied or moved in) is walked; one whose attributes
        # changed (rsync -a sets them) holds nothing new that its files do not report
        return change == _ADDED and os.path.isdir(path)

    def _polled(self, stop_event: StopEvent, reason: str) -> Iterator[WatchBatch]:
        """Rescans every `poll_seconds` until stopped or the archive folder is missing."""
        yield WatchBatch(None, f"Watching the folder is not possible here ({reason}): "
                               f"rescanning every {self.poll_seconds:g} s", polled=True)
        while not stop_event.wait(self.poll_seconds) and os.path.isdir(self.root):
            yield WatchBatch(None, polled=True)


def coalesced(raw: Iterator[set[str] | None], urgent: Callable[[], bool],
              clock: Callable[[], float] = time.monotonic) -> Iterator[frozenset[str] | None]:
    """Batches of `raw`'s paths, at most one every MIN_INTERVAL (what comes sooner waits
    and joins the next); None (a full scan) swallows the paths waiting with it.  When
    `urgent()` (asked at each of raw's wake-ups: the archive folder renamed), a batch of
    None comes at once and the batches end."""
    pending: set[str] | None = set()
    last = float("-inf")
    for paths in raw:
        if urgent():
            yield None
            return
        if paths is None or pending is None:
            pending = None
        else:
            pending |= paths
        if (pending is None or pending) and clock() - last >= MIN_INTERVAL:
            yield None if pending is None else frozenset(pending)
            pending, last = set(), clock()


def _why(exc: BaseException) -> str:
    text = str(exc)
    if "watch limit" in text.lower() or getattr(exc, "errno", None) == errno.ENOSPC:
        return "inotify watch limit reached"
    if isinstance(exc, PermissionError) or "permission denied" in text.lower():
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "the archive folder is gone"
    return f"the watcher failed: {text[:120]}"


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _queue_length() -> int:
    try:
        with open("/proc/sys/fs/inotify/max_queued_events") as f:
            return int(f.read())
    except (OSError, ValueError):
        return 16384  # Linux's default


def _network_fs(path: str) -> str:
    """The type of the network file system `path` is on, '' when it is a local one."""
    try:
        with open("/proc/self/mounts") as f:
            mounts = [line.split()[1:3] for line in f if len(line.split()) > 2]
    except OSError:
        return ""
    real = os.path.realpath(path)
    best, kind = "", ""
    for point, fstype in mounts:
        point = point.replace("\\040", " ")
        inside = real == point or real.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fstype
    return kind if kind in NETWORK_FS else ""
