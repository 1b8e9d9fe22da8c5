"""tokentoss 0.1's ``AuthManager``, kept as a deprecated view of the shared sign-in.

``requests`` is imported on first use, so displaying a card stays light.
The sign-in now runs in the browser (the sidebar or the in-cell card); kernels only read the token
file and refresh it. So ``AuthManager`` reads the same store as ``tokentoss.get_id_token()``, and
its flow methods (``get_authorization_url``, ``exchange_code``) raise
:class:`~tokentoss.exceptions.KernelSignInRemovedError`. Each attribute warns with the call to
use instead.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from tokentoss import tokendata
from tokentoss.errors import NoCredentialsError, StorageError, TokenRefreshError
from tokentoss.exceptions import KernelSignInRemovedError
from tokentoss.storage import FileStorage, MemoryStorage, TokenData

if TYPE_CHECKING:
    import google.auth.credentials

__all__ = [
    "DEFAULT_MAX_SESSION_LIFETIME_HOURS",
    "DEFAULT_SCOPES",
    "GOOGLE_AUTH_URI",
    "GOOGLE_TOKEN_URI",
    "AuthManager",
    "ClientConfig",
    "generate_pkce_pair",
]

GOOGLE_AUTH_URI = tokendata.GOOGLE_AUTH_URI
GOOGLE_TOKEN_URI = tokendata.GOOGLE_TOKEN_URI
DEFAULT_SCOPES = ["openid", "email", "profile"]
DEFAULT_MAX_SESSION_LIFETIME_HOURS = 24


def deprecated(old: str, new: str, stacklevel: int = 3) -> None:
    """Warn that the 0.1 name ``old`` is deprecated in favour of ``new``."""
    warnings.warn(
        f"{old} is deprecated since tokentoss 0.2: use {new}.", DeprecationWarning, stacklevel
    )


@dataclass
class ClientConfig:
    """tokentoss 0.1's OAuth client record, as read from ``client_secrets.json``."""

    client_id: str
    client_secret: str = field(repr=False)
    auth_uri: str = GOOGLE_AUTH_URI
    token_uri: str = GOOGLE_TOKEN_URI
    redirect_uris: list[str] | None = None

    @classmethod
    def from_file(cls, path: str | Path) -> ClientConfig:
        """Read ``client_secrets.json`` (``installed`` or ``web``)."""
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"Client secrets file not found: {path}")
        data = json.loads(path.read_bytes())
        section = data.get("installed") or data.get("web") if isinstance(data, dict) else None
        if not isinstance(section, dict):
            raise ValueError(
                "Invalid client_secrets.json format. Expected 'installed' or 'web' key."
            )
        return cls(
            client_id=section["client_id"],
            client_secret=section["client_secret"],
            auth_uri=section.get("auth_uri", GOOGLE_AUTH_URI),
            token_uri=section.get("token_uri", GOOGLE_TOKEN_URI),
            redirect_uris=section.get("redirect_uris"),
        )


def generate_pkce_pair() -> tuple[str, str]:
    """A PKCE S256 (verifier, challenge) pair, as 0.1 exported it (tokentoss no longer uses it)."""
    verifier = secrets.token_urlsafe(32)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _find_client(
    client_config: ClientConfig | None, client_secrets_path: str | Path | None, storage: Any
) -> ClientConfig | None:
    if client_config is not None:
        return client_config
    if client_secrets_path is not None:
        return ClientConfig.from_file(client_secrets_path)
    if isinstance(storage, FileStorage) and storage.store.client_path.exists():
        try:
            return ClientConfig.from_file(storage.store.client_path)
        except (ValueError, KeyError, OSError):
            return None  # a client file this view cannot read does not stop reading tokens
    return None


