"""The REST handler on a real Jupyter server: happy paths, authentication and XSRF."""

from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from kernel_support import offline_tokens, posix_only, recording_server
from server_helpers import (
    CookieSession,
    Fetch,
    json_of,
    jupyter_config,
    snapshot,
    token_values,
    valid_body,
)

from tokentoss.errors import TokenRefreshError
from tokentoss.refresh import refresh_now
from tokentoss.store import TokenStore

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")

STATUS_KEYS = {"signed_in", "email", "expires_at", "scopes", "issuer", "client_id", "token_file"}


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
        "expires_at": None,
        "scopes": [],
        "issuer": None,
        "client_id": None,
        "token_file": str(token_file),
    }


@posix_only
async def test_put_writes_the_token_and_client_files(api: Fetch, token_file: Path) -> None:
    body = valid_body()
    response = await api("tokens", method="PUT", json_body=body)
    assert response.code == 200, response.body
    status = json_of(response)
    assert set(status) == STATUS_KEYS
    assert status["signed_in"] is True
    assert status["email"] == "alice@example.com"
    assert status["scopes"] == body["scopes"]
    assert status["issuer"] == body["issuer"]
    assert status["client_id"] == "client-123"
    for secret in token_values(body):
        assert secret not in response.body.decode()

    saved = json.loads(token_file.read_text())
    # tokentoss 0.1 keys, so existing notebooks keep working.
    assert saved["access_token"] == body["access_token"]
    assert saved["id_token"] == body["id_token"]
    assert saved["refresh_token"] == body["refresh_token"]
    assert saved["scopes"] == body["scopes"]
    assert saved["user_email"] == "alice@example.com"
    assert saved["token_uri"] == body["token_uri"]
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(token_file.parent.stat().st_mode) == 0o700

    client = json.loads((token_file.parent / "client_secrets.json").read_text())["installed"]
    assert client["client_id"] == "client-123"
    assert client["client_secret"] == "not-so-secret"
    assert client["token_uri"] == body["token_uri"]
    assert client["issuer"] == body["issuer"]

    again = json_of(await api("status"))
    assert again == status


async def test_put_then_delete_signs_out(api: Fetch, token_file: Path) -> None:
    assert (await api("tokens", method="PUT", json_body=valid_body())).code == 200
    response = await api("tokens", method="DELETE")
    assert response.code == 200
    answer = json_of(response)
    assert answer["signed_in"] is False
    # The issuer in valid_body() refuses connections: revocation is best effort.
    assert answer["revoked"] is False
    assert answer["revocation"] is None
    assert not token_file.exists()
    assert (token_file.parent / "client_secrets.json").exists()
    # Signing out twice is not an error.
    assert (await api("tokens", method="DELETE")).code == 200


async def test_refresh_when_signed_out_is_409(api: Fetch) -> None:
    response = await api("refresh", method="POST")
    assert response.code == 409
    assert json_of(response)["reason"] == "not_signed_in"
    assert "sign in" in json_of(response)["message"].lower()


async def test_refresh_with_unreachable_issuer_is_502_and_keeps_the_file(
    api: Fetch, token_file: Path
) -> None:
    assert (await api("tokens", method="PUT", json_body=valid_body())).code == 200
    before = snapshot(token_file.parent)
    response = await api("refresh", method="POST")
    assert response.code == 502
    assert json_of(response)["reason"] == "network"
    assert snapshot(token_file.parent) == before


async def test_refresh_error_answer_carries_no_secret_the_provider_echoed(api: Fetch) -> None:
    secret, refresh = "cs-" + "s" * 24, "rt-" + "r" * 24
    echo = json.dumps(
        {"error": f"invalid_client {secret}", "error_description": f"{secret} / {refresh}"}
    ).encode()
    with recording_server(status=400, body=echo) as endpoint:
        body = valid_body(
            client_secret=secret, refresh_token=refresh, token_uri=endpoint.url + "/token"
        )
        assert (await api("tokens", method="PUT", json_body=body)).code == 200
        response = await api("refresh", method="POST")
        assert len(endpoint.requests) == 1
    assert response.code == 502
    assert json_of(response)["reason"] == "server"
    for value in token_values(body):
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


async def test_concurrent_puts_leave_one_whole_file(api: Fetch, token_file: Path) -> None:
    bodies = [valid_body(user_email=None) for _ in range(8)]
    answers = await asyncio.gather(
        *(api("tokens", method="PUT", json_body=body) for body in bodies)
    )
    assert [a.code for a in answers] == [200] * len(bodies)
    saved = json.loads(token_file.read_text())
    assert any(saved["access_token"] == b["access_token"] for b in bodies)
    winner = next(b for b in bodies if b["access_token"] == saved["access_token"])
    assert saved["id_token"] == winner["id_token"]
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
    assert (await api("tokens", method="PUT", json_body=valid_body())).code == 200
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
    assert (await api("tokens", method="PUT", json_body=valid_body())).code == 200
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
    cookie_session: CookieSession, token_file: Path
) -> None:
    status = await cookie_session.fetch("tokentoss/status")
    assert status.code == 200, "GET needs no XSRF token"

    body = valid_body()
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
