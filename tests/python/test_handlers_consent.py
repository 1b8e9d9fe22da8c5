"""``PUT tokens`` carries what was asked and the refresh token's lifetime; ``GET status`` reports
what the lab warns about. ``POST refresh`` refused by a reauthentication policy is a 409."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from kernel_support import Demo, sign_in
from server_helpers import Fetch, json_of, jupyter_config, valid_body

from tokentoss.store import TokenStore

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")


@pytest.fixture
def jp_server_config(token_file: Any) -> dict[str, Any]:
    return jupyter_config()


async def test_status_reports_ungranted_scopes_and_refresh_token_lifetime(
    api: Fetch, demo: Demo, upload_body: Callable[[], Awaitable[dict[str, Any]]]
) -> None:
    demo.control(unticked_scopes=["profile"], refresh_token_expires_in=604800)
    body = await upload_body()  # a real, registered browser sign-in
    body.update(requested_scopes=["openid", "email", "profile"], refresh_token_expires_in=604800)
    answer = json_of(await api("tokens", method="PUT", json_body=body))
    assert answer["missing_scopes"] == ["profile"]  # email came back as the userinfo URL
    assert answer["can_refresh"] is True
    at = datetime.fromisoformat(answer["refresh_token_expires_at"])
    assert at - datetime.now(timezone.utc) > timedelta(days=6)
    assert json_of(await api("status"))["missing_scopes"] == ["profile"]


async def test_status_says_when_no_refresh_token_came_back(
    api: Fetch, demo: Demo, upload_body: Callable[[], Awaitable[dict[str, Any]]]
) -> None:
    demo.control(issue_refresh_token=False)
    body = await upload_body()
    assert body["refresh_token"] is None
    answer = json_of(await api("tokens", method="PUT", json_body=body))
    assert answer["can_refresh"] is False
    assert answer["refresh_token_expires_at"] is None
    assert answer["missing_scopes"] == []  # nothing recorded as asked: nothing missing


@pytest.mark.parametrize("value", [0, -5, 1.5, "604800", True, 10**12])
async def test_bad_refresh_token_lifetime_is_refused(api: Fetch, value: Any) -> None:
    response = await api(
        "tokens", method="PUT", json_body=valid_body(refresh_token_expires_in=value)
    )
    assert response.code == 400
    assert "refresh_token_expires_in" in json_of(response)["message"]


async def test_refresh_refused_by_reauthentication_policy_is_409(
    api: Fetch, demo: Demo, token_file: Any
) -> None:
    sign_in(demo, TokenStore(token_file))
    demo.control(refresh="invalid_rapt")
    response = await api("refresh", method="POST")
    assert response.code == 409
    error = json_of(response)
    assert error["reason"] == "reauth_required"
    assert "organisation requires you to sign in again" in error["message"]
