"""The user's email and name from the provider's userinfo endpoint, when the ID token lacks them.

OpenID Connect's default (and a certified provider's) is to release ``email`` and ``name`` from
userinfo only, not in an ID token obtained with a code. The answer counts only when its ``sub`` is
the ID token's, its email only when :func:`tokentoss._jwt.vouched_email` accepts it and its name
only when :func:`tokentoss._jwt.vouched_name` does (the same rules for ID tokens and userinfo).
The request goes through the one checked sender and the one bounded reader (:mod:`tokentoss._http`).
Best effort: a sign-in or a refresh never fails because userinfo did; what it would have told
then stays unknown.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import requests

from tokentoss._http import json_answer, send_with_credential
from tokentoss._jwt import unverified_claims, vouched_email, vouched_name
from tokentoss.consent import grants_profile
from tokentoss.discovery import DiscoveryError, fetch_discovery
from tokentoss.tokendata import TokenData

__all__ = [
    "USERINFO_TIMEOUT",
    "Identity",
    "sign_in_identity",
    "userinfo_claims",
    "with_identity",
]

USERINFO_TIMEOUT = 10.0

log = logging.getLogger("tokentoss")


@dataclass(frozen=True)
class Identity:
    """Who signed in, as far as the provider vouched for it (None: not known)."""

    email: str | None
    name: str | None


def userinfo_claims(
    issuer: str | None,
    access_token: str,
    id_token: str,
    *,
    session: requests.Session | None = None,
) -> Mapping[str, Any] | None:
    """Userinfo's answer for the ID token's subject, or None (not usable, or another subject).

    The ID token here came from the token endpoint over TLS (or was verified on upload), so its
    ``sub`` is the one to match.
    """
    subject = unverified_claims(id_token).get("sub")
    if not issuer or not isinstance(subject, str):
        return None
    try:
        endpoint = fetch_discovery(issuer, session=session).userinfo_endpoint
        if endpoint is None:
            return None
        with send_with_credential(
            session,
            "GET",
            endpoint,
            what="userinfo endpoint",
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            timeout=USERINFO_TIMEOUT,
            allow_redirects=False,
            stream=True,
        ) as response:
            if response.status_code != 200:
                log.warning("tokentoss: userinfo answered HTTP %s", response.status_code)
                return None
            claims = json_answer(response)
    except (requests.RequestException, OSError, ValueError, DiscoveryError) as exc:
        # ValueError: an endpoint not https/loopback as sent, or an answer too large or not JSON.
        log.warning("tokentoss: userinfo not usable (%s)", type(exc).__name__)
        return None
    if not isinstance(claims, dict) or claims.get("sub") != subject:
        # OpenID Connect Core 5.3.2: a userinfo answer for another subject must not be used.
        log.warning("tokentoss: userinfo answered for another subject; not used")
        return None
    return claims


def sign_in_identity(
    claims: Mapping[str, Any],
    issuer: str | None,
    access_token: str,
    id_token: str,
    client_id: str | None,
    *,
    want_email: bool = True,
    want_name: bool = True,
    session: requests.Session | None = None,
) -> Identity:
    """The email and name to store for a sign-in whose ID token has ``claims``.

    An ID token that carries an email (or a name) has the last word on it, vouched for or not:
    a value the rules refuse is not looked up elsewhere. Userinfo is asked once, only for what
    is wanted and the token does not carry; ``want_name`` is False when ``profile`` was not
    granted (see :func:`tokentoss.consent.grants_profile`). What is not wanted comes back None.
    Used by the server's redemption, ``PUT tokens`` and a refresh that left either unknown.
    """
    email = vouched_email(claims, client_id) if want_email else None
    name = vouched_name(claims, client_id) if want_name else None
    ask_email = want_email and "email" not in claims
    ask_name = want_name and "name" not in claims
    if ask_email or ask_name:
        answer = userinfo_claims(issuer, access_token, id_token, session=session)
        if answer is not None:
            email = vouched_email(answer, client_id) if ask_email else email
            name = vouched_name(answer, client_id) if ask_name else name
    return Identity(email=email, name=name)


def with_identity(
    tokens: TokenData,
    claims: Mapping[str, Any],
    *,
    issuer: str | None = None,
    session: requests.Session | None = None,
) -> TokenData:
    """``tokens`` with the email and name they lack filled in from ``claims`` or userinfo.

    ``claims`` are those of ``tokens.id_token``. The name is wanted only when ``profile`` was
    granted; what ``tokens`` know already is kept. The one call for the server's redemption,
    ``PUT tokens`` and a refresh (``issuer``: the client file's, when the tokens name none).
    """
    want_email = tokens.user_email is None
    want_name = tokens.user_name is None and grants_profile(tokens.scopes)
    if not (want_email or want_name):
        return tokens
    identity = sign_in_identity(
        claims,
        tokens.issuer or issuer,
        tokens.access_token,
        tokens.id_token,
        tokens.client_id,
        want_email=want_email,
        want_name=want_name,
        session=session,
    )
    return replace(
        tokens,
        user_email=tokens.user_email or identity.email,
        user_name=tokens.user_name or identity.name,
    )
