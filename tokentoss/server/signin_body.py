"""Validation of the body of ``POST {base_url}tokentoss/signins`` (pure, no tornado).

Messages name fields and rules, never values: the body carries the PKCE verifier. The shape is
the JSON Schema ``schemas/signin-registration.json`` (:mod:`.body_schema`); the meaning (URL
security, the verifier in server mode only) is checked here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tokentoss.urls import require_secure_url

from .body_schema import check_shape, load_schema
from .request_checks import ValidationError, check_content_type, check_size, parse_json_object
from .signins import Mode

__all__ = ["FIELDS", "Registration", "parse_registration"]

SCHEMA = "signin-registration"
FIELDS = frozenset(load_schema(SCHEMA)["properties"])
REQUIRED = frozenset(load_schema(SCHEMA)["required"])


@dataclass(frozen=True)
class Registration:
    """A valid ``POST signins`` body."""

    state: str
    nonce: str = field(repr=False)
    redirect_uri: str
    mode: Mode
    code_verifier: str | None = field(repr=False)
    hosted_domain: str | None


def _redirect_uri(value: str) -> str:
    try:
        require_secure_url(value, what="redirect_uri")
    except ValueError:
        raise ValidationError(
            "'redirect_uri' must be an https URL (plain http only on a loopback host)",
            "insecure_url",
        ) from None
    return value


def validate_registration(body: Mapping[str, Any]) -> Registration:
    """Check a parsed ``POST signins`` body field by field."""
    check_shape(body, SCHEMA)
    mode: Mode = body["mode"]
    verifier: str | None = body.get("code_verifier")
    if mode == "server" and verifier is None:
        raise ValidationError("'code_verifier' is required in server mode")
    if mode == "browser" and verifier is not None:
        raise ValidationError(
            "'code_verifier' must not be sent in browser mode (the browser keeps it)"
        )
    return Registration(
        state=body["state"],
        nonce=body["nonce"],
        redirect_uri=_redirect_uri(body["redirect_uri"]),
        mode=mode,
        code_verifier=verifier,
        hosted_domain=body.get("hosted_domain") or None,  # "" means none, as null does
    )


def parse_registration(
    body: bytes, content_type: str | None, content_length: str | None
) -> Registration:
    """Run every check on a raw ``POST signins`` request."""
    check_size(content_length, body)
    check_content_type(content_type)
    return validate_registration(parse_json_object(body))
