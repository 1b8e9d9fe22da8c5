"""The token file: where it lives, how it is locked, written and read.

Readers never take the lock: writes are atomic renames, so a read sees a whole old file or a
whole new one. Writers take the advisory lock ``tokens.json.lock`` so two refreshers never race.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs

from tokentoss import _fs, adc
from tokentoss._lock import lock_for
from tokentoss._storage_errors import storage_error
from tokentoss.errors import StorageError
from tokentoss.tokendata import SIGN_IN_RECORD_KEY, ClientConfig, TokenData

__all__ = ["ClientConfig", "TokenData", "TokenStore", "default_token_path"]

ENV_TOKEN_FILE = "TOKENTOSS_TOKEN_FILE"  # noqa: S105 (a variable name)
TOKEN_FILE_NAME = "tokens.json"  # noqa: S105 (a file name)
CLIENT_FILE_NAME = "client_secrets.json"

_CacheKey = tuple[int, int, int, int]


def default_token_path() -> Path:
    """``$TOKENTOSS_TOKEN_FILE`` if set, else ``user_config_dir("tokentoss")/tokens.json``."""
    configured = os.environ.get(ENV_TOKEN_FILE)
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_config_dir("tokentoss")) / TOKEN_FILE_NAME


def _cache_key(st: os.stat_result) -> _CacheKey:
    # Every save is a rename of a new file, so a new inode or mtime or size means new content.
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


def _read_private_file(path: Path, what: str) -> tuple[bytes, os.stat_result] | None:
    """Read one of our files with its stat; None when it does not exist.

    Opened with ``_fs.open_private_file`` (no symlink, no FIFO, only the user's regular file);
    the stat is of the file actually opened, and a loose mode is fixed on that open file.
    """
    try:
        fd, st = _fs.open_private_file(path, what=what)
    except FileNotFoundError:
        return None
    try:
        return _fs.read_all(fd), st
    except OSError as exc:
        raise storage_error(f"read the {what}", path, exc) from exc
    finally:
        os.close(fd)


class TokenStore:
    """The token file and the client file beside it.

    File 0600 in a 0700 folder (looser modes are fixed where we own the file, with a warning).
    On Windows the profile folder's ACL stands in for the POSIX modes.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self._path = Path(path).expanduser() if path is not None else default_token_path()
        self._path_str = os.fspath(self._path)  # spares a Path-to-str conversion per stat
        self._cached: tuple[_CacheKey, TokenData] | None = None

    @property
    def path(self) -> Path:
        """The token file, ``tokens.json``."""
        return self._path

    @property
    def client_path(self) -> Path:
        """The client file beside it, ``client_secrets.json``."""
        return self._path.with_name(CLIENT_FILE_NAME)

    @property
    def lock_path(self) -> Path:
        """The advisory lock file beside it, ``tokens.json.lock`` (never deleted)."""
        return self._path.with_name(self._path.name + ".lock")

    def __repr__(self) -> str:
        return f"TokenStore({str(self.path)!r})"

    # -- reading --------------------------------------------------------------------------

    def load(self) -> TokenData | None:
        """Return the stored tokens, or None when there is no token file.

        A warm call costs one ``os.stat``: the parsed file is cached on its identity, mtime and
        size. Raises StorageError when the file exists but cannot be read or parsed.
        """
        try:
            st = os.stat(self._path_str)
        except FileNotFoundError:
            self._cached = None
            return None
        except OSError as exc:
            raise storage_error("read the token file", self.path, exc) from exc
        cached = self._cached
        # _cache_key inlined: a call costs as much here as the compare.
        if cached is not None and cached[0] == (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size):
            return cached[1]
        return self._read()

    def _read(self) -> TokenData | None:
        # Only when the file changed (the warm path stops at the stat above).
        _fs.check_folder(self.path.parent)
        read = _read_private_file(self.path, "token file")
        if read is None:
            self._cached = None
            return None
        raw, st = read
        tokens = TokenData.from_json(self._parse(raw, self.path))
        self._cached = (_cache_key(st), tokens)
        return tokens

    @staticmethod
    def _parse(raw: bytes, path: Path) -> Any:
        try:
            return json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            # The decoder's message gives a position, never the content.
            raise StorageError(
                f"The file {path} is not valid JSON ({exc}); sign in again from the JupyterLab "
                "sidebar to rewrite it."
            ) from None

    def load_client(self) -> ClientConfig | None:
        """Return the OAuth client from ``client_secrets.json``, or None when absent."""
        raw = self._read_client_raw()
        return None if raw is None else ClientConfig.from_json(raw)

    def _read_client_raw(self) -> Any:
        read = _read_private_file(self.client_path, "client file")
        return None if read is None else self._parse(read[0], self.client_path)

    # -- writing --------------------------------------------------------------------------

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the advisory inter-process lock (re-entrant within a thread)."""
        _fs.ensure_private_folder(self.path.parent)
        with lock_for(self.lock_path).hold():
            yield

    def save(self, tokens: TokenData, client: ClientConfig | None = None) -> None:
        """Write the tokens (and the client, if given) atomically, under the lock."""
        with self.lock():
            # The client file is written by the same writers: sweep its leftovers too.
            _fs.remove_stale_temp_files(self.path, self.client_path)
            try:
                if client is not None:
                    # Client first: a reader that sees the new tokens can refresh them.
                    self._write_json(self.client_path, self._merged_client(client))
                self._write_json(self.path, tokens.to_json())
                st = os.stat(self.path)
            except OSError as exc:
                raise storage_error("write", self.path, exc) from exc
            self._cached = (_cache_key(st), tokens)
            adc.follow_sign_in(self, tokens, client)  # only when the server turned ADC on

    def save_client(self, client: ClientConfig) -> None:
        """Write only the client file (``tokentoss configure``), atomically, under the lock."""
        with self.lock():
            _fs.remove_stale_temp_files(self.client_path)
            try:
                self._write_json(self.client_path, self._merged_client(client))
            except OSError as exc:
                raise storage_error("write", self.client_path, exc) from exc

    def _merged_client(self, client: ClientConfig) -> dict[str, Any]:
        # Keep keys other tools wrote (redirect_uris, project_id, ...) in the installed section.
        try:
            existing = self._read_client_raw()
        except StorageError:
            existing = None
        section = existing.get("installed") if isinstance(existing, dict) else None
        merged = dict(section) if isinstance(section, dict) else {}
        for key in ("auth_uri", "issuer", SIGN_IN_RECORD_KEY):
            merged.pop(key, None)  # stale values of optional keys must not survive
        merged.update(client.to_json()["installed"])
        return {"installed": merged}

    @staticmethod
    def _write_json(path: Path, data: dict[str, Any]) -> None:
        _fs.write_atomically(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))

    def delete(self) -> bool:
        """Remove ``tokens.json`` (the client file stays); True if there was one."""
        with self.lock():
            self._cached = None
            adc.follow_sign_in(self, None)  # before the unlink: no credential outlives it
            try:
                os.unlink(self.path)
                # A sign-out must survive a crash: an unlink is durable once the folder is.
                _fs.fsync_folder(self.path.parent)
            except FileNotFoundError:
                return False
            except OSError as exc:
                raise storage_error("delete", self.path, exc) from exc
            return True
