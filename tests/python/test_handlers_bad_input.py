"""Every kind of bad PUT body: a clear JSON error, the right status, the files untouched."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from server_helpers import (
    Fetch,
    json_of,
    jupyter_config,
    make_id_token,
    snapshot,
    token_values,
    valid_body,
)

from tokentoss.server.validation import MAX_BODY_BYTES, REQUIRED_FIELDS

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")

ISSUER = "https://accounts.example.com"


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    """The extension enabled; depends on token_file so the env is set before start-up."""
    return jupyter_config()


@pytest.fixture
def signed_in(
    api: Fetch, token_file: Path, jp_asyncio_loop: Any, upload_body: Any
) -> dict[str, bytes]:
    """A first sign-in already saved; returns the folder's bytes to compare against."""
    body = jp_asyncio_loop.run_until_complete(upload_body())
    answer = jp_asyncio_loop.run_until_complete(api("tokens", method="PUT", json_body=body))
    assert answer.code == 200, answer.body
    return snapshot(token_file.parent)


def _body(**overrides: Any) -> bytes:
    return json.dumps(valid_body(ISSUER, **overrides)).encode()


def _without(field: str) -> bytes:
    body = valid_body(ISSUER)
    del body[field]
    return json.dumps(body).encode()


def _iso(delta: timedelta) -> str:
    return (datetime.now(timezone.utc) + delta).isoformat()


def _id_token(**claims: Any) -> str:
    args: dict[str, Any] = {"issuer": ISSUER, "client_id": "client-123"}
    args.update(claims)
    return make_id_token(**args)


# (case id, raw body, expected reason)
BAD_BODIES: list[tuple[str, bytes, str]] = [
    ("empty", b"", "invalid_body"),
    ("not-json", b"{", "invalid_body"),
    ("not-utf8", b'{"access_token": "\xff"}', "invalid_body"),
    ("array", b"[]", "invalid_body"),
    ("string", b'"tokens"', "invalid_body"),
    ("null", b"null", "invalid_body"),
    ("nan", b'{"access_token": NaN}', "invalid_body"),
    ("deep-nesting", b"[" * 50_000, "invalid_body"),
    ("duplicate-key", _body()[:-1] + b', "client_id": "other"}', "invalid_body"),
    ("unknown-field", _body(admin=True), "unknown_field"),
    ("unknown-field-odd-name", _body(**{"ya29.secret value": 1}), "unknown_field"),
    *[(f"missing-{field}", _without(field), "missing_field") for field in sorted(REQUIRED_FIELDS)],
    ("access_token-number", _body(access_token=1), "invalid_body"),
    ("access_token-empty", _body(access_token=""), "invalid_body"),
    ("access_token-newline", _body(access_token="ya29.a\nb"), "invalid_body"),
    ("access_token-too-long", _body(access_token="a" * (16 * 1024 + 1)), "invalid_body"),
    ("id_token-null", _body(id_token=None), "invalid_body"),
    ("id_token-not-jwt", _body(id_token="not-a-jwt"), "invalid_body"),
    ("id_token-payload-not-json", _body(id_token="eyJhbGciOiJub25lIn0.bm9wZQ.x"), "invalid_body"),
    (
        "id_token-wrong-iss",
        _body(id_token=_id_token(iss="https://evil.example")),
        "id_token_mismatch",
    ),
    ("id_token-wrong-aud", _body(id_token=_id_token(aud="someone-else")), "id_token_mismatch"),
    (
        "id_token-wrong-email",
        _body(id_token=_id_token(email="eve@example.com")),
        "id_token_mismatch",
    ),
    ("id_token-exp-1970", _body(id_token=_id_token(exp=0)), "absurd_expiry"),
    ("id_token-exp-not-number", _body(id_token=_id_token(exp="soon")), "invalid_body"),
    ("refresh_token-number", _body(refresh_token=5), "invalid_body"),
    ("expires_at-1970", _body(expires_at="1970-01-01T00:00:00+00:00"), "absurd_expiry"),
    ("expires_at-9999", _body(expires_at="9999-12-31T23:59:59+00:00"), "absurd_expiry"),
    ("expires_at-25h", _body(expires_at=_iso(timedelta(hours=25))), "absurd_expiry"),
    ("expires_at-naive", _body(expires_at="2026-11-25T18:00:00"), "invalid_body"),
    ("expires_at-garbage", _body(expires_at="tomorrow"), "invalid_body"),
    ("expires_at-number", _body(expires_at=1_800_000_000), "invalid_body"),
    ("scopes-string", _body(scopes="openid email"), "invalid_body"),
    ("scopes-numbers", _body(scopes=[1, 2]), "invalid_body"),
    ("scopes-with-space", _body(scopes=["openid email"]), "invalid_body"),
    ("scopes-65", _body(scopes=[f"s{i}" for i in range(65)]), "invalid_body"),
    ("user_email-list", _body(user_email=[]), "invalid_body"),
    ("user_email-not-email", _body(user_email="alice"), "invalid_body"),
    ("issuer-bool", _body(issuer=True), "invalid_body"),
    ("issuer-plain-http", _body(issuer="http://accounts.example.com"), "insecure_url"),
    ("issuer-javascript", _body(issuer="javascript:alert(1)"), "insecure_url"),
    # token_uri comes from the issuer's discovery document: any value in a body is refused.
    ("token_uri-https", _body(token_uri="https://evil.example/token"), "unknown_field"),
    ("token_uri-plain-http", _body(token_uri="http://evil.example/token"), "unknown_field"),
    ("state-short", _body(state="abc"), "invalid_body"),
    ("state-unregistered", _body(), "unknown_sign_in"),
    ("client_id-too-long", _body(client_id="c" * 2049), "invalid_body"),
    ("client_secret-object", _body(client_secret={}), "invalid_body"),
]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [(raw, reason) for _, raw, reason in BAD_BODIES],
    ids=[c for c, *_ in BAD_BODIES],
)
async def test_bad_body_is_400_and_changes_nothing(
    raw: bytes, reason: str, api: Fetch, token_file: Path, signed_in: dict[str, bytes]
) -> None:
    response = await api(
        "tokens", method="PUT", body=raw, headers={"Content-Type": "application/json"}
    )
    assert response.code == 400, response.body
    error = json_of(response)
    assert error["reason"] == reason
    assert error["message"]
    assert snapshot(token_file.parent) == signed_in
    _assert_no_secret_echoed(raw, response.body)


