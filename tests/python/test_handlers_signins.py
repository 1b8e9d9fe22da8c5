"""Registered sign-ins (issue 9) and the verified upload (issue 10, class 4), browser mode.

A real Jupyter server with no server-held client; the real local provider answers to the
server's own ``GET callback``. All of this fails on main (2266cce/c3bcfb0): the routes
``client``, ``signins``, ``callback/done`` do not exist there, ``GET callback`` serves the relay
page with the code in its URL, and ``PUT tokens`` stores an unverified ID token.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from pathlib import Path
from typing import Any

import jwt
import pytest
from kernel_support import Demo
from server_helpers import (
    CookieSession,
    Fetch,
    authorization_url,
    browser_sign_in,
    callback_url,
    follow,
    json_of,
    jupyter_config,
    new_state,
    register,
    snapshot,
    token_values,
    valid_body,
)

from tokentoss.server.callback import CALLBACK_CSP
from tokentoss.server.outcome import UNKNOWN_TITLE

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    """The extension enabled, no server-held client."""
    return jupyter_config()


@pytest.fixture
def redirect_uri(http_server_client: Any, jp_base_url: str) -> str:
    """The lab's default redirect URI on this test server."""
    return callback_url(http_server_client, jp_base_url)


def _registration(redirect_uri: str, /, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "state": new_state(),
        "nonce": new_state(),
        "redirect_uri": redirect_uri,
        "mode": "browser",
    }
    body.update(overrides)
    return body


