"""The user's own OAuth client: ``client_secrets.json`` beside the token file.

One writer for every way a user installs their client: ``tokentoss configure`` in a terminal,
0.1's ``tokentoss.configure()`` (``tokentoss.setup``) in a kernel and ``PUT client`` (the in-cell
form). With it, and no client in the server's configuration, the JupyterLab server redeems
sign-in codes itself (DESIGN's source (3)); kernels read it to refresh. Written by the store's
writer: 0600, atomic, under its lock; keys other tools wrote are kept, a sign-in record's mark goes.

The issuer rule: the file carries an ``issuer`` key only when one is given explicitly (the CLI's
``--issuer``, or an ``issuer`` in a file handed to ``configure(path=...)``). Without it, as 0.1
wrote the file, the server's ``TokenTossConfig.issuer`` (Google by default) applies to this
client.
"""

from __future__ import annotations

import json
from pathlib import Path

from tokentoss.store import TokenStore
from tokentoss.tokendata import GOOGLE_AUTH_URI, GOOGLE_TOKEN_URI, ClientConfig
from tokentoss.urls import require_secure_url

__all__ = ["DEFAULT_ISSUER", "checked_field", "load_client_secrets_file", "write_user_client"]

DEFAULT_ISSUER = "https://accounts.google.com"
"""``TokenTossConfig.issuer``'s default: the issuer of a client file without an ``issuer`` key."""

# Generous caps: a Google client ID is ~75 characters, a secret ~35.
MAX_FIELD = 512


def checked_field(value: object, name: str, limit: int = MAX_FIELD) -> str:
    """``value`` stripped, if it is one line of visible characters; the error never quotes it."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} cannot be empty")
    value = value.strip()
    if len(value) > limit or any(ch.isspace() or not ch.isprintable() for ch in value):
        raise ValueError(f"{name} must be one line of at most {limit} visible characters")
    return value


def write_user_client(
    client_id: str,
    client_secret: str | None = None,
    *,
    issuer: str | None = None,
    store: TokenStore | None = None,
) -> Path:
    """Write the user's OAuth client beside the token file; return the client file's path.

    ``client_secret`` None is a public client. ``issuer`` is written only when given (see the
    module's issuer rule); then Google's ``auth_uri`` is not, since it would not be this
    issuer's. Raises ValueError for malformed input (naming the field, never its value) and
    StorageError when the file cannot be written.
    """
    if issuer is not None:
        issuer = require_secure_url(checked_field(issuer, "issuer"), what="issuer")
    client = ClientConfig(
        client_id=checked_field(client_id, "client_id"),
        client_secret=None
        if client_secret is None
        else checked_field(client_secret, "client_secret"),
        token_uri=GOOGLE_TOKEN_URI,
        auth_uri=None if issuer else GOOGLE_AUTH_URI,
        issuer=issuer,
    )
    store = store or TokenStore()
    store.save_client(client)
    return store.client_path


def load_client_secrets_file(path: str | Path) -> tuple[str, str | None]:
    """Client ID and secret from the JSON Google's console downloads (``web`` or ``installed``).

    Raises ValueError with a message that names the file and never its secret.
    """
    path = Path(path).expanduser()
    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise ValueError(f"Cannot read the client secrets file {path}: {exc.strerror}") from None
    except ValueError:
        raise ValueError(f"The client secrets file {path} is not valid JSON.") from None
    section = (data.get("web") or data.get("installed")) if isinstance(data, dict) else None
    if not isinstance(section, dict):
        raise ValueError(f"The client secrets file {path} has no 'web' or 'installed' object.")
    client_id, secret = section.get("client_id"), section.get("client_secret")
    if not isinstance(client_id, str) or not client_id:
        raise ValueError(f"The client secrets file {path} has no client_id.")
    if secret is not None and not isinstance(secret, str):
        raise ValueError(f"The client secrets file {path} has a client_secret that is no string.")
    return client_id, secret or None
