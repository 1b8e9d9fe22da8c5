"""The user's own OAuth client: ``client_secrets.json`` beside the token file.

What ``tokentoss configure`` and 0.1's ``configure()`` write. With it, and no client in the
server's configuration, the JupyterLab server redeems sign-in codes itself (DESIGN's source
(3)); kernels read it to refresh. Written by the store's writer: 0600, atomic, under its lock.
"""

from __future__ import annotations

import json
from pathlib import Path

from tokentoss.store import TokenStore
from tokentoss.tokendata import GOOGLE_TOKEN_URI, ClientConfig

__all__ = ["DEFAULT_ISSUER", "configure", "load_client_secrets_file"]

DEFAULT_ISSUER = "https://accounts.google.com"


def configure(
    client_id: str,
    client_secret: str | None = None,
    *,
    issuer: str | None = None,
    token_file: str | Path | None = None,
) -> Path:
    """Write the user's OAuth client beside the token file; returns the client file's path.

    Keys other tools wrote in the file (``redirect_uris``, ``project_id``) are kept.
    """
    if not client_id or not isinstance(client_id, str):
        raise ValueError("client_id must be a non-empty string")
    store = TokenStore(token_file)
    client = ClientConfig(
        client_id=client_id,
        client_secret=client_secret or None,
        token_uri=GOOGLE_TOKEN_URI,
        issuer=issuer or DEFAULT_ISSUER,
    )
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
