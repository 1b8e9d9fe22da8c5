"""The certified OpenID provider (npm ``oidc-provider``, demo/certified-provider.mjs) for tests.

Its login and consent pages are driven here over plain HTTP (the forms of the library's own
development pages); the Galata tests click the same pages in Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from kernel_support import REDIRECT_URI, NodeServers, save_answer, start_node

from tokentoss.store import TokenData, TokenStore

LOGIN = "ada@example.org"
LOGIN_NAME = "Ada Lovelace"  # the provider's account releases it from userinfo (profile scope)


@dataclass
class Certified(NodeServers):
    """The running certified provider, its two clients and the protected service's hooks.

    ``reset`` puts the counters to zero; issued grants stay valid.
    """

    public_client_id: str


def start_certified(log_path: Path) -> Certified:
    """Start ``node demo/certified-provider.mjs`` on free loopback ports; wait for its JSON line."""
    info, process = start_node(
        "certified-provider.mjs", "--redirect-uri", REDIRECT_URI, log_path=log_path
    )
    return Certified(
        info["issuer"],
        info["service"],
        process,
        info["confidential"]["client_id"],
        info["confidential"]["client_secret"],
        info["public"]["client_id"],
    )


def stop_certified(provider: Certified) -> None:
    """SIGTERM, then SIGKILL if it lingers."""
    provider.stop()


def _follow_interactions(session: requests.Session, issuer: str, url: str) -> str:
    """Fill the login form, press Continue on the consent page; return the callback URL."""
    for _ in range(8):
        if url.startswith(REDIRECT_URI):
            return url
        page = session.get(url, allow_redirects=False, timeout=10)
        if page.status_code in (302, 303):
            url = urllib.parse.urljoin(issuer, page.headers["Location"])
            continue
        assert page.status_code == 200, page.text
        action = re.search(r'action="([^"]+)"', page.text)
        assert action, page.text
        form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.text))
        if 'name="password"' in page.text:
            form.update(login=LOGIN, password="any password")
        answer = session.post(
            urllib.parse.urljoin(issuer, action.group(1)),
            data=form,
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code in (302, 303), answer.text
        url = urllib.parse.urljoin(issuer, answer.headers["Location"])
    raise AssertionError(f"the interaction did not end at the callback: {url}")


def authorize_certified(
    provider: Certified, scope: str = "openid email profile offline_access"
) -> dict[str, Any]:
    """The confidential client's code flow with PKCE and prompt=consent; the token answer."""
    meta = provider.discovery()
    session = requests.Session()  # a fresh browser: login page, then consent
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    state = secrets.token_urlsafe(16)
    start = session.get(
        meta["authorization_endpoint"],
        params={
            "response_type": "code",
            "client_id": provider.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": scope,
            "state": state,
            "nonce": secrets.token_urlsafe(16),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "prompt": "consent",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert start.status_code in (302, 303), start.text
    callback = _follow_interactions(
        session, provider.issuer, urllib.parse.urljoin(provider.issuer, start.headers["Location"])
    )
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(callback).query)
    assert query["state"] == [state], query
    tokens = session.post(
        meta["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
            "client_id": provider.client_id,
            "client_secret": provider.client_secret,
        },
        timeout=10,
    )
    assert tokens.status_code == 200, tokens.text
    body: dict[str, Any] = tokens.json()
    return body


def sign_in_certified(
    provider: Certified, store: TokenStore, *, expired: bool = False, with_email: bool = False
) -> TokenData:
    """Sign in for real and write the files as the server does (email only if ``with_email``)."""
    answer = authorize_certified(provider)
    return save_answer(
        provider, store, answer, expired=expired, email=LOGIN if with_email else None
    )
