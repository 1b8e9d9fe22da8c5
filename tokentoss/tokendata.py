"""The token file's data, in the key format of tokentoss 0.1 (plus a few added keys).

``tokens.json`` holds a :class:`TokenData`; ``client_secrets.json`` beside it holds a
:class:`ClientConfig` in Google's ``{"installed": {...}}`` format.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from tokentoss.errors import StorageError

__all__ = ["ClientConfig", "TokenData", "format_time", "parse_time"]

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 (a URL)
GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
# Marks client_secrets.json as the record of a sign-in, not a client the user configured.
SIGN_IN_RECORD_KEY = "tokentoss_sign_in_record"

_TOKEN_KEYS = frozenset(
    (
        "access_token",
        "id_token",
        "refresh_token",
        "expiry",
        "scopes",
        "user_email",
        "created_at",
        "issuer",
        "client_id",
        "token_uri",
        "requested_scopes",
        "refresh_token_expires_at",
        "user_name",
    )
)


def parse_iso(value: str) -> datetime:
    """``datetime.fromisoformat`` that also reads a trailing ``Z``; naive if no offset.

    Python 3.10's fromisoformat does not know 'Z', which JavaScript's toISOString writes.
    """
    return datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value)


def parse_time(value: str) -> datetime:
    """Parse an ISO 8601 time (``Z`` allowed); a time without offset is taken as UTC."""
    moment = parse_iso(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def format_time(moment: datetime) -> str:
    """Format as tokentoss 0.1 does: UTC, whole seconds, ``+00:00`` offset."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _optional_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise StorageError(f"Token file field {key!r} must be a string or null.")


def _required_str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if isinstance(value, str) and value:
        return value
    raise StorageError(f"Token file field {key!r} is missing or not a non-empty string.")


def _optional_time(data: Mapping[str, Any], key: str) -> datetime | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise StorageError(f"Token file field {key!r} must be an ISO 8601 string.")
    try:
        return parse_time(value)
    except ValueError:
        raise StorageError(f"Token file field {key!r} is not an ISO 8601 time.") from None


def _scopes(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):  # an OAuth "scope" string, space separated
        return tuple(value.split())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise StorageError("Token file field 'scopes' must be a list of strings.")


