"""Validation of the body of ``POST {base_url}tokentoss/signins`` (pure, no tornado).

Messages name fields and rules, never values: the body carries the PKCE verifier.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tokentoss.urls import require_secure_url

from .request_checks import ValidationError, check_content_type, check_size, parse_json_object
from .signins import Mode

__all__ = ["FIELDS", "Registration", "parse_registration"]

FIELDS = frozenset({"state", "nonce", "redirect_uri", "mode", "code_verifier", "hosted_domain"})
REQUIRED = frozenset({"state", "nonce", "redirect_uri", "mode"})
# RFC 7636's verifier alphabet; state and nonce use it too (oauth4webapi makes them so).
_RANDOM = re.compile(r"[A-Za-z0-9._~-]{22,128}")
_DOMAIN = re.compile(r"[A-Za-z0-9.-]{1,253}")
_MAX_URL = 2048
_SAFE_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")


@dataclass(frozen=True)
class Registration:
    """A valid ``POST signins`` body."""

    state: str
    nonce: str = field(repr=False)
    redirect_uri: str
    mode: Mode
    code_verifier: str | None = field(repr=False)
    hosted_domain: str | None


def _random(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not _RANDOM.fullmatch(value):
        raise ValidationError(f"'{name}' must be 22 to 128 characters of A-Z a-z 0-9 . _ ~ -")
    return value


def _redirect_uri(body: Mapping[str, Any]) -> str:
    value = body.get("redirect_uri")
    if not isinstance(value, str) or not value or len(value) > _MAX_URL:
        raise ValidationError(f"'redirect_uri' must be a URL of at most {_MAX_URL} characters")
    try:
        require_secure_url(value, what="redirect_uri")
    except ValueError:
        raise ValidationError(
            "'redirect_uri' must be an https URL (plain http only on a loopback host)",
            "insecure_url",
        ) from None
    if any(c.isspace() or ord(c) < 0x20 or c == "\\" for c in value):
        raise ValidationError("'redirect_uri' contains characters that are not allowed")
    return value


def validate_registration(body: Mapping[str, Any]) -> Registration:
    """Check a parsed ``POST signins`` body field by field."""
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        names = [n if _SAFE_NAME.fullmatch(n) else "<unprintable>" for n in unknown]
        raise ValidationError("Unknown field(s): " + ", ".join(names[:10]), "unknown_field")
    missing = sorted(REQUIRED - set(body))
    if missing:
        raise ValidationError("Missing field(s): " + ", ".join(missing), "missing_field")
    mode = body.get("mode")
    if mode not in ("server", "browser"):
        raise ValidationError("'mode' must be 'server' or 'browser'")
    verifier = body.get("code_verifier")
    if mode == "server":
        verifier = _random(body, "code_verifier")
    elif verifier is not None:
        raise ValidationError(
            "'code_verifier' must not be sent in browser mode (the browser keeps it)"
        )
    domain = body.get("hosted_domain")
    if domain == "":
        domain = None
    if domain is not None and (not isinstance(domain, str) or not _DOMAIN.fullmatch(domain)):
        raise ValidationError("'hosted_domain' must be a domain name or null")
    return Registration(
        state=_random(body, "state"),
        nonce=_random(body, "nonce"),
        redirect_uri=_redirect_uri(body),
        mode=mode,
        code_verifier=verifier,
        hosted_domain=domain,
    )


def parse_registration(
    body: bytes, content_type: str | None, content_length: str | None
) -> Registration:
    """Run every check on a raw ``POST signins`` request."""
    check_size(content_length, body)
    check_content_type(content_type)
    return validate_registration(parse_json_object(body))
