"""An advisory inter-process lock on a lock file, re-entrant within a thread.

POSIX uses ``fcntl.flock`` and Windows ``msvcrt.locking`` on the first byte of the lock file.
The kernel drops the lock when its holder dies, so a crashed process never wedges the others.
The lock file is never deleted: deleting it would let two processes lock two different files.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tokentoss._fs import open_private_file
from tokentoss._storage_errors import storage_error

__all__ = ["lock_for"]

if sys.platform == "win32":
    import msvcrt
    import time

    def _acquire(fd: int) -> None:
        while True:
            try:
                os.lseek(fd, 0, os.SEEK_SET)
                # LK_LOCK itself gives up after ~10 s; loop so a long refresh only makes us wait.
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                time.sleep(0.05)

    def _release(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _acquire(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class _PathLock:
    """One lock file, shared by the threads of this process.

    Threads queue on a ``threading.RLock``; the thread that holds it holds the file lock once,
    however deep it nests.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._thread_lock:
            if self._depth == 0:
                # Checked like the token file: a symlink, FIFO or another user's file planted
                # as the lock file is refused, never followed, waited on or locked.
                fd, _ = open_private_file(self._path, create=True, what="lock file")
                try:
                    _acquire(fd)
                except OSError as exc:  # ENOLCK on an NFS mount without a lock manager
                    os.close(fd)
                    raise storage_error("lock the lock file", self._path, exc) from exc
                except BaseException:
                    os.close(fd)
                    raise
                self._fd = fd
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fd, self._fd = self._fd, None
                    try:
                        _release(fd)
                    except OSError:
                        pass  # closing the descriptor releases the lock anyway
                    finally:
                        os.close(fd)


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
    # A child forked while another thread held a lock would inherit a held RLock and hang.
    global _registry_lock
    _registry.clear()
    _registry_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_after_fork)
