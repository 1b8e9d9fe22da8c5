"""Helpers for the server-extension tests: request bodies, ID tokens, a cookie session.

Plain functions and classes (the fixtures live in ``server_fixtures``, a pytest plugin).
"""

from __future__ import annotations

import json
import secrets
import socket
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import jwt
from tornado.httpclient import HTTPResponse

TOKENS_PATH = "tokentoss"


def jupyter_config(**extra: Any) -> dict[str, Any]:
    """A Jupyter server config with the tokentoss extension enabled (as the wheel enables it)."""
    config: dict[str, Any] = {
        "ServerApp": {"jpserver_extensions": {"tokentoss": True}, "allow_root": True}
    }
    for section, values in extra.items():
        config.setdefault(section, {}).update(values)
    return config


def closed_loopback_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def make_id_token(
    *,
    issuer: str,
    client_id: str,
    email: str | None = "alice@example.com",
    lifetime: timedelta = timedelta(hours=1),
    **claims: Any,
) -> str:
    """An HS256-signed JWT with Google-like claims.

    The server never checks the signature (the browser does, against JWKS), so a locally
    signed token exercises exactly what the server reads: the payload.
    """
    now = datetime.now(timezone.utc)
    payload: dict[str, Any] = {
        "iss": issuer,
        "aud": client_id,
        "sub": "1234567890",
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
    }
    if email is not None:
        payload["email"] = email
    payload.update(claims)
    return jwt.encode(payload, secrets.token_bytes(32), algorithm="HS256")


def valid_body(issuer: str | None = None, /, **overrides: Any) -> dict[str, Any]:
    """A PUT tokens body that the server accepts; ``overrides`` replace fields."""
    issuer = issuer or closed_loopback_url()
    body: dict[str, Any] = {
        "access_token": "ya29." + secrets.token_urlsafe(40),
        "id_token": make_id_token(issuer=issuer, client_id="client-123"),
        "refresh_token": "1//" + secrets.token_urlsafe(40),
        "expires_at": (datetime.now(timezone.utc) + timedelta(minutes=59)).isoformat(),
        "scopes": ["openid", "https://www.googleapis.com/auth/userinfo.email"],
        "user_email": "alice@example.com",
        "issuer": issuer,
        "client_id": "client-123",
        "client_secret": "not-so-secret",
        "token_uri": issuer + "/token",
    }
    body.update(overrides)
    return body


def token_values(body: Mapping[str, Any]) -> list[str]:
    """The secret strings of a body: what must never appear in an answer or a log."""
    return [
        str(body[key])
        for key in ("access_token", "id_token", "refresh_token", "client_secret")
        if body.get(key)
    ]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in the token folder, byte for byte (lock file excluded: it is never written)."""
    if not folder.exists():
        return {}
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.endswith(".lock")
    }


Fetch = Callable[..., Awaitable[HTTPResponse]]


def json_of(response: HTTPResponse) -> Any:
    """The response body parsed as JSON."""
    return json.loads(response.body)


@dataclass
class CookieSession:
    """A browser-like client: logged in by cookie, so jupyter_server enforces XSRF on it."""

    client: Any
    base_url: str
    cookies: dict[str, str]

    @property
    def xsrf(self) -> str:
        """The ``_xsrf`` cookie value, which a browser's JupyterLab sends as X-XSRFToken."""
        return self.cookies["_xsrf"]

    def _absorb(self, response: HTTPResponse) -> None:
        for header in response.headers.get_list("Set-Cookie"):
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def fetch(
        self,
        path: str,
        *,
        method: str = "GET",
        body: bytes | None = None,
        xsrf: bool = False,
        headers: dict[str, str] | None = None,
    ) -> HTTPResponse:
        """Send a request with the session's cookies (and the XSRF header when asked)."""
        all_headers = {"Cookie": self._cookie_header(), **(headers or {})}
        if xsrf:
            all_headers["X-XSRFToken"] = self.xsrf
        if body is None and method in {"POST", "PUT"}:
            body = b""
        response: HTTPResponse = await self.client.fetch(
            self.base_url + path,
            method=method,
            body=body,
            headers=all_headers,
            raise_error=False,
            follow_redirects=False,
        )
        self._absorb(response)
        return response

    async def login(self, token: str) -> None:
        """Log in through Jupyter's login form with the server token, as a person would."""
        page = await self.fetch("login")
        if page.code != 200:
            raise RuntimeError(f"GET login answered {page.code}")
        form = urllib.parse.urlencode({"_xsrf": self.xsrf, "password": token}).encode()
        answer = await self.fetch(
            "login",
            method="POST",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if answer.code != 302 or not any(n.startswith("username-") for n in self.cookies):
            raise RuntimeError(f"login failed: {answer.code}")
