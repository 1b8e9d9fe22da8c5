"""The user's email from the provider's userinfo endpoint, when the ID token does not carry it.

OpenID Connect's default (and a certified provider's) is to release ``email`` and ``name`` from
userinfo only, not in an ID token obtained with a code. The answer counts only when its ``sub`` is
the ID token's, and its email only when :func:`tokentoss._jwt.vouched_email` accepts it (the one
rule for ID tokens and userinfo alike). The request goes through the one checked sender and the
one bounded reader (:mod:`tokentoss._http`). Best effort: a sign-in or a refresh never fails
because userinfo did; the email then stays unknown.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import requests

from tokentoss._http import json_answer, send_with_credential
from tokentoss._jwt import unverified_claims, vouched_email
from tokentoss.discovery import DiscoveryError, fetch_discovery

__all__ = ["USERINFO_TIMEOUT", "email_from_userinfo", "sign_in_email"]

USERINFO_TIMEOUT = 10.0

log = logging.getLogger("tokentoss")


def email_from_userinfo(
    issuer: str | None,
    access_token: str,
    id_token: str,
    client_id: str | None,
    *,
    session: requests.Session | None = None,
) -> str | None:
    """The vouched-for email that userinfo gives for the ID token's subject, or None.

    The ID token here came from the token endpoint over TLS (or was verified on upload), so its
    ``sub`` is the one to match. ``client_id`` is the sign-in's client (for the ``azp`` rule).
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
        log.warning("tokentoss: userinfo answered for another subject; email not used")
        return None
    return vouched_email(claims, client_id)


def sign_in_email(
    claims: Mapping[str, Any],
    issuer: str | None,
    access_token: str,
    id_token: str,
    client_id: str | None,
    *,
    session: requests.Session | None = None,
) -> str | None:
    """The email to store for a sign-in whose ID token has ``claims``.

    An ID token that carries an email has the last word on it (vouched for or not: an email the
    provider disowns is not looked up elsewhere); userinfo is asked only when it carries none.
    Used by the server's redemption, ``PUT tokens`` and a refresh that left the email unknown.
    """
    if "email" in claims:
        return vouched_email(claims, client_id)
    return email_from_userinfo(issuer, access_token, id_token, client_id, session=session)
