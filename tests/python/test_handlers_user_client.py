"""``PUT tokentoss/client``: the in-cell client form installs the user's OAuth client (issue 11)."""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path
from typing import Any

import pytest
from kernel_support import posix_only
from server_helpers import CookieSession, Fetch, json_of, jupyter_config

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")

SECRET = "GOCSPX-form-secret-value"
BODY = {"client_id": "123.apps.example", "client_secret": SECRET}
ADMIN_ISSUER = "https://idp.example.org"


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    """The extension enabled; depends on token_file so the env is set before start-up."""
    return jupyter_config(TokenTossConfig={"issuer": ADMIN_ISSUER})


@posix_only
async def test_saves_the_users_client_file_as_configure_does(api: Fetch, token_file: Path) -> None:
    response = await api("client", method="PUT", json_body=BODY)
    assert response.code == 200
    client_file = token_file.with_name("client_secrets.json")
    assert json_of(response) == {
        "saved": True,
        "client_id": "123.apps.example",
        "path": str(client_file),
    }
    assert SECRET.encode() not in response.body
    assert stat.S_IMODE(client_file.stat().st_mode) == 0o600
    section = json.loads(client_file.read_text())["installed"]
    assert section["client_id"] == "123.apps.example"
    assert section["client_secret"] == SECRET
    assert section["token_uri"] == "https://oauth2.googleapis.com/token"
    # No issuer key: the server's TokenTossConfig.issuer applies to the user's client.
    assert "issuer" not in section
    info = json_of(await api("client"))
    assert (info["source"], info["client_id"], info["issuer"]) == (
        "user_client_file",
        "123.apps.example",
        ADMIN_ISSUER,
    )


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"client_id": "x"}, "missing_field"),
        ({**BODY, "issuer": "https://evil.example"}, "unknown_field"),
        ({**BODY, "client_id": ""}, "invalid_body"),
        ({**BODY, "client_secret": 5}, "invalid_body"),
        ({**BODY, "client_secret": SECRET + " more"}, "invalid_body"),
    ],
)
async def test_refuses_bad_bodies_without_echoing_the_secret(
    api: Fetch, token_file: Path, body: dict[str, Any], reason: str
) -> None:
    response = await api("client", method="PUT", json_body=body)
    assert response.code == 400
    assert json_of(response)["reason"] == reason
    assert SECRET.encode() not in response.body
    assert not token_file.with_name("client_secrets.json").exists()


# What a user might paste into the wrong place: a Google access token, a client secret, an
# opaque token of letters and digits (the old message listed every unknown key as sent).
TOKEN_LIKE_KEYS = ["ya29.a0AfH6SMBx-pasted-access-token", SECRET, "ghp_" + "a1B2c3D4" * 4]


@pytest.mark.parametrize("key", TOKEN_LIKE_KEYS, ids=["access-token", "secret", "opaque"])
async def test_a_key_that_looks_like_a_token_is_not_echoed(
    api: Fetch, token_file: Path, caplog: pytest.LogCaptureFixture, key: str
) -> None:
    caplog.set_level(logging.DEBUG)
    response = await api("client", method="PUT", json_body={**BODY, key: "x", "extra": 1})
    assert response.code == 400
    assert key.encode() not in response.body
    assert "Unknown field(s)" in caplog.text  # the refusal was logged, without the key
    assert key not in caplog.text
    answer = json_of(response)
    assert answer["reason"] == "unknown_field"
    listed = answer["message"].removeprefix("Unknown field(s): ").split(", ")
    assert sorted(listed) == ["<unprintable>", "extra"]  # a plain name still helps a typo
    assert not token_file.with_name("client_secrets.json").exists()


async def test_refuses_other_media_types(api: Fetch, token_file: Path) -> None:
    response = await api(
        "client", method="PUT", body=json.dumps(BODY), headers={"Content-Type": "text/plain"}
    )
    assert response.code == 415


async def test_a_browser_needs_the_xsrf_token(
    cookie_session: CookieSession, token_file: Path
) -> None:
    body = json.dumps(BODY).encode()
    headers = {"Content-Type": "application/json"}
    refused = await cookie_session.fetch(
        "tokentoss/client", method="PUT", body=body, headers=headers
    )
    assert refused.code == 403
    assert not token_file.with_name("client_secrets.json").exists()
    accepted = await cookie_session.fetch(
        "tokentoss/client", method="PUT", body=body, headers=headers, xsrf=True
    )
    assert accepted.code == 200


async def test_needs_jupyter_authentication(
    jp_fetch: Any, token_file: Path, jp_serverapp: Any
) -> None:
    from tornado.httpclient import HTTPClientError

    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch(
            "tokentoss",
            "client",
            method="PUT",
            body=json.dumps(BODY),
            headers={"Authorization": "token wrong", "Content-Type": "application/json"},
        )
    assert caught.value.code in (401, 403)
    assert not token_file.with_name("client_secrets.json").exists()
