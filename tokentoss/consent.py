"""What the provider granted, for how long, and the warnings the panel and the CLI show.

Google's granular consent lets a user untick a scope, a sign-in may come back without a refresh
token, and a refresh token may have a lifetime of its own (``refresh_token_expires_in``). The
texts here are built once for Python (``tokentoss status``, ``tokentoss.status()``); the lab
builds its translated ones from the same facts in ``src/warnings.ts``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from tokentoss.tokendata import TokenData, format_time

__all__ = [
    "ConsentFacts",
    "consent_facts",
    "grants_profile",
    "missing_scopes",
    "no_refresh_token_warning",
    "record_consent",
    "refresh_token_expiry",
    "sign_in_warnings",
]

# Google answers granted scopes as URLs; a request may name them by their short OpenID names.
_SCOPE_ALIASES = {
    "email": "https://www.googleapis.com/auth/userinfo.email",
    "profile": "https://www.googleapis.com/auth/userinfo.profile",
}
# A lifetime beyond this is a provider bug (or 1e30, which overflows datetime): not shown.
_MAX_REFRESH_TOKEN_LIFETIME = timedelta(days=3660)


def _canonical(scope: str) -> str:
    return _SCOPE_ALIASES.get(scope, scope)


def missing_scopes(requested: Iterable[str], granted: Iterable[str]) -> tuple[str, ...]:
    """The requested scopes the provider did not grant (``email`` matches ``…/userinfo.email``)."""
    have = {_canonical(scope) for scope in granted}
    return tuple(scope for scope in dict.fromkeys(requested) if _canonical(scope) not in have)


def grants_profile(granted: Iterable[str]) -> bool:
    """True if ``profile`` (or Google's ``…/userinfo.profile``) is among the granted scopes.

    The user's name is a ``profile`` claim: without that scope no provider releases it, so
    userinfo is not asked for one (else every refresh of such a sign-in would ask again).
    """
    return _canonical("profile") in {_canonical(scope) for scope in granted}


def refresh_token_expiry(expires_in: Any, now: datetime) -> datetime | None:
    """When the refresh token dies, from the provider's ``refresh_token_expires_in`` (seconds).

    None when absent or not a sane positive number (the token then lives until revoked).
    """
    if isinstance(expires_in, str):
        try:
            expires_in = float(expires_in)
        except ValueError:
            return None
    if isinstance(expires_in, bool) or not isinstance(expires_in, (int, float)):
        return None
    if not 0 < expires_in <= _MAX_REFRESH_TOKEN_LIFETIME.total_seconds():  # also drops NaN
        return None
    return now + timedelta(seconds=expires_in)


def record_consent(
    tokens: TokenData,
    requested: Iterable[str] | None,
    refresh_token_expires_in: Any,
    now: datetime,
) -> TokenData:
    """``tokens`` of a new sign-in with what it asked for and when its refresh token dies.

    The one way both sign-in paths record consent: ``PUT tokens`` (the browser relays what it
    requested and the provider's ``refresh_token_expires_in``) and the server's own code
    redemption (the server-held client's scopes and the token endpoint's answer).
    """
    return replace(
        tokens,
        requested_scopes=None if requested is None else tuple(dict.fromkeys(requested)),
        refresh_token_expires_at=refresh_token_expiry(refresh_token_expires_in, now),
    )


@dataclass(frozen=True)
class ConsentFacts:
    """What a sign-in lacks or how long it lasts; no token value."""

    missing_scopes: tuple[str, ...]
    can_refresh: bool
    expiry: datetime
    refresh_token_expires_at: datetime | None


def consent_facts(tokens: TokenData) -> ConsentFacts:
    """The facts behind the warnings, for ``GET status`` and ``tokentoss.status()``."""
    requested = tokens.requested_scopes or ()
    return ConsentFacts(
        missing_scopes=missing_scopes(requested, tokens.scopes),
        can_refresh=tokens.refresh_token is not None,
        expiry=tokens.expiry,
        refresh_token_expires_at=tokens.refresh_token_expires_at,
    )


def no_refresh_token_warning(expiry: datetime) -> str:
    """The one text for a sign-in without a refresh token (also used by other features)."""
    return (
        "No refresh token came back from the provider, so this sign-in cannot be renewed: it "
        f"ends when its tokens expire at {format_time(expiry)}. Sign in again then (with "
        "Google, remove the app's access at myaccount.google.com/permissions first if this "
        "keeps happening)."
    )


def sign_in_warnings(facts: ConsentFacts) -> list[str]:
    """Plain-text warnings for the CLI and ``Status``; empty when all is well."""
    warnings = []
    if facts.missing_scopes:
        warnings.append(
            "Not granted at the consent screen: "
            + " ".join(facts.missing_scopes)
            + ". Calls that need them will fail; sign in again and tick them to grant them."
        )
    if not facts.can_refresh:
        warnings.append(no_refresh_token_warning(facts.expiry))
    elif facts.refresh_token_expires_at is not None:
        warnings.append(
            "The provider says the refresh token expires at "
            f"{format_time(facts.refresh_token_expires_at)}: sign in again before then."
        )
    return warnings
