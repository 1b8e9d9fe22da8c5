"""Sign-out: revoke the grant at the issuer (best effort), delete the token file, and report
what the provider revoked, in its terms, for the log, the REST answer and the panel.

RFC 7009 lets a provider decide what revoking a token ends. Standard OpenID providers (and the
certified one the tests use) end the whole grant when a refresh token is revoked, and only that
one token when an access token is; Google ends the grant for either.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import requests

from tokentoss._http import send_with_credential
from tokentoss.discovery import DiscoveryError, fetch_discovery
from tokentoss.refresh import forget_refresh_error
from tokentoss.store import TokenData, TokenStore

__all__ = ["GOOGLE_ISSUERS", "SignOutReport", "is_google_issuer", "revoke_and_delete"]

REVOKE_TIMEOUT = 10.0

log = logging.getLogger("tokentoss")

GOOGLE_ISSUERS = frozenset({"https://accounts.google.com", "accounts.google.com"})

Revoked = Literal["grant", "access_token"]


def is_google_issuer(issuer: str | None) -> bool:
    """True for Google's own issuer (as its discovery document spells it)."""
    return issuer is not None and issuer.rstrip("/") in GOOGLE_ISSUERS


@dataclass(frozen=True)
class SignOutReport:
    """The outcome of a sign-out: the file is gone; ``revoked`` says what the provider ended."""

    revoked: Revoked | None
    """``grant``: every token of the sign-in; ``access_token``: only that token; None: nothing
    the provider confirmed (no revocation endpoint, a network failure or a refusal)."""

    @classmethod
    def confirmed(cls, issuer: str | None, *, had_refresh_token: bool) -> SignOutReport:
        """The provider confirmed revoking the refresh token (or else the access token)."""
        grant = had_refresh_token or is_google_issuer(issuer)
        return cls("grant" if grant else "access_token")

    def describe(self) -> str:
        """Plain English for the server log and the CLI, never a token value."""
        if self.revoked == "grant":
            return "grant revoked at the provider: every token of this sign-in stopped working"
        if self.revoked == "access_token":
            return (
                "access token revoked at the provider; there was no refresh token, so the "
                "ID token stays valid until it expires"
            )
        return "nothing revoked at the provider: the tokens stay valid until they expire"


def revoke_and_delete(
    store: TokenStore, *, session: requests.Session | None = None
) -> SignOutReport:
    """Revoke the grant at the issuer (best effort), then delete the token file.

    The revocation endpoint comes from the issuer's discovery document. The
    report says what the issuer confirmed revoking, in its terms. The file is deleted either way.
    """
    with store.lock():
        try:
            tokens = store.load()
        except Exception:  # an unreadable file is still deleted
            tokens = None
        report = SignOutReport(None)
        if tokens is not None and _revoke(store, tokens, session):
            report = SignOutReport.confirmed(
                tokens.issuer, had_refresh_token=bool(tokens.refresh_token)
            )
        store.delete()
        forget_refresh_error(store)
        return report


def _revoke(store: TokenStore, tokens: TokenData, session: requests.Session | None) -> bool:
    try:
        client = store.load_client()
    except Exception:
        client = None
    issuer = tokens.issuer or (client.issuer if client else None)
    if not issuer:
        return False
    try:
        # Discovery and the revocation POST follow no redirect: the URLs checked are the URLs used.
        endpoint = fetch_discovery(
            issuer, session=session, timeout=REVOKE_TIMEOUT
        ).revocation_endpoint
        if endpoint is None:
            return False
        token = tokens.refresh_token or tokens.access_token
        form = {
            "token": token,
            "token_type_hint": "refresh_token" if tokens.refresh_token else "access_token",
        }
        client_id = tokens.client_id or (client.client_id if client else None)
        if client_id:
            form["client_id"] = client_id
        if client is not None and client.client_id == client_id and client.client_secret:
            form["client_secret"] = client.client_secret
        # stream=True and closed unread: only the status counts, however big the body.
        with send_with_credential(
            session,
            "POST",
            endpoint,
            what="revocation endpoint",
            data=form,
            timeout=REVOKE_TIMEOUT,
            allow_redirects=False,
            stream=True,
        ) as response:
            status = response.status_code
    except (requests.RequestException, ValueError, DiscoveryError) as exc:
        log.warning(
            "tokentoss: could not revoke the grant (%s); deleting anyway", type(exc).__name__
        )
        return False
    if status != 200:
        log.warning("tokentoss: the issuer refused the revocation (HTTP %s)", status)
    return status == 200
