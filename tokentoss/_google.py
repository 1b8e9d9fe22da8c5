"""The google-auth Credentials adapter (imported only when google-auth is installed)."""

from __future__ import annotations

from datetime import timezone
from typing import Any

import google.auth.credentials
import google.auth.exceptions

from tokentoss.errors import NoCredentialsError, TokenRefreshError
from tokentoss.refresh import fresh_tokens
from tokentoss.store import TokenData, TokenStore

__all__ = ["StoreCredentials"]


class StoreRefreshError(google.auth.exceptions.RefreshError, TokenRefreshError):
    """A tokentoss refresh failure that Google client libraries also recognise."""

    def __init__(self, message: str, reason: Any) -> None:
        # Not via the MRO: GoogleAuthError's __init__ would call ours without a reason.
        Exception.__init__(self, message)
        self.reason = reason
        self._retryable = reason in ("network", "server")  # google-auth's retry hint


class StoreNotSignedInError(google.auth.exceptions.RefreshError, NoCredentialsError):
    """Not signed in, raised where google-auth expects a RefreshError."""


class StoreCredentials(google.auth.credentials.Credentials):
    """Access-token credentials backed by the token file; ``refresh`` uses the shared lock."""

    def __init__(self, store: TokenStore) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._store = store
        self._id_token: str | None = None
        tokens = store.load()
        if tokens is not None:
            self._adopt(tokens)

    def _adopt(self, tokens: TokenData) -> None:
        self.token = tokens.access_token
        self._id_token = tokens.id_token
        # google-auth compares expiry with a naive UTC clock.
        self.expiry = tokens.expiry.astimezone(timezone.utc).replace(tzinfo=None)

    @property
    def id_token(self) -> str | None:
        """The ID token that came with the current access token."""
        return self._id_token

    @property
    def store(self) -> TokenStore:
        """The token store these credentials read."""
        return self._store

    def refresh(self, request: Any) -> None:
        """Load fresh tokens from the store, refreshing them under the lock if near expiry.

        ``request`` (google-auth's transport) is unused: the store's refresh does the HTTP.
        """
        try:
            self._adopt(fresh_tokens(self._store))
        except TokenRefreshError as exc:
            raise StoreRefreshError(str(exc), exc.reason) from exc
        except NoCredentialsError as exc:
            raise StoreNotSignedInError(str(exc)) from exc  # type: ignore[no-untyped-call]