async def _open(http_server_client: Any, url: str) -> Any:
    """GET an absolute URL of the test server without cookies or auth, as the popup may."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return await http_server_client.fetch(path, raise_error=False, follow_redirects=False)


# --- GET client -------------------------------------------------------------------------------


async def test_client_without_server_config_is_none(api: Fetch) -> None:
    answer = await api("client")
    assert answer.code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    assert json_of(answer) == {
        "source": None,
        "managed_fields": [],
        "origin": None,
        "client_id": None,
        "issuer": None,
        "scopes": None,
        "hosted_domain": None,
        "redirect_uri": None,
        "has_secret": False,
    }


async def test_server_mode_without_a_server_client_is_409(api: Fetch, redirect_uri: str) -> None:
    body = _registration(redirect_uri, mode="server", code_verifier=new_state())
    answer = await api("signins", method="POST", json_body=body)
    assert answer.code == 409
    assert json_of(answer)["reason"] == "no_server_client"
    assert (await api(f"signins/{body['state']}")).code == 404


# --- POST signins: bad bodies -----------------------------------------------------------------

BAD_REGISTRATIONS: list[tuple[str, dict[str, Any], str]] = [
    ("state-short", {"state": "a" * 21}, "invalid_body"),
    ("state-long", {"state": "a" * 129}, "invalid_body"),
    ("state-odd-chars", {"state": "a" * 30 + "<>"}, "invalid_body"),
    ("nonce-number", {"nonce": 12345}, "invalid_body"),
    ("mode-other", {"mode": "implicit"}, "invalid_body"),
    ("verifier-in-browser-mode", {"code_verifier": "v" * 43}, "invalid_body"),
    ("redirect-plain-http", {"redirect_uri": "http://evil.example/cb"}, "insecure_url"),
    ("redirect-javascript", {"redirect_uri": "javascript:alert(1)"}, "insecure_url"),
    ("hosted-domain-list", {"hosted_domain": ["x"]}, "invalid_body"),
    ("unknown-field", {"client_secret": "x"}, "unknown_field"),
]


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [(o, r) for _, o, r in BAD_REGISTRATIONS],
    ids=[c for c, *_ in BAD_REGISTRATIONS],
)
async def test_bad_registration_is_400_and_registers_nothing(
    overrides: dict[str, Any], reason: str, api: Fetch, redirect_uri: str
) -> None:
    body = _registration(redirect_uri, **overrides)
    answer = await api("signins", method="POST", json_body=body)
    assert answer.code == 400, answer.body
    assert json_of(answer)["reason"] == reason
    assert json_of(answer)["message"]
    if isinstance(body["state"], str) and "/" not in body["state"]:
        assert (await api(f"signins/{urllib.parse.quote(body['state'])}")).code == 404


async def test_missing_fields_and_wrong_media_type(api: Fetch, redirect_uri: str) -> None:
    body = _registration(redirect_uri)
    del body["nonce"]
    answer = await api("signins", method="POST", json_body=body)
    assert (answer.code, json_of(answer)["reason"]) == (400, "missing_field")
    answer = await api(
        "signins", method="POST", body=json.dumps(_registration(redirect_uri)), headers={}
    )
    assert answer.code == 415


# --- auth and XSRF on the new routes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "client"), ("POST", "signins"), ("GET", "signins/x"), ("DELETE", "signins/x")],
)
async def test_new_routes_need_jupyter_auth(
    method: str, path: str, http_server_client: Any, jp_base_url: str, redirect_uri: str
) -> None:
    body = json.dumps(_registration(redirect_uri)).encode() if method == "POST" else None
    response = await http_server_client.fetch(
        f"{jp_base_url}tokentoss/{path}",
        method=method,
        body=body,
        headers={"Content-Type": "application/json"},
        raise_error=False,
        follow_redirects=False,
    )
    assert response.code == 403


async def test_mutating_sign_in_routes_need_xsrf(
    cookie_session: CookieSession, api: Fetch, redirect_uri: str
) -> None:
    body = _registration(redirect_uri)
    headers = {"Content-Type": "application/json"}
    raw = json.dumps(body).encode()
    refused = await cookie_session.fetch(
        "tokentoss/signins", method="POST", body=raw, headers=headers
    )
    assert refused.code == 403
    assert (await api(f"signins/{body['state']}")).code == 404
    accepted = await cookie_session.fetch(
        "tokentoss/signins", method="POST", body=raw, headers=headers, xsrf=True
    )
    assert accepted.code == 201
    path = f"tokentoss/signins/{body['state']}"
    assert (await cookie_session.fetch(path, method="DELETE")).code == 403
    assert (await api(f"signins/{body['state']}")).code == 200
    assert (await cookie_session.fetch(path, method="DELETE", xsrf=True)).code == 204
    assert (await api(f"signins/{body['state']}")).code == 404


# --- registry: answer, cap, cancel ------------------------------------------------------------


async def test_register_answers_201_and_reads_back_waiting(api: Fetch, redirect_uri: str) -> None:
    body = _registration(redirect_uri)
    answer = await api("signins", method="POST", json_body=body)
    assert answer.code == 201
    created = json_of(answer)
    assert set(created) == {"state", "mode", "expires_at"}
    assert created["state"] == body["state"]
    status = json_of(await api(f"signins/{body['state']}"))
    assert status == {
        "state": body["state"],
        "mode": "browser",
        "status": "waiting",
        "reason": None,
        "message": None,
        "callback": None,
    }
    assert body["nonce"] not in json.dumps(created) + json.dumps(status)


async def test_a_ninth_registration_evicts_the_oldest(api: Fetch, redirect_uri: str) -> None:
    states = [(await register(api, redirect_uri)).state for _ in range(9)]
    assert (await api(f"signins/{states[0]}")).code == 404
    for state in states[1:]:
        assert (await api(f"signins/{state}")).code == 200


def test_registrations_expire() -> None:
    from datetime import timedelta

    from tokentoss.server.signins import SignInRegistry

    registry = SignInRegistry(lifetime=timedelta(0))
    item = registry.register(
        state="s" * 22,
        nonce="n" * 22,
        redirect_uri="http://127.0.0.1/cb",
        mode="browser",
        code_verifier=None,
        hosted_domain=None,
    )
    assert registry.get(item.state) is None
    assert registry.take_answer(item.state) is None


async def test_unknown_state_reads_404_and_deletes_204(api: Fetch) -> None:
    answer = await api(f"signins/{new_state()}")
    assert (answer.code, json_of(answer)["reason"]) == (404, "unknown_sign_in")
    assert (await api(f"signins/{new_state()}", method="DELETE")).code == 204


# --- GET callback and callback/done -----------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"code": "4/0Ab-code-of-someone", "state": "unregistered-state-0123456789"},
        {"code": "4/0Ab-code-of-someone"},
        {"error": "access_denied", "state": "unregistered-state-0123456789"},
        {},
    ],
)
async def test_callback_for_no_registered_state_relays_nothing(
    query: dict[str, str], http_server_client: Any, jp_base_url: str, redirect_uri: str
) -> None:
    url = redirect_uri + ("?" + urllib.parse.urlencode(query) if query else "")
    hops = await follow(url)
    assert [h.code for h in hops] == [303, 200]
    assert hops[0].headers["Location"] == f"{jp_base_url}tokentoss/callback/done"
    assert not hops[0].body
    page = hops[-1]
    assert urllib.parse.urlsplit(page.effective_url).query == ""
    assert UNKNOWN_TITLE.encode() in page.body
    assert b'data-state=""' in page.body
    assert b'data-outcome="unknown"' in page.body
    for value in query.values():
        assert value.encode() not in page.body


async def test_browser_mode_answer_is_kept_once_and_relayed_by_state_only(
    api: Fetch, demo: Demo, redirect_uri: str, http_server_client: Any
) -> None:
    reg = await register(api, redirect_uri)
    hops = await follow(authorization_url(demo, reg))
    callback = hops[-3].headers["Location"]
    assert callback.startswith(redirect_uri + "?")
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(callback).query)["code"][0]
    # The server answers the callback with 303 and no body; the page that loads has no code.
    assert hops[-2].code == 303
    assert not hops[-2].body
    assert urllib.parse.urlsplit(hops[-1].effective_url).query == f"state={reg.state}"
    page = hops[-1]
    assert code.encode() not in page.body
    assert page.headers["Content-Security-Policy"] == CALLBACK_CSP
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert f'data-state="{reg.state}"'.encode() in page.body
    assert b'data-outcome="answered"' in page.body

    status = json_of(await api(f"signins/{reg.state}"))
    assert status["status"] == "answered"
    kept = urllib.parse.parse_qs(status["callback"])
    assert kept["code"] == [code]
    assert kept["state"] == [reg.state]
    assert kept["iss"] == [demo.issuer]

    # A replayed callback (the same URL again) is not taken a second time.
    again = await follow(callback)
    assert again[0].headers["Location"].endswith("tokentoss/callback/done")
    assert UNKNOWN_TITLE.encode() in again[-1].body


async def test_provider_error_fails_the_sign_in_with_escaped_text(
    api: Fetch, redirect_uri: str, http_server_client: Any
) -> None:
    reg = await register(api, redirect_uri)
    description = "<script>alert(1)</script> " + "x" * 600
    query = urllib.parse.urlencode(
        {"state": reg.state, "error": "access_denied", "error_description": description}
    )
    hops = await follow(f"{redirect_uri}?{query}")
    status = json_of(await api(f"signins/{reg.state}"))
    assert status["status"] == "failed"
    assert status["reason"] == "provider_error"
    assert "access_denied" in status["message"]
    assert len(status["message"]) < 400
    assert status["callback"] is None
    page = hops[-1].body
    assert b"<script>alert" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert b'data-outcome="failed"' in page


# --- PUT tokens: only for a registered, answered state, with a verified ID token ----------------


async def test_browser_sign_in_uploads_verified_tokens(
    api: Fetch, demo: Demo, redirect_uri: str, token_file: Path
) -> None:
    body = await browser_sign_in(api, demo, redirect_uri)
    answer = await api("tokens", method="PUT", json_body=body)
    assert answer.code == 200, answer.body
    assert json_of(answer)["email"] == demo_email(body)
    saved = json.loads(token_file.read_text())
    # token_uri comes from the issuer's discovery document.
    assert saved["token_uri"] == demo.discovery()["token_endpoint"]
    record = json.loads((token_file.parent / "client_secrets.json").read_text())["installed"]
    assert record["tokentoss_sign_in_record"] is True
    assert json_of(await api(f"signins/{body['state']}"))["status"] == "succeeded"
    # The state is consumed: the same upload again is refused.
    again = await api("tokens", method="PUT", json_body=body)
    assert (again.code, json_of(again)["reason"]) == (400, "unknown_sign_in")


def demo_email(body: dict[str, Any]) -> str:
    """The email inside the provider's ID token."""
    claims = jwt.decode(body["id_token"], options={"verify_signature": False})
    return str(claims["email"])


