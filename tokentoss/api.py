"""The kernel API: fresh tokens and who is signed in."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from tokentoss._display import display_text
from tokentoss.consent import ConsentFacts, consent_facts, sign_in_warnings
from tokentoss.errors import StorageError
from tokentoss.refresh import DEFAULT_MARGIN, fresh_tokens, last_refresh_error
from tokentoss.store import ENV_TOKEN_FILE, TokenStore

__all__ = ["Status", "default_store", "get_access_token", "get_id_token", "status"]

_stores: dict[str | bytes | None, TokenStore] = {}
# Looked up on every call (a changed variable must take effect at once): the bytes view skips
# os.environ's encode and decode, a fifth of a warm get_id_token() besides the stat.
_ENVIRON: Mapping[Any, Any] = os.environb if os.supports_bytes_environ else os.environ
_ENV_KEY: str | bytes = os.fsencode(ENV_TOKEN_FILE) if os.supports_bytes_environ else ENV_TOKEN_FILE


def default_store() -> TokenStore:
    """The store for the default token file, one per ``TOKENTOSS_TOKEN_FILE`` value.

    Reusing the instance keeps its parsed-file cache warm across calls.
    """
    key = _ENVIRON.get(_ENV_KEY) or None
    store = _stores.get(key)
    if store is None:
        store = _stores[key] = TokenStore()
    return store


def get_id_token(*, margin: timedelta = DEFAULT_MARGIN, store: TokenStore | None = None) -> str:
    """Return an ID token valid for at least ``margin`` (refreshed under the lock if needed).

    Send it as ``Authorization: Bearer <token>`` to an IAP-protected service.
    Raises NoCredentialsError when not signed in, TokenRefreshError when a refresh fails.
    """
    return fresh_tokens(store or default_store(), margin=margin).id_token


def get_access_token(*, margin: timedelta = DEFAULT_MARGIN, store: TokenStore | None = None) -> str:
    """Return an OAuth access token valid for at least ``margin``, for Google APIs."""
    return fresh_tokens(store or default_store(), margin=margin).access_token


@dataclass(frozen=True)
class Status:
    """Who is signed in and until when. Holds no token value."""

    signed_in: bool
    email: str | None
    expires_at: datetime | None
    scopes: tuple[str, ...]
    issuer: str | None
    client_id: str | None
    token_file: str
    can_refresh: bool
    """False when there is no refresh token: after expiry the user must sign in again."""
    error: str | None
    """The last refresh failure in this process (or why the file cannot be read)."""
    error_reason: str | None
    missing_scopes: tuple[str, ...] = ()
    """Scopes the sign-in asked for that the provider did not grant."""
    refresh_token_expires_at: datetime | None = None
    """When the provider said the refresh token dies, if it did."""
    name: str | None = None
    """The user's name as the provider vouched for it (ID token or userinfo), if known."""

    @property
    def warnings(self) -> list[str]:
        """What the user should know about this sign-in (ungranted scopes, its end)."""
        if not self.signed_in or self.expires_at is None:
            return []
        facts = ConsentFacts(
            self.missing_scopes, self.can_refresh, self.expires_at, self.refresh_token_expires_at
        )
        return sign_in_warnings(facts)

    @property
    def expired(self) -> bool:
        """True if signed in but the tokens' expiry has passed (a refresh is due)."""
        return self.expires_at is not None and self.expires_at <= datetime.now(timezone.utc)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (``expires_at`` in ISO 8601)."""
        return {
            "signed_in": self.signed_in,
            "email": self.email,
            "name": self.name,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "expired": self.expired,
            "scopes": list(self.scopes),
            "issuer": self.issuer,
            "client_id": self.client_id,
            "token_file": self.token_file,
            "can_refresh": self.can_refresh,
            "error": self.error,
            "error_reason": self.error_reason,
            "missing_scopes": list(self.missing_scopes),
            "refresh_token_expires_at": (
                self.refresh_token_expires_at.isoformat() if self.refresh_token_expires_at else None
            ),
            "warnings": self.warnings,
        }

    def __str__(self) -> str:
        # Each value may come from the provider or the file: escape what a terminal obeys.
        show = display_text
        if not self.signed_in:
            text = f"Not signed in (token file: {show(self.token_file)})"
        else:
            until = self.expires_at.isoformat() if self.expires_at else "unknown"
            state = "expired, will refresh on next use" if self.expired else "valid"
            who = show(self.email or "unknown user")
            if self.name:
                who = f"{show(self.name)} <{who}>" if self.email else show(self.name)
            text = (
                f"Signed in as {who} ({show(self.issuer or 'unknown issuer')})\n"
                f"  tokens {state} until {until}\n"
                f"  scopes: {show(' '.join(self.scopes)) or '-'}\n"
                f"  token file: {show(self.token_file)}"
            )
            text += "".join(f"\n  warning: {show(warning)}" for warning in self.warnings)
        if self.error:
            text += f"\n  last error: {show(self.error)}"
        return text


def status(store: TokenStore | None = None) -> Status:
    """Report who is signed in, until when, with which scopes; never refreshes or raises."""
    store = store or default_store()
    error = last_refresh_error(store)
    try:
        tokens = store.load()
    except StorageError as exc:
        return Status(
            False, None, None, (), None, None, str(store.path), False, str(exc), "storage"
        )
    if tokens is None:
        return Status(False, None, None, (), None, None, str(store.path), False, None, None)
    facts = consent_facts(tokens)
    return Status(
        signed_in=True,
        email=tokens.user_email,
        expires_at=tokens.expiry,
        scopes=tokens.scopes,
        issuer=tokens.issuer,
        client_id=tokens.client_id,
        token_file=str(store.path),
        can_refresh=facts.can_refresh,
        error=str(error) if error else None,
        error_reason=error.reason if error else None,
        missing_scopes=facts.missing_scopes,
        refresh_token_expires_at=facts.refresh_token_expires_at,
        name=tokens.user_name,
    )
