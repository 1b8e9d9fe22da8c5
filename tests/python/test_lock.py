"""The store's lock is filelock's native lock, checked like the token file, never a soft marker.

The checks that do not depend on the lock's library (planted symlinks, FIFOs, another user's
file) are in test_hostile_folder.py; these cover what wrapping filelock adds: the file swapped
between our check and filelock's open, and a file system without ``flock``.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kernel_support import offline_tokens, posix_only

import tokentoss._lock
from tokentoss._fs import open_private_file
from tokentoss.errors import InsecureFilePermissionsWarning, StorageError
from tokentoss.store import TokenStore


def swap_after_the_check(monkeypatch: pytest.MonkeyPatch, plant: Callable[[Path], None]) -> None:
    """From now on, right after our check of the lock file passes, ``plant`` replaces it.

    What a racing attacker would do; filelock then opens whatever is there by its path.
    """

    def checked_then_swapped(path: Path, **kwargs: Any) -> tuple[int, os.stat_result]:
        opened = open_private_file(path, **kwargs)
        os.unlink(path)
        plant(path)
        return opened

    monkeypatch.setattr(tokentoss._lock, "open_private_file", checked_then_swapped)


@posix_only
def test_fifo_swapped_in_after_the_check_is_refused_and_released(
    kernel_store: TokenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    kernel_store.save(offline_tokens())
    swap_after_the_check(monkeypatch, lambda path: os.mkfifo(path, 0o600))
    # filelock 4 locks the FIFO and our check of its descriptor refuses it ("not a regular
    # file"); filelock 3.30 fails on it itself (EINVAL). Refused either way.
    with pytest.raises(StorageError, match="lock file"):
        kernel_store.save(offline_tokens(email="mallory@example.com"))
    monkeypatch.undo()

    # Released: with the FIFO gone, the next writer locks at once.
    os.unlink(kernel_store.lock_path)
    kernel_store.save(offline_tokens(email="bob@example.com"))
    assert TokenStore(kernel_store.path).load().user_email == "bob@example.com"  # type: ignore[union-attr]


@posix_only
def test_descriptor_filelock_locked_is_the_one_checked(
    kernel_store: TokenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    kernel_store.save(offline_tokens())

    def loose_file(path: Path) -> None:
        path.touch(mode=0o644)
        os.chmod(path, 0o644)  # past the umask

    swap_after_the_check(monkeypatch, loose_file)
    with pytest.warns(InsecureFilePermissionsWarning, match="readable by other users"):
        kernel_store.save(offline_tokens(email="bob@example.com"))
    # Fixed on the descriptor filelock opened (our own check saw the old, private file).
    assert stat.S_IMODE(kernel_store.lock_path.stat().st_mode) == 0o600


@posix_only
def test_no_flock_is_an_error_and_leaves_no_soft_marker(
    kernel_store: TokenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl  # here, not at module level: the module must import on Windows too

    kernel_store.save(offline_tokens())
    before = sorted(p.name for p in kernel_store.path.parent.iterdir())
    token_bytes = kernel_store.path.read_bytes()

    def flock(fd: int, operation: int) -> None:
        # ENOSYS is what makes filelock fall back to a soft (marker file) lock by default.
        raise OSError(errno.ENOSYS, os.strerror(errno.ENOSYS))

    monkeypatch.setattr(fcntl, "flock", flock)
    with pytest.raises(StorageError, match="Cannot lock the lock file"):
        kernel_store.save(offline_tokens(email="bob@example.com"))
    monkeypatch.undo()

    # No marker file, no marker content (a soft lock writes its holder's pid into the file).
    assert sorted(p.name for p in kernel_store.path.parent.iterdir()) == before
    assert kernel_store.lock_path.read_bytes() == b""
    assert kernel_store.path.read_bytes() == token_bytes
    kernel_store.save(offline_tokens(email="bob@example.com"))  # flock back: locks again


def test_lock_file_stays_after_release(kernel_store: TokenStore) -> None:
    # Deleting it on release would let two processes lock two different files.
    with kernel_store.lock():
        inode = kernel_store.lock_path.stat().st_ino
    assert kernel_store.lock_path.stat().st_ino == inode
    with kernel_store.lock():
        assert kernel_store.lock_path.stat().st_ino == inode