async def test_upload_for_an_unregistered_state_is_refused(
    api: Fetch, demo: Demo, redirect_uri: str, token_file: Path
) -> None:
    body = await browser_sign_in(api, demo, redirect_uri)
    answer = await api("tokens", method="PUT", json_body=dict(body, state=new_state()))
    assert (answer.code, json_of(answer)["reason"]) == (400, "unknown_sign_in")
    assert not token_file.exists()


async def test_upload_for_a_waiting_state_is_refused(
    api: Fetch, demo: Demo, redirect_uri: str, token_file: Path
) -> None:
    body = await browser_sign_in(api, demo, redirect_uri)
    waiting = await register(api, redirect_uri)
    answer = await api("tokens", method="PUT", json_body=dict(body, state=waiting.state))
    assert (answer.code, json_of(answer)["reason"]) == (400, "unknown_sign_in")
    assert not token_file.exists()


async def test_upload_with_token_uri_is_refused(
    api: Fetch, demo: Demo, redirect_uri: str, token_file: Path
) -> None:
    body = await browser_sign_in(api, demo, redirect_uri)
    answer = await api(
        "tokens", method="PUT", json_body=dict(body, token_uri="https://evil.example/token")
    )
    assert (answer.code, json_of(answer)["reason"]) == (400, "unknown_field")
    assert not token_file.exists()
    # The refused body did not use up the sign-in: the correct upload still works.
    assert (await api("tokens", method="PUT", json_body=body)).code == 200


