"""Fixtures for the server-extension tests (a pytest plugin module).

Test modules load it with ``pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")``
so the kernel-library tests never start a Jupyter server. Each test gets its own server and
its own token file (``TOKENTOSS_TOKEN_FILE`` set before the server starts).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from kernel_support import Demo
from server_helpers import TOKENS_PATH, CookieSession, Fetch, browser_sign_in, callback_url
from tornado.httpclient import HTTPResponse


@pytest.fixture
def token_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh token file path for this test, exported before the server starts."""
    path = tmp_path / "tokentoss-home" / "tokens.json"
    monkeypatch.setenv("TOKENTOSS_TOKEN_FILE", str(path))
    return path


@pytest.fixture
def api(jp_fetch: Fetch) -> Fetch:
    """``jp_fetch`` for tokentoss routes (token auth); answers errors instead of raising."""

    def fetch(path: str, **kwargs: Any) -> Awaitable[HTTPResponse]:
        kwargs.setdefault("raise_error", False)
        if "json_body" in kwargs:
            kwargs["body"] = json.dumps(kwargs.pop("json_body"))
            kwargs.setdefault("headers", {})["Content-Type"] = "application/json"
        if kwargs.get("method") in {"POST", "PUT"} and "body" not in kwargs:
            kwargs["body"] = b""
        return jp_fetch(TOKENS_PATH, path, **kwargs)

    return fetch


@pytest.fixture
def cookie_session(
    jp_serverapp: Any, http_server_client: Any, jp_base_url: str, jp_asyncio_loop: Any
) -> CookieSession:
    """A cookie-authenticated session (no Authorization header), logged in already."""
    session = CookieSession(http_server_client, jp_base_url, {})
    jp_asyncio_loop.run_until_complete(session.login(jp_serverapp.identity_provider.token))
    return session


@pytest.fixture
def redirect_uri(http_server_client: Any, jp_base_url: str) -> str:
    """The lab's default redirect URI on this test server (its own ``GET callback``)."""
    return callback_url(http_server_client, jp_base_url)


@pytest.fixture
def upload_body(
    api: Fetch, demo: Demo, redirect_uri: str
) -> Callable[[], Awaitable[dict[str, Any]]]:
    """Makes a ``PUT tokens`` body the server accepts: a real browser-mode sign-in, registered."""

    def make() -> Awaitable[dict[str, Any]]:
        return browser_sign_in(api, demo, redirect_uri)

    return make