async def test_bad_body_when_signed_out_creates_no_file(api: Fetch, token_file: Path) -> None:
    response = await api(
        "tokens",
        method="PUT",
        body=_body(expires_at="9999-12-31T23:59:59+00:00"),
        headers={"Content-Type": "application/json"},
    )
    assert response.code == 400
    assert not token_file.exists()
    assert not (token_file.parent / "client_secrets.json").exists()


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps(valid_body(ISSUER, access_token="a" * (1024 * 1024))).encode(),
        b" " * (MAX_BODY_BYTES + 1),
    ],
    ids=["1MB-string", "just-over-cap"],
)
async def test_body_over_64k_is_413(
    raw: bytes, api: Fetch, token_file: Path, signed_in: dict[str, bytes]
) -> None:
    response = await api(
        "tokens", method="PUT", body=raw, headers={"Content-Type": "application/json"}
    )
    assert response.code == 413
    assert json_of(response)["reason"] == "body_too_large"
    assert snapshot(token_file.parent) == signed_in


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"],
)
async def test_wrong_content_type_is_415(
    content_type: str | None, api: Fetch, token_file: Path, signed_in: dict[str, bytes]
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = await api("tokens", method="PUT", body=_body(), headers=headers)
    assert response.code == 415
    assert json_of(response)["reason"] == "unsupported_media_type"
    assert snapshot(token_file.parent) == signed_in


async def test_json_with_charset_is_accepted(api: Fetch, upload_body: Any) -> None:
    response = await api(
        "tokens",
        method="PUT",
        body=json.dumps(await upload_body()).encode(),
        headers={"Content-Type": "application/json; charset=UTF-8"},
    )
    assert response.code == 200, response.body


def _assert_no_secret_echoed(raw: bytes, answer: bytes) -> None:
    try:
        sent = json.loads(raw)
    except (ValueError, RecursionError):
        return
    if isinstance(sent, dict):
        for secret in token_values(sent):
            assert secret not in answer.decode()