class AuthManager:
    """Deprecated: who is signed in and their tokens, read from the shared token file.

    The constructor keeps 0.1's signature. A missing client is no longer an error (the sign-in's
    client is recorded beside the token file); ``scopes`` and ``max_session_lifetime_hours``
    are kept as attributes but no longer change anything: scopes are the sign-in's, and a session
    lasts until sign-out or until the provider ends the grant.
    """

    def __init__(
        self,
        client_config: ClientConfig | None = None,
        client_secrets_path: str | Path | None = None,
        storage: FileStorage | MemoryStorage | None = None,
        scopes: list[str] | None = None,
        max_session_lifetime_hours: int = DEFAULT_MAX_SESSION_LIFETIME_HOURS,
    ) -> None:
        deprecated(
            "tokentoss.AuthManager",
            "tokentoss.get_id_token(), tokentoss.status() or tokentoss.credentials()",
        )
        self.storage: FileStorage | MemoryStorage = (
            storage if storage is not None else FileStorage()
        )
        self.client_config = _find_client(client_config, client_secrets_path, self.storage)
        self.scopes = list(scopes) if scopes is not None else DEFAULT_SCOPES.copy()
        self.max_session_lifetime_hours = max_session_lifetime_hours
        self.last_error: Exception | None = None

    # -- reading ----------------------------------------------------------------------------

    def _fresh(self) -> TokenData | None:
        """The tokens, refreshed under the lock when near expiry; None when signed out."""
        if isinstance(self.storage, MemoryStorage):
            return self.storage.load()
        from tokentoss.refresh import fresh_tokens  # imports requests: only when used

        try:
            tokens = TokenData.from_new(fresh_tokens(self.storage.store))
        except NoCredentialsError:
            return None
        except (TokenRefreshError, StorageError) as exc:
            self.last_error = exc
            return self.storage.load() if isinstance(exc, TokenRefreshError) else None
        self.last_error = None
        return tokens

    @property
    def token_data(self) -> TokenData | None:
        """The stored tokens in 0.1's shape (not refreshed)."""
        deprecated("AuthManager.token_data", "tokentoss.status() (no token values)")
        try:
            return self.storage.load()
        except StorageError as exc:
            self.last_error = exc
            return None

    @property
    def id_token(self) -> str | None:
        """A current ID token (refreshed when near expiry), or None when signed out."""
        deprecated("AuthManager.id_token", "tokentoss.get_id_token()")
        tokens = self._fresh()
        return tokens.id_token if tokens else None

    @property
    def user_email(self) -> str | None:
        """The signed-in user's email, or None."""
        deprecated("AuthManager.user_email", "tokentoss.status().email")
        tokens = self._fresh()
        return tokens.user_email if tokens else None

    @property
    def is_authenticated(self) -> bool:
        """True when signed in with tokens that are valid or can be refreshed."""
        deprecated("AuthManager.is_authenticated", "tokentoss.status().signed_in")
        tokens = self._fresh()
        return tokens is not None and (not tokens.is_expired or bool(tokens.refresh_token))

    @property
    def credentials(self) -> google.auth.credentials.Credentials | None:
        """google-auth credentials that refresh through the shared store, or None when signed out.

        Needs ``pip install tokentoss[google]``. MemoryStorage has no such credentials.
        """
        deprecated("AuthManager.credentials", "tokentoss.credentials()")
        if isinstance(self.storage, MemoryStorage) or self._fresh() is None:
            return None
        from tokentoss.credentials import credentials

        return credentials(self.storage.store)

    # -- acting -----------------------------------------------------------------------------

    def refresh_tokens(self) -> TokenData:
        """Refresh now with the refresh token (under the shared lock); returns the new tokens."""
        deprecated("AuthManager.refresh_tokens()", "tokentoss.get_id_token() (refreshes itself)")
        if isinstance(self.storage, MemoryStorage):
            raise TokenRefreshError(
                "MemoryStorage cannot be refreshed: tokentoss refreshes the token file only.",
                "no_refresh_token",
            )
        from tokentoss.refresh import refresh_now

        try:
            tokens = TokenData.from_new(refresh_now(self.storage.store))
        except TokenRefreshError as exc:
            self.last_error = exc
            raise
        self.last_error = None
        return tokens

    def clear(self) -> None:
        """Sign out: revoke the grant (best effort) and delete the token file."""
        deprecated("AuthManager.clear()", "the Sign out button of the sidebar or the in-cell card")
        if isinstance(self.storage, MemoryStorage):
            self.storage.clear()
        else:
            from tokentoss.signout import revoke_and_delete  # imports requests: only when used

            revoke_and_delete(self.storage.store)

    def get_authorization_url(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Removed: the sign-in runs in the browser. Raises KernelSignInRemovedError."""
        raise KernelSignInRemovedError("Building an authorization URL")

    def exchange_code(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Removed: the code is exchanged by the browser or the Jupyter server."""
        raise KernelSignInRemovedError("Exchanging an authorization code")
