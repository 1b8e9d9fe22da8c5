"""Helpers for the server-extension tests: request bodies, ID tokens, a cookie session.

Plain functions and classes (the fixtures live in ``server_fixtures``, a pytest plugin).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
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
import requests
from tornado.httpclient import AsyncHTTPClient, HTTPResponse

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


def new_state() -> str:
    """A state, nonce or PKCE verifier as oauth4webapi makes them (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def valid_body(issuer: str | None = None, /, **overrides: Any) -> dict[str, Any]:
    """A PUT tokens body that passes every check that needs no provider; ``overrides`` replace fields.

    Its ID token is HS256 with a random key and its state is registered nowhere, so the server
    refuses it after the body checks (``unknown_sign_in``). For an accepted upload, use
    :func:`browser_sign_in`.
    """
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
        "state": new_state(),
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


# --- registered sign-ins (issue 9): what the lab does before and after the popup ------------


def callback_url(http_server_client: Any, base_url: str) -> str:
    """The test server's ``GET callback`` as an absolute URL (the lab's default redirect URI)."""
    return http_server_client.get_url(f"{base_url}tokentoss/callback")


def pkce_challenge(verifier: str) -> str:
    """The S256 code challenge of ``verifier``."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass
class Registration:
    """A sign-in registered with ``POST signins`` and the values the lab keeps in memory."""

    state: str
    nonce: str
    verifier: str
    redirect_uri: str
    mode: str


async def register(
    api: Fetch, redirect_uri: str, mode: str = "browser", **overrides: Any
) -> Registration:
    """``POST signins`` as the lab does (state, nonce and PKCE verifier made here); asserts 201."""
    reg = Registration(new_state(), new_state(), new_state(), redirect_uri, mode)
    body: dict[str, Any] = {
        "state": reg.state,
        "nonce": reg.nonce,
        "redirect_uri": redirect_uri,
        "mode": mode,
    }
    if mode == "server":
        body["code_verifier"] = reg.verifier
    body.update(overrides)
    answer = await api("signins", method="POST", json_body=body)
    assert answer.code == 201, answer.body
    return reg


def authorization_url(demo: Any, reg: Registration, *, scope: str = "openid email profile") -> str:
    """The provider's authorization URL for ``reg``, as the lab navigates the popup to it."""
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": demo.client_id,
            "redirect_uri": reg.redirect_uri,
            "scope": scope,
            "state": reg.state,
            "nonce": reg.nonce,
            "code_challenge": pkce_challenge(reg.verifier),
            "code_challenge_method": "S256",
            "access_type": "offline",
            "prompt": "consent",
        }
    )
    return demo.discovery()["authorization_endpoint"] + "?" + query


async def follow(url: str, limit: int = 10) -> list[HTTPResponse]:
    """GET ``url`` and every redirect after it, as a browser would; every hop is returned."""
    client = AsyncHTTPClient()
    hops: list[HTTPResponse] = []
    for _ in range(limit):
        response = await client.fetch(url, follow_redirects=False, raise_error=False)
        hops.append(response)
        location = response.headers.get("Location")
        if response.code not in (301, 302, 303, 307, 308) or not location:
            return hops
        url = urllib.parse.urljoin(url, location)
    raise AssertionError(f"more than {limit} redirects")


async def browser_sign_in(api: Fetch, demo: Any, redirect_uri: str) -> dict[str, Any]:
    """A whole browser-mode sign-in up to the upload: the ``PUT tokens`` body to send.

    Registers the state, lets the provider answer to the server's callback, reads the answer
    back with ``GET signins/<state>``, and exchanges the code as the browser does.
    """
    reg = await register(api, redirect_uri)
    hops = await follow(authorization_url(demo, reg))
    assert hops[-1].code == 200, [h.effective_url for h in hops]
    answer = json_of(await api(f"signins/{reg.state}"))
    assert answer["status"] == "answered", answer
    query = urllib.parse.parse_qs(answer["callback"])
    assert query["state"] == [reg.state]
    tokens = await asyncio.to_thread(
        requests.post,
        demo.discovery()["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": redirect_uri,
            "client_id": demo.client_id,
            "client_secret": demo.client_secret,
            "code_verifier": reg.verifier,
        },
        timeout=10,
    )
    assert tokens.status_code == 200, tokens.text
    got = tokens.json()
    return {
        "access_token": got["access_token"],
        "id_token": got["id_token"],
        "refresh_token": got.get("refresh_token"),
        "expires_at": (
            datetime.now(timezone.utc) + timedelta(seconds=got["expires_in"])
        ).isoformat(),
        "scopes": got["scope"].split(),
        "user_email": None,
        "issuer": demo.issuer,
        "client_id": demo.client_id,
        "client_secret": demo.client_secret,
        "state": reg.state,
    }
