"""The REST handler on a real Jupyter server: happy paths, authentication and XSRF."""

from __future__ import annotations

import asyncio
import json
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
from kernel_support import Demo, offline_tokens, posix_only, recording_server
from server_helpers import (
    CookieSession,
    Fetch,
    closed_loopback_url,
    json_of,
    jupyter_config,
    snapshot,
    token_values,
    valid_body,
)

from tokentoss.errors import TokenRefreshError
from tokentoss.refresh import refresh_now
from tokentoss.store import ClientConfig, TokenStore

UploadBody = Callable[[], Awaitable[dict[str, Any]]]

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")

STATUS_KEYS = {
    "signed_in",
    "email",
    "name",
    "expires_at",
    "scopes",
    "issuer",
    "client_id",
    "token_file",
    "missing_scopes",
    "can_refresh",
    "refresh_token_expires_at",
}


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    """The extension enabled; depends on token_file so the env is set before start-up."""
    return jupyter_config()


async def test_status_when_signed_out(api: Fetch, token_file: Path) -> None:
    response = await api("status")
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["Cache-Control"] == "no-store"
    assert json_of(response) == {
        "signed_in": False,
        "email": None,
        "name": None,
        "expires_at": None,
        "scopes": [],
        "issuer": None,
        "client_id": None,
        "token_file": str(token_file),
        "missing_scopes": [],
        "can_refresh": False,
        "refresh_token_expires_at": None,
    }


def signed_in_offline(token_file: Path) -> None:
    """A token file as a sign-in leaves it, written directly (for tests of other routes)."""
    TokenStore(token_file).save(offline_tokens(token_uri=closed_loopback_url() + "/token"))


@posix_only
async def test_put_writes_the_token_and_client_files(
    api: Fetch, token_file: Path, upload_body: UploadBody, demo: Demo
) -> None:
    body = await upload_body()
    email = jwt.decode(body["id_token"], options={"verify_signature": False})["email"]
    token_uri = demo.discovery()["token_endpoint"]
    response = await api("tokens", method="PUT", json_body=body)
    assert response.code == 200, response.body
    status = json_of(response)
    assert set(status) == STATUS_KEYS
    assert status["signed_in"] is True
    assert status["email"] == email
    assert status["name"] == "Demo User"  # the ID token's (profile granted)
    assert status["scopes"] == body["scopes"]
    assert status["issuer"] == body["issuer"]
    assert status["client_id"] == demo.client_id
    for secret in token_values(body):
        assert secret not in response.body.decode()

    saved = json.loads(token_file.read_text())
    # tokentoss 0.1 keys, so existing notebooks keep working.
    assert saved["access_token"] == body["access_token"]
    assert saved["id_token"] == body["id_token"]
    assert saved["refresh_token"] == body["refresh_token"]
    assert saved["scopes"] == body["scopes"]
    assert saved["user_email"] == email
    assert saved["user_name"] == "Demo User"
    assert saved["token_uri"] == token_uri
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(token_file.parent.stat().st_mode) == 0o700

    client = json.loads((token_file.parent / "client_secrets.json").read_text())["installed"]
    assert client["client_id"] == demo.client_id
    assert client["client_secret"] == demo.client_secret
    assert client["token_uri"] == token_uri
    assert client["issuer"] == body["issuer"]

    again = json_of(await api("status"))
    assert again == status


async def test_put_then_delete_signs_out(
    api: Fetch, token_file: Path, upload_body: UploadBody
) -> None:
    assert (await api("tokens", method="PUT", json_body=await upload_body())).code == 200
    response = await api("tokens", method="DELETE")
    assert response.code == 200
    answer = json_of(response)
    assert answer["signed_in"] is False
    # A real sign-in with a refresh token: the provider revoked the whole grant.
    assert answer["revoked"] is True
    assert answer["revocation"] == "grant"
    assert not token_file.exists()
    assert (token_file.parent / "client_secrets.json").exists()
    # Signing out twice is not an error.
    assert (await api("tokens", method="DELETE")).code == 200


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("<b onmouseover=alert(1)>Eve</b>", "<b onmouseover=alert(1)>Eve</b>"),  # text, as is
        ("Eve\u202eecilA", None),  # a bidi override: no name rather than a misleading one
        ("Eve\x1b[2J", None),
    ],
)
async def test_put_stores_only_a_vouched_name(
    api: Fetch, token_file: Path, upload_body: UploadBody, demo: Demo, name: str, stored: str | None
) -> None:
    demo.control(name=name)  # the provider's ID token (and userinfo) carry it
    body = await upload_body()
    response = await api("tokens", method="PUT", json_body={**body, "user_name": stored})
    assert response.code == 200, response.body
    assert json_of(response)["name"] == stored
    assert json.loads(token_file.read_text()).get("user_name") == stored


async def test_refresh_when_signed_out_is_409(api: Fetch) -> None:
    response = await api("refresh", method="POST")
    assert response.code == 409
    assert json_of(response)["reason"] == "not_signed_in"
    assert "sign in" in json_of(response)["message"].lower()


async def test_refresh_with_unreachable_issuer_is_502_and_keeps_the_file(
    api: Fetch, token_file: Path
) -> None:
    signed_in_offline(token_file)
    before = snapshot(token_file.parent)
    response = await api("refresh", method="POST")
    assert response.code == 502
    assert json_of(response)["reason"] == "network"
    assert snapshot(token_file.parent) == before