@dataclass(frozen=True)
class TokenData:
    """One signed-in session. ``repr`` hides the three token values."""

    access_token: str = field(repr=False)
    id_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expiry: datetime
    """Earliest of the access token's and the ID token's expiry (aware)."""
    scopes: tuple[str, ...] = ()
    user_email: str | None = None
    created_at: datetime | None = None
    issuer: str | None = None
    client_id: str | None = None
    token_uri: str | None = None
    requested_scopes: tuple[str, ...] | None = None
    """What the sign-in asked for (None: not recorded); ``scopes`` is what was granted."""
    refresh_token_expires_at: datetime | None = None
    """When the provider said the refresh token dies (``refresh_token_expires_in``), if it did."""
    user_name: str | None = None
    """The user's name as the provider vouched for it (``tokentoss._jwt.vouched_name``)."""
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False, hash=False)
    """Keys this version does not know; kept when the file is rewritten."""

    def __post_init__(self) -> None:
        if self.expiry.tzinfo is None:
            raise ValueError("TokenData.expiry must be timezone-aware.")
        # The warm path compares floats: datetime.now() and aware arithmetic cost more than
        # the rest of a cached get_id_token() together.
        object.__setattr__(self, "_expiry_ts", self.expiry.timestamp())

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object written to ``tokens.json`` (tokentoss 0.1 keys first)."""
        known = {
            "access_token": self.access_token,
            "id_token": self.id_token,
            # Always present, even null: tokentoss 0.1 reads it with data["refresh_token"].
            "refresh_token": self.refresh_token,
            "expiry": format_time(self.expiry),
            "scopes": list(self.scopes),
            "user_email": self.user_email,
            "created_at": format_time(self.created_at) if self.created_at else None,
            "issuer": self.issuer,
            "client_id": self.client_id,
            "token_uri": self.token_uri,
        }
        # Added keys only when known, so files without them stay as tokentoss 0.1 wrote them.
        if self.requested_scopes is not None:
            known["requested_scopes"] = list(self.requested_scopes)
        if self.refresh_token_expires_at is not None:
            known["refresh_token_expires_at"] = format_time(self.refresh_token_expires_at)
        if self.user_name is not None:
            known["user_name"] = self.user_name
        extra = {key: value for key, value in self.extra.items() if key not in known}
        return {**known, **extra}

    @classmethod
    def from_json(cls, data: Any) -> TokenData:
        """Build from a parsed ``tokens.json``; raise StorageError (never echoing values)."""
        if not isinstance(data, dict):
            raise StorageError("The token file does not hold a JSON object.")
        expiry = _optional_time(data, "expiry")
        if expiry is None:
            raise StorageError("Token file field 'expiry' is missing.")
        return cls(
            access_token=_required_str(data, "access_token"),
            id_token=_required_str(data, "id_token"),
            refresh_token=_optional_str(data, "refresh_token") or None,
            expiry=expiry,
            scopes=_scopes(data.get("scopes")),
            user_email=_optional_str(data, "user_email"),
            created_at=_optional_time(data, "created_at"),
            issuer=_optional_str(data, "issuer"),
            client_id=_optional_str(data, "client_id"),
            token_uri=_optional_str(data, "token_uri"),
            requested_scopes=(
                _scopes(data["requested_scopes"])
                if data.get("requested_scopes") is not None
                else None
            ),
            refresh_token_expires_at=_optional_time(data, "refresh_token_expires_at"),
            user_name=_optional_str(data, "user_name"),
            extra={key: value for key, value in data.items() if key not in _TOKEN_KEYS},
        )

    def expires_within(self, margin: timedelta, now: datetime | None = None) -> bool:
        """True if less than ``margin`` is left before ``expiry`` (or it has passed)."""
        if now is None:
            return self._expiry_ts - margin.total_seconds() <= time.time()  # type: ignore[attr-defined, no-any-return]
        return self.expiry - margin <= now


@dataclass(frozen=True)
class ClientConfig:
    """The OAuth client: what a refresh needs besides the refresh token."""

    client_id: str
    client_secret: str | None = field(default=None, repr=False)
    token_uri: str = GOOGLE_TOKEN_URI
    auth_uri: str | None = None
    issuer: str | None = None
    sign_in_record: bool = False
    """True for the record of a sign-in's client (written by the server so kernels can refresh),
    False for a client the user configured (``tokentoss configure``): only the latter selects
    the server-side exchange."""

    def to_json(self) -> dict[str, Any]:
        """Return ``{"installed": {...}}`` as Google's console and tokentoss 0.1 write it."""
        section: dict[str, Any] = {
            "client_id": self.client_id,
            # Always present: tokentoss 0.1 reads it with config["client_secret"].
            "client_secret": self.client_secret,
            "token_uri": self.token_uri,
        }
        if self.auth_uri:  # omitted rather than null: 0.1 falls back to Google's default
            section["auth_uri"] = self.auth_uri
        if self.issuer:
            section["issuer"] = self.issuer
        if self.sign_in_record:
            section[SIGN_IN_RECORD_KEY] = True
        return {"installed": section}

    @classmethod
    def from_json(cls, data: Any) -> ClientConfig:
        """Read the ``installed`` (or ``web``) section; raise StorageError on bad data."""
        section = None
        if isinstance(data, dict):
            section = data.get("installed") or data.get("web")
        if not isinstance(section, dict):
            raise StorageError("The client file has no 'installed' (or 'web') object.")
        token_uri = _optional_str(section, "token_uri") or GOOGLE_TOKEN_URI
        return cls(
            client_id=_required_str(section, "client_id"),
            client_secret=_optional_str(section, "client_secret") or None,
            token_uri=token_uri,
            auth_uri=_optional_str(section, "auth_uri"),
            issuer=_optional_str(section, "issuer"),
            sign_in_record=section.get(SIGN_IN_RECORD_KEY) is True,
        )
