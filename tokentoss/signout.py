"""What a sign-out revoked, in the provider's terms, for the log, the REST answer and the panel.

RFC 7009 lets a provider decide what revoking a token ends. Standard OpenID providers (and the
certified one the tests use) end the whole grant when a refresh token is revoked, and only that
one token when an access token is; Google ends the grant for either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["GOOGLE_ISSUERS", "SignOutReport", "is_google_issuer"]

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
