"""Under a JupyterHub-style base URL (/user/alice/) every route moves with it."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from server_helpers import Fetch, json_of, jupyter_config

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")


@pytest.fixture
def jp_base_url() -> str:
    """What JupyterHub gives a single-user server."""
    return "/user/alice/"


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    """The extension enabled; depends on token_file so the env is set before start-up."""
    return jupyter_config()


async def test_rest_routes_live_under_the_base_url(
    api: Fetch,
    token_file: Path,
    http_server_client: Any,
    jp_auth_header: dict[str, str],
    upload_body: Any,
) -> None:
    body = await upload_body()  # its callback went through /user/alice/tokentoss/callback
    put = await api("tokens", method="PUT", json_body=body)
    assert put.code == 200, put.body
    assert urllib.parse.urlsplit(put.effective_url).path == "/user/alice/tokentoss/tokens"
    assert json.loads(token_file.read_text())["access_token"] == body["access_token"]
    assert json_of(await api("status"))["signed_in"] is True

    # Nothing answers at the server root.
    root = await http_server_client.fetch(
        "/tokentoss/status", headers=jp_auth_header, raise_error=False
    )
    assert root.code == 404


async def test_callback_lives_under_the_base_url(
    http_server_client: Any,
) -> None:
    for path in ("callback/done", "callback.js", "callback.css"):
        response = await http_server_client.fetch(
            f"/user/alice/tokentoss/{path}", raise_error=False, follow_redirects=False
        )
        assert response.code == 200, path
    answer = await http_server_client.fetch(
        "/user/alice/tokentoss/callback", raise_error=False, follow_redirects=False
    )
    assert (answer.code, answer.headers["Location"]) == (
        303,
        "/user/alice/tokentoss/callback/done",
    )
