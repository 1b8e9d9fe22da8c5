"""``tokentoss.configure()``: install the user's own OAuth client, as tokentoss 0.1 did.

The client file is ``client_secrets.json`` beside the token file (0.1's path when
``TOKENTOSS_TOKEN_FILE`` is not set), in Google's ``{"installed": {...}}`` format, mode 0600,
written by the one writer of the user's client file (``tokentoss.client_file``: atomic, under
the store's lock), as ``tokentoss configure`` in a terminal does. No ``issuer`` key unless the
downloaded file names one: the server's ``TokenTossConfig.issuer`` applies. The Jupyter server
then uses it as its OAuth client when neither its own configuration nor the Settings Editor
names one (DESIGN, *Where teams run Jupyter*), so the secret never has to be typed into browser
settings.

    import tokentoss
    tokentoss.configure(client_id="123.apps.googleusercontent.com", client_secret="GOCSPX-...")
    tokentoss.configure(path="./client_secrets.json")    # a file downloaded from the console
"""

from __future__ import annotations

import json
from pathlib import Path

from tokentoss.client_file import checked_field, write_user_client
from tokentoss.errors import StorageError
from tokentoss.store import TokenStore
from tokentoss.tokendata import GOOGLE_AUTH_URI, GOOGLE_TOKEN_URI, ClientConfig

__all__ = [
    "APP_NAME",
    "DEFAULT_REDIRECT_URIS",
    "GOOGLE_AUTH_URI",
    "GOOGLE_CERT_URL",
    "GOOGLE_TOKEN_URI",
    "configure",
    "configure_from_credentials",
    "configure_from_file",
    "get_config_path",
]

APP_NAME = "tokentoss"
GOOGLE_CERT_URL = "https://www.googleapis.com/oauth2/v1/certs"
DEFAULT_REDIRECT_URIS = ["http://localhost"]


def get_config_path(store: TokenStore | None = None) -> Path:
    """Where the user's client file lives: ``client_secrets.json`` beside the token file.

    That is 0.1's ``~/.config/tokentoss/client_secrets.json`` (or the platform's equivalent)
    unless ``TOKENTOSS_TOKEN_FILE`` moves the token file, which the Jupyter server sets for
    its kernels so that they and the server agree on one folder.
    """
    return (store or TokenStore()).client_path


def configure(
    client_id: str | None = None,
    client_secret: str | None = None,
    path: str | Path | None = None,
    project_id: str | None = None,
    *,
    store: TokenStore | None = None,
) -> Path:
    """Install the user's OAuth client (ID and secret, or a downloaded file); return its path.

    Raises ValueError for missing or malformed input and StorageError when the file cannot be
    written. The secret is never echoed in a message.
    """
    if path is not None:
        return configure_from_file(path, store=store)
    if client_id is not None and client_secret is not None:
        return configure_from_credentials(
            client_id, client_secret, project_id=project_id, store=store
        )
    raise ValueError(
        "Provide either (client_id, client_secret) or path to an existing client_secrets.json file."
    )


def configure_from_credentials(
    client_id: str,
    client_secret: str,
    project_id: str | None = None,
    *,
    store: TokenStore | None = None,
) -> Path:
    """Write ``client_secrets.json`` for a Google client from its ID and secret.

    ``project_id`` is accepted for 0.1's signature; nothing reads it, so it is not stored.
    """
    # 0.1's clients always have a secret (None here is not a public client but a mistake).
    secret = checked_field(client_secret, "client_secret")
    return write_user_client(client_id, secret, store=store)


def configure_from_file(source_path: str | Path, *, store: TokenStore | None = None) -> Path:
    """Install a ``client_secrets.json`` from Google's console (``installed`` or ``web``)."""
    source = Path(source_path).expanduser()
    if not source.exists():
        raise FileNotFoundError(f"Client secrets file not found: {source}")
    try:
        data = json.loads(source.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"Invalid JSON in {source}: {exc}") from None
    section = data.get("installed") or data.get("web") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        raise ValueError(
            f"Invalid client_secrets.json format in {source}. Expected 'installed' or 'web' key."
        )
    if "client_id" not in section or "client_secret" not in section:
        raise ValueError(f"Missing client_id or client_secret in {source}.")
    try:
        client = ClientConfig.from_json(data)
    except StorageError as exc:  # names the field, never its value
        raise ValueError(f"{source}: {exc}") from None
    try:
        return write_user_client(
            client.client_id, client.client_secret, issuer=client.issuer, store=store
        )
    except ValueError as exc:
        raise ValueError(f"{source}: {exc}") from None
