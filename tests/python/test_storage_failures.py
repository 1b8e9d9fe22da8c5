"""File-system failures are StorageErrors with a hint: in the library, the CLI and REST.
A provider answer that cannot be parsed is a TokenRefreshError.

EROFS and ENOSPC are real (a read-only and a full tmpfs, mounted when running as root).
ENOLCK is injected at the fcntl boundary (``fcntl.flock``): a real one needs an NFS mount
without a lock manager, which this machine cannot provide.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from kernel_support import offline_tokens, posix_only, recording_server, run_cli
from server_helpers import Fetch, json_of, jupyter_config

from tokentoss import cli
from tokentoss.discovery import DiscoveryError, fetch_discovery
from tokentoss.errors import StorageError, TokenRefreshError
from tokentoss.refresh import fresh_tokens, refresh_now
from tokentoss.store import ClientConfig, TokenStore

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")

as_root = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0, reason="mounting a tmpfs needs root"
)


def break_flock(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on flock fails as on an NFS mount without a lock manager (POSIX: fcntl)."""
    import fcntl  # here, not at module level: the module must import on Windows too

    def flock(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", flock)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A fresh 64 KiB tmpfs, unmounted afterwards."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@posix_only
def test_enolck_is_a_storage_error_with_a_hint(
    kernel_store: TokenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_flock(monkeypatch)
    with pytest.raises(StorageError, match=r"cannot lock files.*NFS.*TOKENTOSS_TOKEN_FILE"):
        kernel_store.save(offline_tokens())


@posix_only
def test_enolck_in_the_cli_is_one_line_and_exit_1(
    kernel_store: TokenStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kernel_store.save(offline_tokens(lifetime=timedelta(seconds=1)))  # needs a refresh
    break_flock(monkeypatch)
    code = cli.main(["--token-file", str(kernel_store.path), "print-identity-token"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert "cannot lock files" in err


@as_root
def test_read_only_file_system_is_a_storage_error_in_library_and_cli(tmpfs: Path) -> None:
    store = TokenStore(tmpfs / "tokentoss" / "tokens.json")
    store.save(offline_tokens(lifetime=timedelta(seconds=1)))
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    with pytest.raises(StorageError, match="read-only: point TOKENTOSS_TOKEN_FILE"):
        fresh_tokens(TokenStore(store.path))
    result = run_cli("--token-file", str(store.path), "print-identity-token")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.count("\n") == 1
    assert "read-only" in result.stderr


@as_root
def test_full_disk_is_a_storage_error_with_a_hint(tmpfs: Path) -> None:
    store = TokenStore(tmpfs / "tokentoss" / "tokens.json")
    store.save(offline_tokens())
    filler = os.open(tmpfs / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    full = 0
    try:
        while True:
            os.write(filler, b"x" * 4096)
    except OSError as exc:
        full = exc.errno or 0
    finally:
        os.close(filler)
    assert full == errno.ENOSPC
    with pytest.raises(StorageError, match="disk is full"):
        store.save(offline_tokens())
    assert list(store.path.parent.glob(".tokens.json.*.tmp")) == []


# -- REST ---------------------------------------------------------------------------------


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    """The extension enabled; depends on token_file so the env is set before start-up."""
    return jupyter_config()


@posix_only
async def test_enolck_is_500_storage_from_rest(
    api: Fetch,
    token_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    upload_body: Callable[[], Awaitable[dict[str, Any]]],
) -> None:
    body = await upload_body()  # a real, registered browser sign-in the server accepts
    break_flock(monkeypatch)
    answer = await api("tokens", method="PUT", json_body=body)
    assert answer.code == 500
    body = json_of(answer)
    assert body["reason"] == "storage"
    assert "cannot lock files" in body["message"]


# -- provider answers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"access_token": "' + b"a" * (2 << 20) + b'"}', "too large"),
    ],
    ids=["deeply-nested", "2-MiB"],
)
def test_unreadable_token_answer_is_a_refresh_error(
    kernel_store: TokenStore, body: bytes, complaint: str
) -> None:
    with recording_server(200, body=body) as provider:
        kernel_store.save(
            offline_tokens(token_uri=provider.url + "/token"),
            ClientConfig("client-1", "s", provider.url + "/token"),
        )
        before = kernel_store.path.read_bytes()
        with pytest.raises(TokenRefreshError, match=complaint) as caught:
            refresh_now(kernel_store)
    assert caught.value.reason == "server"
    assert kernel_store.path.read_bytes() == before


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"issuer": "' + b"a" * (300 << 10) + b'"}', "too large"),
        (b"\xff\xfe", "cannot be read"),
    ],
    ids=["deeply-nested", "300-KiB", "not-utf8"],
)
def test_unreadable_discovery_document_is_a_discovery_error(body: bytes, complaint: str) -> None:
    # The same bounded reader as the token endpoint's, with the documents' smaller bound.
    with recording_server(200, body=body) as issuer, pytest.raises(DiscoveryError, match=complaint):
        fetch_discovery(issuer.url)
