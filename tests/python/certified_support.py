"""The certified OpenID provider (npm ``oidc-provider``, demo/certified-provider.mjs) for tests.

Its login and consent pages are driven here over plain HTTP (the forms of the library's own
development pages); the Galata tests click the same pages in Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import subprocess
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import jwt
import requests

from tokentoss.store import ClientConfig, TokenData, TokenStore

ROOT = Path(__file__).resolve().parents[2]
REDIRECT_URI = "http://127.0.0.1:9/tokentoss/callback"
LOGIN = "ada@example.org"


@dataclass
class Certified:
    """The running certified provider, its two clients and the protected service's hooks."""

    issuer: str
    service: str
    client_id: str
    client_secret: str
    public_client_id: str
    process: subprocess.Popen[str]
    session: requests.Session = field(default_factory=requests.Session)

    def stats(self) -> dict[str, int]:
        """Counters of the provider's events and of the protected service (GET /__stats)."""
        answer = self.session.get(self.service + "/__stats", timeout=10)
        answer.raise_for_status()
        stats: dict[str, int] = answer.json()
        return stats

    def reset(self) -> None:
        """Counters to zero (POST /__reset); issued grants stay valid."""
        self.session.post(self.service + "/__reset", timeout=10).raise_for_status()

    def discovery(self) -> dict[str, Any]:
        """The provider's OpenID configuration."""
        url = self.issuer + "/.well-known/openid-configuration"
        meta: dict[str, Any] = self.session.get(url, timeout=10).json()
        return meta


def start_certified(log_path: Path) -> Certified:
    """Start ``node demo/certified-provider.mjs`` on free loopback ports; wait for its JSON line."""
    log = open(log_path, "w")  # noqa: SIM115 (the process writes to it until it ends)
    process = subprocess.Popen(
        ["node", str(ROOT / "demo" / "certified-provider.mjs"), "--redirect-uri", REDIRECT_URI],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.wait(10)
        raise RuntimeError(f"certified-provider.mjs did not start: {log_path.read_text()}")
    info = json.loads(line)
    return Certified(
        info["issuer"],
        info["service"],
        info["confidential"]["client_id"],
        info["confidential"]["client_secret"],
        info["public"]["client_id"],
        process,
    )


def stop_certified(provider: Certified) -> None:
    """SIGTERM, then SIGKILL if it lingers."""
    provider.process.terminate()
    try:
        provider.process.wait(10)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait(10)


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
    now = datetime.now(timezone.utc).replace(microsecond=0)
    expiry = (
        now - timedelta(minutes=1) if expired else now + timedelta(seconds=answer["expires_in"])
    )
    claims = jwt.decode(answer["id_token"], options={"verify_signature": False})
    tokens = TokenData(
        access_token=answer["access_token"],
        id_token=answer["id_token"],
        refresh_token=answer.get("refresh_token"),
        expiry=expiry,
        scopes=tuple(answer["scope"].split()),
        user_email=LOGIN if with_email else claims.get("email"),
        created_at=now,
        issuer=provider.issuer,
        client_id=provider.client_id,
        token_uri=provider.discovery()["token_endpoint"],
    )
    client = ClientConfig(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        token_uri=tokens.token_uri or "",
        issuer=provider.issuer,
    )
    store.save(tokens, client)
    return tokens
