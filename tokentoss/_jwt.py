"""Reading a JWT's claims without verifying it.

Only for tokens that came straight from the token endpoint over TLS (or from the browser, which
verified them against the provider's keys): we read ``exp`` and ``email``, we never trust them
for access decisions.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime, timezone
from typing import Any

from tokentoss._display import has_unsafe_text

__all__ = ["claim_time", "unverified_claims", "unverified_expiry", "vouched_email"]


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


def vouched_email(claims: dict[str, Any], client_id: str | None) -> str | None:
    """The user's email if the claims vouch for it, else None.

    None when ``email_verified`` is false, when ``azp`` names another client, and when the
    email holds control or bidi-override characters (it would be shown misleadingly).
    """
    email = claims.get("email")
    if not isinstance(email, str) or not email or has_unsafe_text(email):
        return None
    if claims.get("email_verified") in (False, "false"):
        return None
    azp = claims.get("azp")
    if azp is not None and azp != client_id:
        return None
    return email
