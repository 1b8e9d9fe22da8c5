"""``PUT client``: the in-cell client form (``ConfigureWidget``) installs the user's OAuth client.

The browser sends ``{"client_id", "client_secret"}`` (optionally ``project_id``) here, through
Jupyter's auth and XSRF check; the server writes the user's client file with the writer that
``tokentoss.configure()`` and ``tokentoss configure`` use (``tokentoss.client_file``), so
neither value passes through a kernel or a notebook. The answer never carries the secret. The
file then counts as the server-held client of source (3) in DESIGN's order (after the server's
configuration and the Settings Editor).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tokentoss._redact import redact
from tokentoss.client_file import write_user_client
from tokentoss.errors import StorageError
from tokentoss.store import TokenStore

from .body_schema import check_shape
from .request_checks import ValidationError, check_content_type, check_size, parse_json_object

__all__ = ["SCHEMA", "parse_client_body", "save_user_client"]

SCHEMA = "user-client"


def parse_client_body(
    body: bytes, content_type: str | None, content_length: str | None
) -> dict[str, str]:
    """The form's fields, shape-checked by ``schemas/user-client.json``.

    Messages name the field and the rule, never a value, nor a key the body made up (a token
    pasted as a key would otherwise come back in the answer and the server's log).
    """
    check_size(content_length, body)
    check_content_type(content_type)
    data = parse_json_object(body)
    check_shape(data, SCHEMA)
    return {name: value for name, value in data.items() if value is not None}


def _write(store: TokenStore, fields: dict[str, str]) -> Path:
    try:
        # project_id is accepted as 0.1's configure() accepts it; nothing reads it.
        return write_user_client(fields["client_id"], fields["client_secret"], store=store)
    except ValueError as exc:  # the message names the field, never its value
        raise ValidationError(str(exc)) from None


async def save_user_client(store: TokenStore, fields: dict[str, str]) -> dict[str, Any]:
    """Write the user's client file off the event loop; answer what was saved, never the secret."""
    try:
        path = await asyncio.to_thread(_write, store, fields)
    except StorageError as exc:
        raise ValidationError(
            redact(str(exc), (fields["client_secret"],)), "storage", 500
        ) from None
    return {"saved": True, "client_id": fields["client_id"].strip(), "path": str(path)}
