"""Which OAuth client the server holds, if any (DESIGN, *Where teams run Jupyter*).

(1) the server's configuration (``TokenTossConfig`` traits or its ``client_secrets_file``);
(3) else the user's own ``client_secrets.json`` beside the token file, written by
``tokentoss configure`` (a sign-in's record of its client never counts). Source (2), the
Settings Editor, lives in the browser: the lab applies the order with what ``GET client``
answers. The secret never leaves this module's objects except towards the token endpoint
and the client file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from tokentoss.configure import DEFAULT_ISSUER, load_client_secrets_file
from tokentoss.errors import StorageError
from tokentoss.store import TokenStore
from tokentoss.urls import require_secure_url

__all__ = [
    "DEFAULT_ISSUER",
    "DEFAULT_SCOPES",
    "ClientSettings",
    "OAuthClient",
    "client_info",
    "load_client_secrets_file",
    "resolve_client",
    "server_config_client",
    "user_file_client",
]

DEFAULT_SCOPES = "openid email profile"
ALL_FIELDS = ("clientId", "clientSecret", "issuer", "scopes", "hostedDomain", "redirectUri")
# From the user's file only the client itself is fixed; scopes and domain stay the server's.
USER_FILE_FIELDS = ("clientId", "clientSecret", "issuer")

Source = Literal["server_config", "user_client_file"]


@dataclass(frozen=True)
class ClientSettings:
    """The ``TokenTossConfig`` values about the OAuth client, as the admin set them."""

    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    issuer: str = DEFAULT_ISSUER
    scopes: str = DEFAULT_SCOPES
    hosted_domain: str = ""
    redirect_uri: str = ""
    client_secrets_file: str = ""


@dataclass(frozen=True)
class OAuthClient:
    """A server-held OAuth client: the exchange of its codes runs on the server."""

    client_id: str
    client_secret: str | None = field(repr=False)
    issuer: str
    scopes: tuple[str, ...]
    hosted_domain: str | None
    redirect_uri: str | None
    source: Source
    origin: str
    """Human text for the panel: where the client was found."""


def _checked_url(value: str, what: str) -> str:
    try:
        return require_secure_url(value, what=what)
    except ValueError as exc:
        raise ValueError(f"TokenTossConfig: {exc}") from None


def server_config_client(settings: ClientSettings) -> OAuthClient | None:
    """Source (1): the admin's configuration; None when it names no client.

    Raises ValueError for a configuration that cannot work (an unreadable file, plain http
    off loopback): an admin's mistake must not silently fall back to the browser's client.
    """
    if settings.client_secrets_file:
        path = Path(settings.client_secrets_file).expanduser()
        client_id, secret = load_client_secrets_file(path)
        client_id = settings.client_id or client_id
        secret = settings.client_secret or secret
        origin = f"client_secrets_file:{path}"
    elif settings.client_id:
        client_id, secret = settings.client_id, settings.client_secret or None
        origin = "jupyter_server_config"
    else:
        return None
    return OAuthClient(
        client_id=client_id,
        client_secret=secret,
        issuer=_checked_url(settings.issuer or DEFAULT_ISSUER, "issuer"),
        scopes=tuple((settings.scopes or DEFAULT_SCOPES).split()),
        hosted_domain=settings.hosted_domain or None,
        redirect_uri=(
            _checked_url(settings.redirect_uri, "redirect_uri") if settings.redirect_uri else None
        ),
        source="server_config",
        origin=origin,
    )


def user_file_client(settings: ClientSettings, store: TokenStore) -> OAuthClient | None:
    """Source (3): ``client_secrets.json`` written by ``tokentoss configure``, if any.

    A sign-in's own record (marked ``tokentoss_sign_in_record``) is not a source; nor is a
    file that cannot be read (the answer is "no server-held client", the sidebar says why
    when the user signs in and the store reports the error).
    """
    try:
        client = store.load_client()
    except StorageError:
        return None
    if client is None or client.sign_in_record:
        return None
    try:
        issuer = require_secure_url(client.issuer or settings.issuer or DEFAULT_ISSUER)
    except ValueError:
        return None
    return OAuthClient(
        client_id=client.client_id,
        client_secret=client.client_secret,
        issuer=issuer,
        scopes=tuple((settings.scopes or DEFAULT_SCOPES).split()),
        hosted_domain=settings.hosted_domain or None,
        redirect_uri=settings.redirect_uri or None,
        source="user_client_file",
        origin=f"user_client_file:{store.client_path}",
    )


def resolve_client(
    server_client: OAuthClient | None, settings: ClientSettings, store: TokenStore
) -> OAuthClient | None:
    """The server-held client now: the admin's (fixed at start) before the user's file."""
    return server_client or user_file_client(settings, store)


def client_info(client: OAuthClient | None) -> dict[str, Any]:
    """The ``GET client`` answer (and page config ``tokentossClient``): never the secret."""
    if client is None:
        return {
            "source": None,
            "managed_fields": [],
            "origin": None,
            "client_id": None,
            "issuer": None,
            "scopes": None,
            "hosted_domain": None,
            "redirect_uri": None,
            "has_secret": False,
        }
    fields: tuple[str, ...] = ALL_FIELDS if client.source == "server_config" else USER_FILE_FIELDS
    if client.redirect_uri is None:
        fields = tuple(f for f in fields if f != "redirectUri")
    return {
        "source": client.source,
        "managed_fields": list(fields),
        "origin": client.origin,
        "client_id": client.client_id,
        "issuer": client.issuer,
        "scopes": list(client.scopes),
        "hosted_domain": client.hosted_domain,
        "redirect_uri": client.redirect_uri,
        "has_secret": client.client_secret is not None,
    }
