"""tokentoss 0.1's storage module: ``TokenData``, ``FileStorage``, ``MemoryStorage``.

Kept so 0.1 code runs unchanged. ``FileStorage`` is a thin face of :class:`tokentoss.TokenStore`
(atomic, locked, 0600 writes; the same file the sidebar and every kernel use). New code calls
``tokentoss.get_id_token()`` / ``tokentoss.status()`` or uses ``TokenStore`` directly.
"""

from __future__ import annotations

import stat
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tokentoss import tokendata
from tokentoss.errors import InsecureFilePermissionsWarning, StorageError
from tokentoss.store import TokenStore

__all__ = [
    "APP_NAME",
    "FileStorage",
    "InsecureFilePermissionsWarning",
    "MemoryStorage",
    "StorageError",
    "TokenData",
]

APP_NAME = "tokentoss"


@dataclass
class TokenData:
    """tokentoss 0.1's token record: times as ISO 8601 strings, scopes as a list.

    ``tokentoss.TokenData`` (top level) is the new, immutable record with aware datetimes;
    :meth:`from_new` and :meth:`to_new` convert between the two.
    """

    access_token: str = field(repr=False)
    id_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expiry: str
    scopes: list[str]
    user_email: str | None = None
    created_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Convert to a dict for JSON (0.1's keys)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TokenData:
        """Build from a dict with 0.1's keys."""
        return cls(
            access_token=data["access_token"],
            id_token=data["id_token"],
            refresh_token=data["refresh_token"],
            expiry=data["expiry"],
            scopes=data.get("scopes", []),
            user_email=data.get("user_email"),
            created_at=data.get("created_at"),
        )

    @classmethod
    def from_new(cls, tokens: tokendata.TokenData) -> TokenData:
        """The 0.1 view of a new record (a missing refresh token reads as ``""`` as in 0.1)."""
        return cls(
            access_token=tokens.access_token,
            id_token=tokens.id_token,
            refresh_token=tokens.refresh_token or "",
            expiry=tokendata.format_time(tokens.expiry),
            scopes=list(tokens.scopes),
            user_email=tokens.user_email,
            created_at=tokendata.format_time(tokens.created_at) if tokens.created_at else None,
        )

    def to_new(self) -> tokendata.TokenData:
        """The new record; raises StorageError on a malformed field."""
        return tokendata.TokenData.from_json(self.to_dict())

    @property
    def created_at_datetime(self) -> datetime | None:
        """``created_at`` parsed (None when unset)."""
        return tokendata.parse_time(self.created_at) if self.created_at else None

    @property
    def expiry_datetime(self) -> datetime:
        """``expiry`` parsed (aware)."""
        return tokendata.parse_time(self.expiry)

    @property
    def is_expired(self) -> bool:
        """True once the expiry has passed."""
        return datetime.now(timezone.utc) >= self.expiry_datetime


def _as_new(tokens: TokenData | tokendata.TokenData) -> tokendata.TokenData:
    return tokens if isinstance(tokens, tokendata.TokenData) else tokens.to_new()


class MemoryStorage:
    """Tokens held in this process only (tests, throw-away sessions)."""

    def __init__(self) -> None:
        self._tokens: TokenData | None = None

    def save(self, tokens: TokenData | tokendata.TokenData) -> None:
        """Keep ``tokens`` (either record type)."""
        self._tokens = TokenData.from_new(_as_new(tokens))

    def load(self) -> TokenData | None:
        """The kept tokens, or None."""
        return self._tokens

    def clear(self) -> None:
        """Forget the tokens."""
        self._tokens = None

    def exists(self) -> bool:
        """True when tokens are kept."""
        return self._tokens is not None


class FileStorage:
    """The token file, through :class:`tokentoss.TokenStore` (atomic, locked, mode 0600).

    ``path`` defaults to the file every kernel reads (``$TOKENTOSS_TOKEN_FILE`` or the platform's
    config folder). A loose mode is fixed (with an InsecureFilePermissionsWarning) rather than
    only warned about as in 0.1.
    """

    SECURE_PERMISSIONS = stat.S_IRUSR | stat.S_IWUSR

    def __init__(self, path: str | Path | None = None) -> None:
        self.store = TokenStore(path)
        self.path = self.store.path

    def save(self, tokens: TokenData | tokendata.TokenData) -> None:
        """Replace the token file with ``tokens`` (either record type)."""
        self.store.save(_as_new(tokens))

    def load(self) -> TokenData | None:
        """The stored tokens in 0.1's shape, or None when there is no file."""
        tokens = self.store.load()
        return None if tokens is None else TokenData.from_new(tokens)

    def clear(self) -> None:
        """Delete the token file (the client file stays). Kernels are signed out too."""
        self.store.delete()

    def exists(self) -> bool:
        """True when the token file exists."""
        return self.store.path.exists()
