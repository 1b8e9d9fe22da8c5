"""An advisory inter-process lock on a lock file, re-entrant within a thread.

The lock is filelock's native one: ``UnixFileLock`` (``flock``) or ``WindowsFileLock``
(``LockFileEx`` on the first byte), never ``SoftFileLock``. ``fallback_to_soft=False`` and
``preserve_lock_file=True`` keep it so: a file system without ``flock`` is an error, not a marker
file that a crash would leave behind. The kernel drops the lock when its holder dies, so a crashed
process never wedges the others. The lock file is never deleted: deleting it would let two
processes lock two different files.

filelock opens the lock file by its path itself, so the file is checked twice, as the token
file is (no symlink followed, no FIFO waited on, only the user's own regular file, a loose mode
fixed on the descriptor, never on someone else's file): before waiting, so a planted file is
refused instead of waited on; and on the descriptor filelock locked (its ``on_acquired`` hook,
which releases the lock when the check raises), so a file swapped in between is not the one held.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tokentoss._fs import check_private_descriptor, open_private_file
from tokentoss._storage_errors import storage_error

if TYPE_CHECKING:
    from filelock import BaseFileLock

__all__ = ["POLL_SECONDS", "lock_for"]

WHAT = "lock file"
# filelock waits by polling a non-blocking lock. 32 kernels refreshing at once queue behind one
# token request: a short interval keeps their wait near the request's, at a few syscalls each.
POLL_SECONDS = 0.005


def _native_lock(path: Path) -> BaseFileLock:
    # Imported on the first lock, not with tokentoss: readers (the warm path) never lock.
    import filelock

    def check_what_was_locked(fd: int) -> None:
        check_private_descriptor(path, fd, what=WHAT)

    native = filelock.WindowsFileLock if sys.platform == "win32" else filelock.UnixFileLock
    return native(
        path,
        mode=0o600,
        thread_local=False,  # the threads of this process queue on _PathLock's RLock
        is_singleton=False,
        poll_interval=POLL_SECONDS,
        fallback_to_soft=False,
        preserve_lock_file=True,
        on_acquired=check_what_was_locked,
    )


class _PathLock:
    """One lock file, shared by the threads of this process.

    Threads queue on a ``threading.RLock``; the thread that holds it holds the file lock once,
    however deep it nests.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._native: BaseFileLock | None = None

    def _acquire_file_lock(self) -> BaseFileLock:
        # Refused before waiting: a symlink, FIFO or another user's file planted as the lock
        # file is never followed, waited on or locked (and ours is created 0600 here).
        fd, _ = open_private_file(self._path, create=True, what=WHAT)
        os.close(fd)
        if self._native is None:
            self._native = _native_lock(self._path)
        try:
            self._native.acquire()
        except OSError as exc:  # ENOLCK on an NFS mount without a lock manager, ELOOP, ...
            raise storage_error("lock the lock file", self._path, exc) from exc
        return self._native

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._thread_lock:
            native = self._acquire_file_lock() if self._depth == 0 else None
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if native is not None:
                    # A failed unlock still ends in a closed descriptor, which releases the lock.
                    with contextlib.suppress(OSError):
                        native.release()


_registry: dict[str, _PathLock] = {}
_registry_lock = threading.Lock()


def lock_for(path: Path) -> _PathLock:
    """Return the process-wide lock object for the lock file at ``path``."""
    key = os.path.abspath(path)
    with _registry_lock:
        lock = _registry.get(key)
        if lock is None:
            lock = _registry[key] = _PathLock(Path(key))
        return lock


def _forget_locks_after_fork() -> None:
    # A child forked while another thread held a lock would inherit a held RLock and hang, and
    # filelock refuses an instance inherited across fork: the child starts afresh.
    global _registry_lock
    _registry.clear()
    _registry_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_after_fork)
