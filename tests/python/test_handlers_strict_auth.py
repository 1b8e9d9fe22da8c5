"""With ServerApp.allow_unauthenticated_access = False (every route must opt out of auth),
the callback page still opens and the REST routes still demand auth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from server_helpers import jupyter_config

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    """A server that refuses every request not explicitly allowed without auth."""
    return jupyter_config(ServerApp={"allow_unauthenticated_access": False})


async def test_callback_opens_and_rest_stays_closed(
    http_server_client: Any, jp_base_url: str
) -> None:
    # An unknown state: the callback answers its own 303 to the outcome page (not a login
    # redirect), and the outcome page and its assets are served without auth.
    callback = await http_server_client.fetch(
        f"{jp_base_url}tokentoss/callback?code=c&state=s",
        raise_error=False,
        follow_redirects=False,
    )
    assert callback.code == 303
    assert callback.headers["Location"] == f"{jp_base_url}tokentoss/callback/done"
    for path in ("callback/done?state=s", "callback.js", "callback.css"):
        response = await http_server_client.fetch(
            f"{jp_base_url}tokentoss/{path}", raise_error=False, follow_redirects=False
        )
        assert response.code == 200, path
    status = await http_server_client.fetch(
        f"{jp_base_url}tokentoss/status", raise_error=False, follow_redirects=False
    )
    assert status.code == 403
