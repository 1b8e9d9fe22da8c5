"""Reading a JWT's claims without verifying it.

Only for tokens that came straight from the token endpoint over TLS (or from the browser, which
verified them against the provider's keys): we read ``exp``, ``email`` and ``name``, we never
trust them for access decisions.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from tokentoss._display import UNSAFE_CHARACTERS, has_unsafe_text

__all__ = [
    "EMAIL_SHAPE",
    "MAX_NAME_CHARS",
    "claim_time",
    "unverified_claims",
    "unverified_expiry",
    "vouched_email",
    "vouched_name",
]

EMAIL_SHAPE = re.compile(rf"[^\s@{UNSAFE_CHARACTERS}]+@[^\s@{UNSAFE_CHARACTERS}]+")
"""An email address as tokentoss stores and shows one: one '@' between non-empty parts, no
whitespace, control or bidi character (it would be shown misleadingly)."""
MAX_EMAIL_CHARS = 320  # RFC 5321: 64 for the local part, '@', 255 for the domain
MAX_NAME_CHARS = 256  # a person's name; longer is a provider bug or an attack on the layout


def unverified_claims(token: str) -> dict[str, Any]:
    """Return the payload of a compact JWT as a dict, or ``{}`` if it is not one."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(raw)
    except (binascii.Error, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


def claim_time(value: Any) -> datetime | None:
    """A NumericDate claim (``exp``, ``iat``) as an aware UTC datetime; None if not one.

    None also for numbers no datetime can hold (1e30, NaN), so callers never see OverflowError.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def unverified_expiry(token: str) -> datetime | None:
    """Return the ``exp`` claim as an aware UTC datetime, or None when absent or malformed."""
    return claim_time(unverified_claims(token).get("exp"))


def vouched_email(claims: Mapping[str, Any], client_id: str | None) -> str | None:
    """The user's email if the claims vouch for it, else None: the one rule for every caller.

    ID tokens (the browser's upload, the server's redemption, a refresh) and userinfo answers
    all go through it. None when ``email_verified`` is false (a boolean, or the string some
    providers send), when ``azp`` names another client, and when the email is not
    :data:`EMAIL_SHAPE` (control or bidi-override characters included) or too long.
    """
    email = claims.get("email")
    if not isinstance(email, str) or len(email) > MAX_EMAIL_CHARS:
        return None
    if not EMAIL_SHAPE.fullmatch(email):
        return None
    verified = claims.get("email_verified")
    if verified is False or (isinstance(verified, str) and verified.lower() == "false"):
        return None
    return email if _issued_to(claims, client_id) else None


def vouched_name(claims: Mapping[str, Any], client_id: str | None) -> str | None:
    """The user's name (``name`` claim) as tokentoss stores and shows it, else None.

    The same care as the email (:func:`vouched_email`), for ID tokens and userinfo alike: None
    when ``azp`` names another client, when the name is not a string, is blank or longer than
    :data:`MAX_NAME_CHARS`, and when it holds a control or bidi character: such a name is
    refused whole rather than stripped, since what is left could read as someone else's.
    Markup is kept as text: every place that shows a name shows text, never HTML.
    """
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS:
        return None
    if has_unsafe_text(name):
        return None
    return name if _issued_to(claims, client_id) else None


def _issued_to(claims: Mapping[str, Any], client_id: str | None) -> bool:
    """False when the claims' ``azp`` names another client than the sign-in's."""
    azp = claims.get("azp")
    return azp is None or azp == client_id