def _unsigned(token: str, **changes: Any) -> str:
    """The token's claims (changed) under an ``alg: none`` header and no signature."""
    claims = jwt.decode(token, options={"verify_signature": False})
    claims.update(changes)

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return part({"alg": "none", "typ": "JWT"}) + "." + part(claims) + "."


async def test_upload_with_alg_none_is_refused(
    api: Fetch, demo: Demo, redirect_uri: str, token_file: Path
) -> None:
    body = await browser_sign_in(api, demo, redirect_uri)
    forged = _unsigned(body["id_token"], email="mallory@example.com")
    answer = await api("tokens", method="PUT", json_body=dict(body, id_token=forged))
    assert (answer.code, json_of(answer)["reason"]) == (400, "id_token_invalid")
    assert "algorithm" in json_of(answer)["message"]
    assert not token_file.exists()
    # A failed verification ends the sign-in: no second try with the same state.
    status = json_of(await api(f"signins/{body['state']}"))
    assert (status["status"], status["reason"]) == ("failed", "id_token_invalid")


async def test_upload_with_another_sign_ins_nonce_is_refused(
    api: Fetch, demo: Demo, redirect_uri: str, token_file: Path
) -> None:
    first = await browser_sign_in(api, demo, redirect_uri)
    second = await browser_sign_in(api, demo, redirect_uri)
    # The first sign-in's tokens (nonce of the first) under the second sign-in's state.
    answer = await api("tokens", method="PUT", json_body=dict(first, state=second["state"]))
    assert (answer.code, json_of(answer)["reason"]) == (400, "nonce_mismatch")
    assert not token_file.exists()


async def test_upload_with_a_locally_signed_token_is_refused(
    api: Fetch, demo: Demo, redirect_uri: str, token_file: Path
) -> None:
    body = await browser_sign_in(api, demo, redirect_uri)
    claims = jwt.decode(body["id_token"], options={"verify_signature": False})
    forged = jwt.encode(claims, "k" * 32, algorithm="HS256")
    answer = await api("tokens", method="PUT", json_body=dict(body, id_token=forged))
    assert (answer.code, json_of(answer)["reason"]) == (400, "id_token_invalid")
    assert not token_file.exists()


async def test_structurally_valid_body_with_no_sign_in_changes_nothing(
    api: Fetch, token_file: Path
) -> None:
    body = valid_body()
    before = snapshot(token_file.parent)
    answer = await api("tokens", method="PUT", json_body=body)
    assert (answer.code, json_of(answer)["reason"]) == (400, "unknown_sign_in")
    assert snapshot(token_file.parent) == before
    for secret in token_values(body):
        assert secret not in answer.body.decode()
