"""A server-held OAuth client (issue 9): the server redeems the code, the browser sees no secret.

A real Jupyter server configured with the demo provider's client through ``TokenTossConfig``;
a real HTTP client drives the provider's authorization endpoint and follows every redirect to
the server's callback, as the popup does. Fails on main: no ``TokenTossConfig.client_id``, no
``signins`` route, and ``GET callback`` serves a page with the code in its URL.
"""

from __future__ import annotations

import json
import stat
import urllib.parse
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import jwt
import pytest
from kernel_support import Demo
from server_helpers import (
    Fetch,
    authorization_url,
    follow,
    json_of,
    jupyter_config,
    register,
)

from tokentoss.refresh import refresh_now
from tokentoss.store import TokenStore

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")

HUB_REDIRECT = "https://hub.example/hub/user-redirect/tokentoss/callback"


@pytest.fixture
def jp_server_config(token_file: Path, demo_servers: Demo) -> dict[str, Any]:
    """The demo provider's client held by the server, as an admin configures it."""
    return jupyter_config(
        TokenTossConfig={
            "client_id": demo_servers.client_id,
            "client_secret": demo_servers.client_secret,
            "issuer": demo_servers.issuer,
        }
    )


async def test_client_is_described_without_its_secret(
    api: Fetch, demo: Demo, jp_serverapp: Any
) -> None:
    answer = await api("client")
    info = json_of(answer)
    assert info == {
        "source": "server_config",
        "managed_fields": ["clientId", "clientSecret", "issuer", "scopes", "hostedDomain"],
        "origin": "jupyter_server_config",
        "client_id": demo.client_id,
        "issuer": demo.issuer,
        "scopes": ["openid", "email", "profile"],
        "hosted_domain": None,
        "redirect_uri": None,
        "has_secret": True,
    }
    assert demo.client_secret not in answer.body.decode()
    # The same description reaches the lab's page config, computed at start-up.
    page_config = jp_serverapp.web_app.settings["page_config_data"]
    assert json.loads(page_config["tokentossClient"]) == info


async def test_server_mode_sign_in_end_to_end(
    api: Fetch, demo: Demo, redirect_uri: str, token_file: Path
) -> None:
    reg = await register(api, redirect_uri, mode="server")
    hops = await follow(authorization_url(demo, reg))

    # provider 302 → callback 303 → outcome page 200
    assert [h.code for h in hops][-3:] == [302, 303, 200]
    assert hops[-1].effective_url.endswith(f"tokentoss/callback/done?state={reg.state}")
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(hops[-3].headers["Location"]).query)
    assert b'data-outcome="succeeded"' in hops[-1].body
    for hop in hops:
        seen = hop.body + json.dumps(dict(hop.headers.get_all())).encode()
        assert demo.client_secret.encode() not in seen
    # The only response whose URL carries the code is the callback's 303, which loads nothing.
    for hop in hops[-2:]:
        assert code["code"][0] not in hop.effective_url or hop.code == 303
        assert code["code"][0].encode() not in hop.body

    status = json_of(await api(f"signins/{reg.state}"))
    assert status == {
        "state": reg.state,
        "mode": "server",
        "status": "succeeded",
        "reason": None,
        "message": None,
        "callback": None,
    }
    saved = json.loads(token_file.read_text())
    claims = jwt.decode(saved["id_token"], options={"verify_signature": False})
    assert claims["nonce"] == reg.nonce
    me = json_of(await api("status"))
    assert me["signed_in"] is True
    assert me["email"] == claims["email"]
    assert saved["token_uri"] == demo.discovery()["token_endpoint"]
    client_file = token_file.parent / "client_secrets.json"
    record = json.loads(client_file.read_text())["installed"]
    assert record["client_secret"] == demo.client_secret  # kernels refresh on their own
    assert record["tokentoss_sign_in_record"] is True
    assert stat.S_IMODE(client_file.stat().st_mode) == 0o600
    # A kernel refreshes with what the server stored.
    refresh_now(TokenStore(token_file))
    assert demo.stats()["refresh_requests"] == 1

    # The same callback again is refused and leaves the sign-in as it was.
    again = await follow(hops[-3].headers["Location"])
    assert again[0].headers["Location"].endswith("tokentoss/callback/done")
    assert json_of(await api(f"signins/{reg.state}"))["status"] == "succeeded"


async def test_wrong_verifier_fails_the_sign_in_and_stores_nothing(
    api: Fetch, demo: Demo, redirect_uri: str, token_file: Path
) -> None:
    reg = await register(api, redirect_uri, mode="server")
    reg.verifier = "another-verifier-" + "x" * 30  # the challenge no longer matches
    hops = await follow(authorization_url(demo, reg))
    assert b'data-outcome="failed"' in hops[-1].body
    status = json_of(await api(f"signins/{reg.state}"))
    assert (status["status"], status["reason"]) == ("failed", "token_endpoint")
    assert "invalid_grant" in status["message"]
    assert not token_file.exists()


async def test_redirect_uri_must_be_the_configured_one_when_set(
    api: Fetch, jp_serverapp: Any
) -> None:
    from dataclasses import replace

    from tokentoss.server.handlers import SERVER_CLIENT_SETTING

    settings = jp_serverapp.web_app.settings
    settings[SERVER_CLIENT_SETTING] = replace(
        settings[SERVER_CLIENT_SETTING], redirect_uri=HUB_REDIRECT
    )
    body = {
        "state": "s" * 43,
        "nonce": "n" * 43,
        "code_verifier": "v" * 43,
        "redirect_uri": "https://elsewhere.example/tokentoss/callback",
        "mode": "server",
    }
    answer = await api("signins", method="POST", json_body=body)
    assert (answer.code, json_of(answer)["reason"]) == (400, "redirect_uri_mismatch")
    body["redirect_uri"] = HUB_REDIRECT
    assert (await api("signins", method="POST", json_body=body)).code == 201


async def test_server_redemption_records_consent_as_uploads_do(
    api: Fetch, demo: Demo, redirect_uri: str
) -> None:
    # What the server asked for (its client's scopes) and the refresh token's lifetime.
    demo.control(unticked_scopes=["profile"], refresh_token_expires_in=604800)
    reg = await register(api, redirect_uri, mode="server")
    hops = await follow(authorization_url(demo, reg))
    assert b'data-outcome="succeeded"' in hops[-1].body
    status = json_of(await api("status"))
    assert status["missing_scopes"] == ["profile"]
    assert status["can_refresh"] is True
    at = datetime.fromisoformat(status["refresh_token_expires_at"])
    assert at - datetime.now(timezone.utc) > timedelta(days=6)