async def test_refresh_error_answer_carries_no_secret_the_provider_echoed(
    api: Fetch, token_file: Path
) -> None:
    secret, refresh = "cs-" + "s" * 24, "rt-" + "r" * 24
    echo = json.dumps(
        {"error": f"invalid_client {secret}", "error_description": f"{secret} / {refresh}"}
    ).encode()
    with recording_server(status=400, body=echo) as endpoint:
        tokens = offline_tokens(refresh_token=refresh, token_uri=endpoint.url + "/token")
        client = ClientConfig(tokens.client_id or "", secret, tokens.token_uri or "")
        TokenStore(token_file).save(tokens, client)
        response = await api("refresh", method="POST")
        assert len(endpoint.requests) == 1
    assert response.code == 502
    assert json_of(response)["reason"] == "server"
    for value in (secret, refresh, tokens.access_token, tokens.id_token):
        assert value.encode() not in response.body


async def test_refresh_through_an_insecure_token_uri_is_502_not_500(
    api: Fetch, token_file: Path
) -> None:
    # A token file written before URLs were checked (tokentoss 0.1) may hold one.
    store = TokenStore(token_file)
    store.save(offline_tokens(token_uri="http://oauth.example/token"))
    with pytest.raises(TokenRefreshError) as caught:
        refresh_now(store)
    assert caught.value.reason == "server"
    response = await api("refresh", method="POST")
    assert response.code == 502
    assert json_of(response)["reason"] == "server"
    assert "plain http" in json_of(response)["message"]


async def test_concurrent_puts_leave_one_whole_file(
    api: Fetch, token_file: Path, upload_body: UploadBody
) -> None:
    bodies = [await upload_body() for _ in range(8)]  # 8: every one still registered
    answers = await asyncio.gather(
        *(api("tokens", method="PUT", json_body=body) for body in bodies)
    )
    assert [a.code for a in answers] == [200] * len(bodies)
    saved = json.loads(token_file.read_text())
    # ID tokens differ by their nonce (the provider's access tokens may repeat within a second).
    winner = next(b for b in bodies if b["id_token"] == saved["id_token"])
    assert saved["access_token"] == winner["access_token"]
    assert saved["refresh_token"] == winner["refresh_token"]


# --- authentication -------------------------------------------------------------------------

ALL_ROUTES = [
    ("GET", "status"),
    ("PUT", "tokens"),
    ("POST", "refresh"),
    ("DELETE", "tokens"),
]


@pytest.mark.parametrize(("method", "path"), ALL_ROUTES)
async def test_unauthenticated_requests_are_403(
    method: str,
    path: str,
    http_server_client: Any,
    jp_base_url: str,
    token_file: Path,
    api: Fetch,
) -> None:
    signed_in_offline(token_file)
    before = snapshot(token_file.parent)
    body = json.dumps(valid_body()).encode() if method in {"PUT", "POST"} else None
    response = await http_server_client.fetch(
        f"{jp_base_url}tokentoss/{path}",
        method=method,
        body=body,
        headers={"Content-Type": "application/json"},
        raise_error=False,
        follow_redirects=False,
    )
    assert response.code == 403
    assert snapshot(token_file.parent) == before


@pytest.mark.parametrize(("method", "path"), ALL_ROUTES)
async def test_wrong_token_is_403(method: str, path: str, api: Fetch) -> None:
    body = json.dumps(valid_body()).encode() if method in {"PUT", "POST"} else None
    response = await api(path, method=method, body=body, headers={"Authorization": "token wrong"})
    assert response.code == 403


MUTATING_ROUTES = [("PUT", "tokens"), ("POST", "refresh"), ("DELETE", "tokens")]


@pytest.mark.parametrize(("method", "path"), MUTATING_ROUTES)
async def test_cookie_auth_without_xsrf_is_403(
    method: str, path: str, cookie_session: CookieSession, api: Fetch, token_file: Path
) -> None:
    signed_in_offline(token_file)
    before = snapshot(token_file.parent)
    body = json.dumps(valid_body()).encode() if method == "PUT" else None
    headers = {"Content-Type": "application/json"}
    response = await cookie_session.fetch(
        f"tokentoss/{path}", method=method, body=body, headers=headers
    )
    assert response.code == 403
    assert "xsrf" in response.body.decode().lower()
    # A wrong XSRF value is refused too.
    response = await cookie_session.fetch(
        f"tokentoss/{path}",
        method=method,
        body=body,
        headers={**headers, "X-XSRFToken": "2|00000000|" + "0" * 32 + "|1700000000"},
    )
    assert response.code == 403
    assert snapshot(token_file.parent) == before


async def test_cookie_auth_with_xsrf_works_for_every_verb(
    cookie_session: CookieSession, token_file: Path, upload_body: UploadBody
) -> None:
    status = await cookie_session.fetch("tokentoss/status")
    assert status.code == 200, "GET needs no XSRF token"

    body = await upload_body()
    put = await cookie_session.fetch(
        "tokentoss/tokens",
        method="PUT",
        body=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        xsrf=True,
    )
    assert put.code == 200, put.body
    assert json.loads(token_file.read_text())["access_token"] == body["access_token"]

    delete = await cookie_session.fetch("tokentoss/tokens", method="DELETE", xsrf=True)
    assert delete.code == 200
    assert not token_file.exists()

    # Past the XSRF check, the handler answers for itself: nobody is signed in now.
    refresh = await cookie_session.fetch("tokentoss/refresh", method="POST", xsrf=True)
    assert refresh.code == 409
    assert json.loads(refresh.body)["reason"] == "not_signed_in"
