"""Another local user plants or owns things in the token folder: refused, never followed.

Ownership here is real: as root the tests chown files and folders to another uid (``nobody``),
and one test runs a real process as that user. Skipped when not root (ownership cannot be
given away then).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest
from kernel_support import ROOT, offline_tokens, posix_only

from tokentoss.errors import StorageError
from tokentoss.store import TokenStore

OTHER_UID = 65534  # nobody: exists on every Debian and macOS machine

as_root = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0, reason="giving a file to another uid needs root"
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@as_root
def test_folder_owned_by_another_user_is_refused(kernel_store: TokenStore) -> None:
    kernel_store.save(offline_tokens())
    os.chown(kernel_store.path.parent, OTHER_UID, OTHER_UID)  # mode stays 0700
    with pytest.raises(StorageError, match=r"belongs to another user.*TOKENTOSS_TOKEN_FILE"):
        TokenStore(kernel_store.path).load()
    with pytest.raises(StorageError, match="belongs to another user"):
        TokenStore(kernel_store.path).save(offline_tokens())


@as_root
def test_lock_file_owned_by_another_user_is_refused_and_left_alone(
    kernel_store: TokenStore,
) -> None:
    kernel_store.save(offline_tokens())
    os.chown(kernel_store.lock_path, OTHER_UID, OTHER_UID)
    os.chmod(kernel_store.lock_path, 0o666)  # noqa: S103 (the planted file's mode)
    with pytest.raises(StorageError, match="belongs to another user"):
        TokenStore(kernel_store.path).save(offline_tokens())
    assert mode(kernel_store.lock_path) == 0o666  # never chmod what is not ours
    assert kernel_store.lock_path.stat().st_uid == OTHER_UID


@as_root
def test_token_file_given_to_another_user_is_refused_without_chmod(
    kernel_store: TokenStore,
) -> None:
    kernel_store.save(offline_tokens())
    os.chown(kernel_store.path, OTHER_UID, OTHER_UID)
    os.chmod(kernel_store.path, 0o644)
    with pytest.raises(StorageError, match="another user"):
        TokenStore(kernel_store.path).load()
    assert mode(kernel_store.path) == 0o644


@posix_only
def test_symlink_planted_as_token_file_is_not_followed(kernel_store: TokenStore) -> None:
    decoy = kernel_store.path.parent / "decoy.json"
    TokenStore(decoy).save(offline_tokens(email="mallory@example.com"))
    kernel_store.path.symlink_to(decoy)
    with pytest.raises(StorageError, match="symbolic link"):
        TokenStore(kernel_store.path).load()


@posix_only
def test_symlink_planted_as_lock_file_is_not_followed(kernel_store: TokenStore) -> None:
    kernel_store.path.parent.mkdir(mode=0o700, parents=True)
    target = kernel_store.path.parent / "target"
    kernel_store.lock_path.symlink_to(target)
    with pytest.raises(StorageError, match=r"lock file.*symbolic link"):
        kernel_store.save(offline_tokens())
    assert not target.exists()


@pytest.fixture
def fifo_writer(kernel_store: TokenStore) -> Iterator[Path]:
    """A FIFO planted as the token file, with an 'attacker' ready to feed whoever opens it.

    The writer blocks until a reader opens the FIFO; the test releases it at the end by opening
    the FIFO itself, so the thread always ends (old code read what it wrote instead of hanging).
    """
    kernel_store.path.parent.mkdir(mode=0o700, parents=True)
    os.mkfifo(kernel_store.path, 0o600)

    def feed() -> None:
        fd = os.open(kernel_store.path, os.O_WRONLY)
        try:
            os.write(fd, b"{}")
        except BrokenPipeError:
            pass
        finally:
            os.close(fd)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    yield kernel_store.path
    release = os.open(kernel_store.path, os.O_RDONLY | os.O_NONBLOCK)
    writer.join()
    os.close(release)


@posix_only
def test_fifo_planted_as_token_file_is_refused_without_waiting(
    kernel_store: TokenStore, fifo_writer: Path
) -> None:
    with pytest.raises(StorageError, match="not a regular file"):
        TokenStore(fifo_writer).load()


@posix_only
def test_fifo_planted_as_lock_file_is_refused(kernel_store: TokenStore) -> None:
    kernel_store.path.parent.mkdir(mode=0o700, parents=True)
    os.mkfifo(kernel_store.lock_path, 0o600)
    with pytest.raises(StorageError, match=r"lock file.*not a regular file"):
        kernel_store.save(offline_tokens())


@as_root
def test_stale_temp_file_of_another_user_is_left_alone(kernel_store: TokenStore) -> None:
    kernel_store.save(offline_tokens())
    planted = kernel_store.path.parent / ".tokens.json.planted.tmp"
    planted.write_bytes(b"not ours")
    os.chown(planted, OTHER_UID, OTHER_UID)
    kernel_store.save(offline_tokens())
    assert planted.read_bytes() == b"not ours"


@pytest.fixture
def shared_root_folder() -> Iterator[Path]:
    """A root-owned, world-writable sticky folder (like /tmp) that ``nobody`` can reach."""
    top = Path(tempfile.mkdtemp(prefix="tokentoss-shared-"))
    os.chmod(top, 0o755)  # noqa: S103 (nobody must reach the shared folder inside)
    shared = top / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)  # noqa: S103 (a /tmp-like folder)
    yield shared
    subprocess.run(["rm", "-rf", str(top)], check=True)


# The other user's interpreter: the system one (this venv's may live under /root, which nobody
# can enter), with the source tree and this venv's pure-Python packages on its path.
SYSTEM_PYTHON = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")


@as_root
@pytest.mark.skipif(not SYSTEM_PYTHON.exists(), reason=f"needs {SYSTEM_PYTHON}")
def test_other_user_refuses_a_shared_folder_it_cannot_tighten(shared_root_folder: Path) -> None:
    # A real process of another user, pointed (say by a careless default) at a /tmp-like folder.
    script = (
        "import sys\n"
        "from tokentoss.store import TokenStore\n"
        "from tokentoss.errors import StorageError\n"
        "try:\n"
        "    TokenStore(sys.argv[1]).lock().__enter__()\n"
        "except StorageError as exc:\n"
        "    print(exc)\n"
        "    sys.exit(7)\n"
    )
    result = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", script, str(shared_root_folder / "tokens.json")],
        env={
            "PYTHONPATH": os.pathsep.join((str(ROOT), str(Path(platformdirs.__file__).parents[1]))),
            "HOME": "/nonexistent",
            "PATH": os.environ["PATH"],
        },
        user=OTHER_UID,
        group=OTHER_UID,
        extra_groups=[],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 7, result.stderr
    assert "can be written by other users" in result.stdout
    assert "TOKENTOSS_TOKEN_FILE" in result.stdout
    assert list(shared_root_folder.iterdir()) == []  # no lock file created there
    assert mode(shared_root_folder) == 0o1777
