"""File-system failures as StorageError: what failed, on which path, and what to do about it."""

from __future__ import annotations

import errno
from pathlib import Path

from tokentoss.errors import StorageError

__all__ = ["storage_error"]

_MOVE = "point TOKENTOSS_TOKEN_FILE to a file on a local, writable disk"
_HINTS: dict[int, str] = {
    errno.ENOLCK: (
        "this file system cannot lock files (an NFS mount without a lock manager?): " + _MOVE
    ),
    errno.EROFS: "the file system is read-only: " + _MOVE,
    errno.ENOSPC: "the disk is full: free some space and retry",
    errno.EDQUOT: "your disk quota is used up: free some space and retry",
    errno.EFBIG: "the file size limit (ulimit -f) was reached: raise it and retry",
    errno.EACCES: "check that you own the token folder and may write to it",
    errno.EPERM: "check that you own the token folder and may write to it",
    errno.ELOOP: "it is a symbolic link, which tokentoss never follows: remove it",
    errno.ENXIO: "it is not a regular file: remove it",
    errno.EIO: "the disk reported an I/O error: check it, or " + _MOVE,
}


def storage_error(action: str, path: Path, exc: OSError) -> StorageError:
    """A StorageError for ``action`` (e.g. ``"lock"``) on ``path``, with a hint when known.

    Use as ``raise storage_error(...) from exc``.
    """
    reason = exc.strerror or type(exc).__name__
    hint = _HINTS.get(exc.errno or 0)
    return StorageError(f"Cannot {action} {path}: {reason}" + (f"; {hint}." if hint else "."))
