"""Validation of the body of ``PUT {base_url}tokentoss/tokens``.

Pure functions, no tornado: the handler feeds raw bytes in and gets either a
:class:`TokenUpload` or a :class:`ValidationError` whose message is safe to show and
to log. No message built here ever contains a value from the body, only field names
and limits, because the body carries credentials.

The shape (types, required and unknown fields, lengths, characters, list sizes) is the JSON
Schema ``schemas/token-upload.json`` (:mod:`.body_schema`); the meaning is checked here: expiry
windows, URL security, the email's form, the ID token against the body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from tokentoss._jwt import (
    EMAIL_SHAPE,
    claim_time,
    unverified_claims,
    vouched_email,
    vouched_name,
)
from tokentoss.consent import record_consent, refresh_token_expiry
from tokentoss.store import ClientConfig, TokenData
from tokentoss.tokendata import parse_iso
from tokentoss.urls import require_secure_url

from .body_schema import check_shape, load_schema
from .request_checks import (
    MAX_BODY_BYTES,
    ValidationError,
    check_content_type,
    check_size,
    parse_json_object,
)

# The generic request checks live in request_checks; re-exported for the handler and tests.
__all__ = [
    "ALLOWED_FIELDS",
    "MAX_BODY_BYTES",
    "REQUIRED_FIELDS",
    "TokenUpload",
    "ValidationError",
    "check_content_type",
    "check_size",
    "decode_jwt_payload",
    "parse_expiry",
    "parse_json_object",
    "parse_upload",
    "validate_upload",
]

SCHEMA = "token-upload"
# A browser that just finished a sign-in sends an expiry about an hour ahead. Anything
# outside a day either way is a bug or an attack (1970, 9999) and would make kernels
# either refresh in a loop or trust a token forever.
EXPIRY_WINDOW = timedelta(hours=24)

# From the schema (no token_uri: the server takes it from the issuer's discovery document).
REQUIRED_FIELDS = frozenset(load_schema(SCHEMA)["required"])
ALLOWED_FIELDS = frozenset(load_schema(SCHEMA)["properties"])


@dataclass(frozen=True)
class TokenUpload:
    """A validated ``PUT tokens`` body, ready to be turned into store records."""

    access_token: str
    id_token: str
    refresh_token: str | None
    expiry: datetime
    scopes: tuple[str, ...]
    user_email: str | None
    issuer: str
    client_id: str
    client_secret: str | None
    state: str
    user_name: str | None = None
    requested_scopes: tuple[str, ...] | None = None
    refresh_token_expires_in: int | None = None

    def __repr__(self) -> str:
        # The default dataclass repr would print every token into any log or traceback.
        return f"TokenUpload(user_email={self.user_email!r}, issuer={self.issuer!r}, ...)"

    def to_store_records(
        self, *, token_uri: str, now: datetime | None = None
    ) -> tuple[TokenData, ClientConfig]:
        """Build the token file and client record for :meth:`TokenStore.save`.

        ``token_uri`` comes from the issuer's discovery document. The email and name are left
        unknown: they come from the verified ID token or userinfo (``userinfo.with_identity``,
        see :mod:`.uploads`), never from the body alone.
        """
        created_at = now or datetime.now(timezone.utc)
        tokens = TokenData(
            access_token=self.access_token,
            id_token=self.id_token,
            refresh_token=self.refresh_token,
            expiry=self.expiry,
            scopes=self.scopes,
            created_at=created_at,
            issuer=self.issuer,
            client_id=self.client_id,
            token_uri=token_uri,
            extra={},
        )
        # What was asked and how long the refresh token lives: as the server's redemption does.
        tokens = record_consent(
            tokens, self.requested_scopes, self.refresh_token_expires_in, created_at
        )
        # The record of a browser-mode sign-in's client, so kernels can refresh; never a source
        # of the server-side exchange (that is a file written by `tokentoss configure`).
        client = ClientConfig(
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_uri=token_uri,
            auth_uri=None,
            issuer=self.issuer,
            sign_in_record=True,
        )
        return tokens, client


def _none_if_empty(value: str | None) -> str | None:
    # An empty string means "none" too: a settings form's empty field is "" more often than null.
    return value or None


def _url(value: str, name: str) -> str:
    try:
        require_secure_url(value)
    except ValueError:
        raise ValidationError(
            f"'{name}' must be an https URL (plain http only on a loopback host)",
            "insecure_url",
        ) from None
    return value


def parse_expiry(value: Any, name: str, now: datetime) -> datetime:
    """Parse an ISO 8601 time with an offset that lies within :data:`EXPIRY_WINDOW` of now."""
    if not isinstance(value, str) or len(value) > 64:
        raise ValidationError(f"'{name}' must be an ISO 8601 date-time string")
    try:
        parsed = parse_iso(value)
    except ValueError:
        raise ValidationError(f"'{name}' must be an ISO 8601 date-time string") from None
    if parsed.tzinfo is None:
        raise ValidationError(f"'{name}' must include a UTC offset")
    if abs(parsed - now) > EXPIRY_WINDOW:
        raise ValidationError(f"'{name}' must be within 24 hours of now", "absurd_expiry")
    return parsed.astimezone(timezone.utc)


def decode_jwt_payload(token: str) -> dict[str, Any]:
    """Read a JWT's payload WITHOUT verifying it (the browser verified it against JWKS).

    The server only uses it to check that the body agrees with itself; the schema checked
    its compact form (three base64url parts).
    """
    try:
        claims = unverified_claims(token)
    except RecursionError:
        claims = {}
    if not claims:
        raise ValidationError("'id_token' payload is not a base64url JSON object")
    return claims


def _unique(scopes: list[str]) -> tuple[str, ...]:
    # Order is kept (it is what the provider granted); duplicates carry no meaning.
    return tuple(dict.fromkeys(scopes))


def _check_id_token_claims(
    claims: Mapping[str, Any],
    issuer: str,
    client_id: str,
    user_email: str | None,
    user_name: str | None,
) -> str | None:
    """Check the ID token agrees with the body; return the email to store."""
    if claims.get("iss") != issuer:
        raise ValidationError("The ID token's 'iss' does not match 'issuer'", "id_token_mismatch")
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if client_id not in audiences:
        raise ValidationError(
            "The ID token's 'aud' does not contain 'client_id'", "id_token_mismatch"
        )
    claimed = claims.get("email")
    if claimed is not None and not isinstance(claimed, str):
        raise ValidationError("The ID token's 'email' is not a string", "id_token_mismatch")
    if user_email is not None and claimed is not None and claimed.lower() != user_email.lower():
        raise ValidationError(
            "The ID token's 'email' does not match 'user_email'", "id_token_mismatch"
        )
    named = claims.get("name")
    if user_name is not None and named is not None and named != user_name:
        raise ValidationError(
            "The ID token's 'name' does not match 'user_name'", "id_token_mismatch"
        )
    if user_email is None:
        # Only an email the claims vouch for (one rule: tokentoss._jwt.vouched_email).
        return vouched_email(claims, client_id)
    return user_email


def validate_upload(body: Mapping[str, Any], now: datetime | None = None) -> TokenUpload:
    """Check a parsed ``PUT tokens`` body field by field and against its own ID token."""
    now = now or datetime.now(timezone.utc)
    check_shape(body, SCHEMA)
    access_token: str = body["access_token"]
    id_token: str = body["id_token"]
    refresh_token = _none_if_empty(body.get("refresh_token"))
    expiry = parse_expiry(body["expires_at"], "expires_at", now)
    scopes = _unique(body["scopes"])
    user_email = _none_if_empty(body.get("user_email"))
    if user_email is not None and not EMAIL_SHAPE.fullmatch(user_email):
        raise ValidationError("'user_email' is not an email address")
    user_name = _none_if_empty(body.get("user_name"))
    if user_name is not None and vouched_name({"name": user_name}, None) is None:
        raise ValidationError("'user_name' is not a name tokentoss shows (control characters?)")
    issuer = _url(body["issuer"], "issuer")
    client_id: str = body["client_id"]
    client_secret = _none_if_empty(body.get("client_secret"))
    state: str = body["state"]
    requested = body.get("requested_scopes")
    requested = _unique(requested) if requested is not None else None
    refresh_token_expires_in = _refresh_token_expires_in(body.get("refresh_token_expires_in"), now)

    claims = decode_jwt_payload(id_token)
    user_email = _check_id_token_claims(claims, issuer, client_id, user_email, user_name)
    exp = claims.get("exp")
    if exp is not None:
        if isinstance(exp, bool) or not isinstance(exp, (int, float)):
            raise ValidationError("The ID token's 'exp' is not a number")
        id_expiry = claim_time(exp)  # None: a number no datetime can hold (1e30)
        if id_expiry is None or abs(id_expiry - now) > EXPIRY_WINDOW:
            raise ValidationError(
                "The ID token's 'exp' must be within 24 hours of now", "absurd_expiry"
            )
        # The file's expiry is the earliest of the access token's and the ID token's (contract).
        expiry = min(expiry, id_expiry)

    return TokenUpload(
        access_token=access_token,
        id_token=id_token,
        refresh_token=refresh_token,
        expiry=expiry,
        scopes=scopes,
        user_email=user_email,
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        state=state,
        user_name=user_name,
        requested_scopes=requested,
        refresh_token_expires_in=refresh_token_expires_in,
    )


def _refresh_token_expires_in(value: Any, now: datetime) -> int | None:
    """The provider's ``refresh_token_expires_in`` (seconds), relayed by the browser: checked."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("'refresh_token_expires_in' must be a whole number of seconds")
    if refresh_token_expiry(value, now) is None:
        raise ValidationError(
            "'refresh_token_expires_in' must be positive and at most ten years", "absurd_expiry"
        )
    return value


def parse_upload(
    body: bytes,
    content_type: str | None,
    content_length: str | None,
    now: datetime | None = None,
) -> TokenUpload:
    """Run every check on a raw request, in the order that gives the most useful status."""
    check_size(content_length, body)
    check_content_type(content_type)
    return validate_upload(parse_json_object(body), now)
