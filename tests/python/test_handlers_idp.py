"""POST refresh and DELETE tokens against the real local identity provider (demo/servers.mjs).

The sign-in is the authorization-code flow against that provider; the server refreshes and
revokes over real HTTP. Also: a whole sign-in, refresh, failure and sign-out cycle leaves no
token value anywhere in the server's log.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests
from kernel_support import Demo
from server_helpers import Fetch, json_of, jupyter_config, snapshot

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    """The extension enabled; depends on token_file so the env is set before start-up."""
    return jupyter_config()


async def _put(api: Fetch, body: dict[str, Any]) -> None:
    response = await api("tokens", method="PUT", json_body=body)
    assert response.code == 200, response.body


async def test_refresh_uses_the_refresh_token(
    api: Fetch, demo: Demo, token_file: Path, upload_body: Any
) -> None:
    body = await upload_body()
    await _put(api, body)

    response = await api("refresh", method="POST")
    assert response.code == 200, response.body
    status = json_of(response)
    assert status["signed_in"] is True
    assert status["email"] == demo_email(body)
    assert demo.stats()["refresh_requests"] == 1

    saved = json.loads(token_file.read_text())
    assert saved["id_token"] != body["id_token"]
    # Like Google, the provider sends no new refresh token: the old one is kept.
    assert saved["refresh_token"] == body["refresh_token"]
    # The new ID token is a real one from the provider, for this client.
    claims = jwt.decode(saved["id_token"], options={"verify_signature": False})
    assert claims["aud"] == demo.client_id
    assert claims["iss"] == demo.issuer


@pytest.mark.parametrize(
    ("behaviour", "code", "reason"),
    [("invalid_grant", 409, "invalid_grant"), ("server_error", 502, "server")],
)
async def test_failed_refresh_keeps_the_file(
    behaviour: str,
    code: int,
    reason: str,
    api: Fetch,
    demo: Demo,
    token_file: Path,
    upload_body: Any,
) -> None:
    await _put(api, await upload_body())
    before = snapshot(token_file.parent)
    demo.control(refresh=behaviour)
    response = await api("refresh", method="POST")
    assert response.code == code, response.body
    error = json_of(response)
    assert error["reason"] == reason
    assert error["message"]
    assert snapshot(token_file.parent) == before


async def test_delete_revokes_the_grant_at_the_provider(
    api: Fetch, demo: Demo, token_file: Path, upload_body: Any
) -> None:
    body = await upload_body()
    await _put(api, body)

    response = await api("tokens", method="DELETE")
    assert response.code == 200
    answer = json_of(response)
    assert answer["revoked"] is True
    assert answer["revocation"] == "grant"
    assert answer["signed_in"] is False
    assert not token_file.exists()
    assert demo.stats()["revocations"] == 1

    # The grant is really dead: the provider refuses the old refresh token now.
    refused = requests.post(
        demo.discovery()["token_endpoint"],
        data={
            "grant_type": "refresh_token",
            "refresh_token": body["refresh_token"],
            "client_id": demo.client_id,
            "client_secret": demo.client_secret,
        },
        timeout=10,
    )
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"

    after = await api("refresh", method="POST")
    assert after.code == 409
    assert json_of(after)["reason"] == "not_signed_in"


async def test_no_token_value_in_the_server_log(
    api: Fetch,
    demo: Demo,
    token_file: Path,
    caplog: pytest.LogCaptureFixture,
    upload_body: Any,
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: set[str] = set()

    def remember(tokens: dict[str, Any]) -> None:
        for key in ("access_token", "id_token", "refresh_token", "client_secret"):
            if tokens.get(key):
                seen.add(tokens[key])

    body = await upload_body()
    remember(body)
    await _put(api, body)
    assert (await api("status")).code == 200
    assert (await api("refresh", method="POST")).code == 200
    remember(json.loads(token_file.read_text()))

    # Refused requests are logged by jupyter_server as warnings: their bodies must not be.
    refused = dict(await upload_body(), expires_at="9999-12-31T23:59:59+00:00")
    remember(refused)
    assert (await api("tokens", method="PUT", json_body=refused)).code == 400
    huge = dict(refused, access_token="ya29." + "x" * 70_000)
    assert (await api("tokens", method="PUT", json_body=huge)).code == 413
    mismatched = dict(refused, expires_at=body["expires_at"], client_id="someone-else")
    assert (await api("tokens", method="PUT", json_body=mismatched)).code == 400

    demo.control(refresh="invalid_grant")
    assert (await api("refresh", method="POST")).code == 409
    demo.control(refresh="server_error")
    assert (await api("refresh", method="POST")).code == 502
    demo.reset()
    assert (await api("tokens", method="DELETE")).code == 200

    log = caplog.text
    # The capture really holds the server's log, at debug level, errors included.
    for expected in ("tokentoss: refresh failed", "400 PUT", "413 PUT", "409 POST", "502 POST"):
        assert expected in log
    assert len(seen) >= 5
    leaked = [value[:12] + "..." for value in seen if value in log]
    assert leaked == [], f"token values in the server log: {leaked}"


def demo_email(body: dict[str, Any]) -> str:
    """The email the provider put in the ID token."""
    claims = jwt.decode(body["id_token"], options={"verify_signature": False})
    return str(claims["email"])
