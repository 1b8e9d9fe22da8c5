"""File-system primitives for the token folder: private modes and atomic replacement.

On Windows there are no POSIX modes: the file lives in the user's profile, whose ACL already
restricts it to the user, SYSTEM and administrators, so the mode checks here are skipped.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import sys
import tempfile
import time
import warnings
from pathlib import Path

from tokentoss._storage_errors import storage_error
from tokentoss.errors import InsecureFilePermissionsWarning, StorageError

__all__ = [
    "FILE_MODE",
    "FOLDER_MODE",
    "check_folder",
    "check_private_descriptor",
    "ensure_private_folder",
    "fix_file_mode",
    "fsync_folder",
    "open_private_file",
    "read_all",
    "remove_stale_temp_files",
    "write_atomically",
]

FILE_MODE = 0o600
FOLDER_MODE = 0o700
_POSIX = sys.platform != "win32"
_TEMP_SUFFIX = ".tmp"
# No symlink followed, no wait on a FIFO, no descriptor leaked into subprocesses.
_OPEN_FLAGS = (
    getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_USE_A_PRIVATE_FOLDER = (
    "point TOKENTOSS_TOKEN_FILE to a file in a folder that only you can write, such as "
    "~/.config/tokentoss/tokens.json"
)
_warned: set[tuple[str, str]] = set()


def _warn_once(path: Path, message: str) -> None:
    # One warning per path and problem per process: a kernel loop must not flood the notebook.
    key = (str(path), message)
    if key not in _warned:
        _warned.add(key)
        warnings.warn(message, InsecureFilePermissionsWarning, stacklevel=4)


def _owned_by_me(st: os.stat_result) -> bool:
    return not _POSIX or st.st_uid == os.geteuid()


def ensure_private_folder(folder: Path) -> None:
    """Create ``folder`` as 0700 if missing, then check it (``check_folder``)."""
    try:
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        if not _POSIX:
            return
        st = folder.stat()
    except OSError as exc:
        raise storage_error("create the token folder", folder, exc) from exc
    check_folder(folder, st)


def check_folder(folder: Path, st: os.stat_result | None = None) -> None:
    """Refuse a token folder others control; tighten or report one others can look into.

    Refused (StorageError): a folder owned by another user, or one that others can write and
    that is not ours to tighten (a shared ``/tmp``): its owner or writers could delete, replace
    or block our files. Root's folders are trusted as ssh trusts them: root can do all that
    anyway. A folder of ours that is open to others is tightened to 0700, except a shared
    (sticky) folder or the home directory, which hold more than our files: those are reported.
    """
    if not _POSIX:
        return
    if st is None:
        try:
            st = folder.stat()
        except OSError:
            return  # opening the file in it reports the problem
    mode = stat.S_IMODE(st.st_mode)
    if st.st_uid not in (os.geteuid(), 0):
        raise StorageError(
            f"The token folder {folder} belongs to another user (uid {st.st_uid}), who could "
            f"replace or block the token files; refusing it: {_USE_A_PRIVATE_FOLDER}."
        )
    if not mode & 0o077:
        return
    if not _owned_by_me(st):
        if mode & 0o022:
            raise StorageError(
                f"The token folder {folder} can be written by other users (mode {oct(mode)}) "
                f"and is not yours to tighten; refusing it: {_USE_A_PRIVATE_FOLDER}."
            )
        _warn_once(folder, f"The token folder {folder} can be listed by other users.")
        return
    if st.st_mode & stat.S_ISVTX or folder.resolve() == Path.home().resolve():
        _warn_once(
            folder,
            f"The token folder {folder} can be opened by other users (mode "
            f"{oct(mode)}); point TOKENTOSS_TOKEN_FILE into a private folder.",
        )
        return
    try:
        os.chmod(folder, mode & ~0o077)
    except OSError:
        _warn_once(folder, f"The token folder {folder} is open to other users and cannot be fixed.")
        return
    _warn_once(
        folder,
        f"The token folder {folder} was open to other users (mode "
        f"{oct(mode)}); tightened it to {oct(FOLDER_MODE)}.",
    )


def open_private_file(
    path: Path, *, create: bool = False, what: str = "file"
) -> tuple[int, os.stat_result]:
    """Open one of our files; return the descriptor and its ``fstat``.

    Never follows a symlink (O_NOFOLLOW), never waits on a FIFO (O_NONBLOCK), and refuses
    (StorageError) anything but a regular file owned by the user; a loose mode is fixed on the
    open descriptor. ``create`` opens read-write and creates it 0600 (the lock file).
    Raises FileNotFoundError when it does not exist and ``create`` is false. ``what`` names
    the file in messages (``"lock file"``).
    """
    flags = _OPEN_FLAGS | (os.O_RDWR | os.O_CREAT if create else os.O_RDONLY)
    try:
        fd = os.open(path, flags, FILE_MODE)
    except FileNotFoundError:
        if create:
            raise StorageError(f"Cannot create the {what} {path}: its folder is gone.") from None
        raise
    except OSError as exc:
        raise storage_error(f"open the {what}", path, exc) from exc
    try:
        st = check_private_descriptor(path, fd, what=what)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def check_private_descriptor(path: Path, fd: int, *, what: str = "file") -> os.stat_result:
    """Refuse (StorageError) an open ``fd`` that is not the user's regular file; return its stat.

    A loose mode is fixed on the descriptor (``fix_file_mode``), never by name. The lock uses
    it on the descriptor filelock opened, ``open_private_file`` on its own.
    """
    st = os.fstat(fd)
    if _POSIX and not stat.S_ISREG(st.st_mode):
        raise StorageError(
            f"The {what} {path} is not a regular file (someone may have planted it there); "
            "refusing it."
            " Remove it and sign in again from the JupyterLab sidebar."
        )
    fix_file_mode(path, st, fd)
    return st


def read_all(fd: int) -> bytes:
    """Read ``fd`` to its end."""
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def fix_file_mode(path: Path, st: os.stat_result, fd: int) -> None:
    """Tighten a token or client file that others can read or write (and warn).

    ``st`` and ``fd`` are of the file as opened: the mode is fixed on that descriptor, never by
    name, so a file swapped in at ``path`` meanwhile is not the one changed.

    Raises StorageError for a file another user owns: they could have planted its tokens, or
    its token URI, and we could not keep it private anyway.
    """
    if not _POSIX:
        return
    if not _owned_by_me(st):
        raise StorageError(
            f"{path} belongs to another user (uid {st.st_uid}); refusing to use it. Remove it "
            "and sign in again from the JupyterLab sidebar."
        )
    mode = stat.S_IMODE(st.st_mode)
    if not mode & 0o077:
        return
    try:
        os.fchmod(fd, FILE_MODE)
    except OSError:
        _warn_once(path, f"{path} is readable by other users (mode {oct(mode)}); chmod 600 it.")
        return
    _warn_once(path, f"{path} was readable by other users (mode {oct(mode)}); set it to 0o600.")


def fsync_folder(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (a no-op on Windows, NTFS journals it)."""
    if not _POSIX:
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(source: str, target: Path) -> None:
    if _POSIX:
        os.replace(source, target)
        return
    # Windows refuses to replace a file another process has open at this instant: retry briefly.
    for attempt in range(50):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == 49:
                raise
            time.sleep(0.02)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so readers see the old or the new file, never a mix.

    Temp file in the same folder (0600 from creation; O_EXCL, so never through a planted
    symlink) → write → fsync → ``os.replace`` → fsync the folder. The caller holds the lock.
    """
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    fsync_folder(path.parent)


def remove_stale_temp_files(*paths: Path) -> int:
    """Delete the temp files of ``paths`` left by writers that died mid-write; returns how many.

    Only call this holding the store's lock: every live writer holds it too, so any temp file
    seen then belongs to a dead one.
    """
    removed = 0
    for path in paths:
        for leftover in path.parent.glob(f".{glob.escape(path.name)}.*{_TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                if _owned_by_me(leftover.lstat()):  # never touch what another user put there
                    leftover.unlink()
                    removed += 1
    return removed
