"""The user's email from the provider's userinfo endpoint, when the ID token does not carry it.

OpenID Connect's default (and a certified provider's) is to release ``email`` and ``name`` from
userinfo only, not in an ID token obtained with a code. The answer counts only when its ``sub`` is
the ID token's, and an email the provider calls unverified is not used. Best effort: a sign-in
or a refresh never fails because userinfo did; the email then stays unknown.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import requests

from tokentoss._jwt import unverified_claims
from tokentoss.discovery import DiscoveryError, fetch_discovery, parse_json_object, read_bounded
from tokentoss.urls import require_secure_url

__all__ = ["USERINFO_TIMEOUT", "email_from_userinfo", "verified_email"]

USERINFO_TIMEOUT = 10.0
# The same shape the server accepts for user_email: no spaces, no control or bidi characters.
_PART = r"[^\s@\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
_EMAIL = re.compile(_PART + "{1,200}@" + _PART + "{1,120}")

log = logging.getLogger("tokentoss")


def verified_email(claims: dict[str, Any]) -> str | None:
    """``email`` from claims, unless the provider says it is unverified or it is not an email."""
    email = claims.get("email")
    if claims.get("email_verified") is False or not isinstance(email, str):
        return None
    return email if _EMAIL.fullmatch(email) else None


def email_from_userinfo(
    issuer: str | None,
    access_token: str,
    id_token: str,
    *,
    session: requests.Session | None = None,
) -> str | None:
    """The verified email that userinfo gives for the ID token's subject, or None.

    The ID token here came from the token endpoint over TLS (or was verified on upload), so its
    ``sub`` is the one to match.
    """
    subject = unverified_claims(id_token).get("sub")
    if not issuer or not isinstance(subject, str):
        return None
    get = session.get if session is not None else requests.get
    try:
        endpoint = fetch_discovery(issuer, session=session).userinfo_endpoint
        if endpoint is None:
            return None
        response = get(
            require_secure_url(endpoint, what="userinfo endpoint"),
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            timeout=USERINFO_TIMEOUT,
            allow_redirects=False,
            stream=True,
        )
        raw = read_bounded(response)
    except (requests.RequestException, OSError, ValueError, DiscoveryError) as exc:
        log.warning("tokentoss: userinfo not reachable (%s)", type(exc).__name__)
        return None
    if response.status_code != 200 or raw is None:
        log.warning("tokentoss: userinfo answered HTTP %s", response.status_code)
        return None
    claims = parse_json_object(raw)
    if not isinstance(claims, dict) or claims.get("sub") != subject:
        # OpenID Connect Core 5.3.2: a userinfo answer for another subject must not be used.
        log.warning("tokentoss: userinfo answered for another subject; email not used")
        return None
    return verified_email(claims)
