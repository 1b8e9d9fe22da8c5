"""Helpers for the kernel-library tests: the demo servers, signing in, token files, a recorder.

Everything here is real: the demo servers are the node processes of ``demo/servers.mjs``, the
sign-in is the authorization-code flow against its provider, the recorder a loopback HTTP server.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests

from tokentoss.refresh import fresh_tokens
from tokentoss.store import ClientConfig, TokenData, TokenStore

ROOT = Path(__file__).resolve().parents[2]
REDIRECT_URI = "http://127.0.0.1:9/tokentoss/callback"


# Windows has no POSIX file modes, fork or signals: the token folder's protection there is the user
# profile's ACL, and the tests of modes, forking writers and SIGKILL run on Linux and macOS.
posix_only = pytest.mark.skipif(
    os.name != "posix", reason="POSIX file modes, fork or signals (Windows relies on profile ACLs)"
)


@dataclass
class NodeServers:
    """A node provider + protected service started for the tests, and their common hooks."""

    issuer: str
    service: str
    process: subprocess.Popen[str]
    client_id: str
    client_secret: str
    session: requests.Session = field(default_factory=requests.Session, kw_only=True)

    def stats(self) -> dict[str, int]:
        """The provider's and service's counters (GET /__stats)."""
        answer = self.session.get(self.service + "/__stats", timeout=10)
        answer.raise_for_status()
        stats: dict[str, int] = answer.json()
        return stats

    def reset(self) -> None:
        """Counters to zero, behaviour back to normal (POST /__reset)."""
        self.session.post(self.service + "/__reset", timeout=10).raise_for_status()

    def discovery(self) -> dict[str, Any]:
        """The provider's OpenID configuration."""
        url = self.issuer + "/.well-known/openid-configuration"
        meta: dict[str, Any] = self.session.get(url, timeout=10).json()
        return meta

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if they linger."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def start_node(
    script: str, *args: str, log_path: Path
) -> tuple[dict[str, Any], subprocess.Popen[str]]:
    """Start ``node demo/SCRIPT ARGS`` and wait for the one JSON line it prints when ready."""
    log = open(log_path, "w")  # noqa: SIM115 (the process writes to it until it ends)
    process = subprocess.Popen(
        ["node", str(ROOT / "demo" / script), *args],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # '' if it died: then the log says why
    if not line:
        process.wait(10)
        raise RuntimeError(f"demo/{script} did not start: {log_path.read_text()}")
    info: dict[str, Any] = json.loads(line)
    return info, process


@dataclass
class Demo(NodeServers):
    """The running demo servers (provider + protected service) and their test hooks."""

    def control(self, **settings: Any) -> None:
        """Change the provider's behaviour (POST /__control)."""
        self.session.post(self.service + "/__control", json=settings, timeout=10).raise_for_status()


def start_demo(log_path: Path) -> Demo:
    """Start ``node demo/servers.mjs`` on free loopback ports and wait for its JSON line."""
    info, process = start_node(
        "servers.mjs", "--idp-port", "0", "--service-port", "0", log_path=log_path
    )
    return Demo(info["issuer"], info["service"], process, info["client_id"], info["client_secret"])


def stop_demo(demo: Demo) -> None:
    """Stop the demo servers (SIGTERM, then SIGKILL if they linger)."""
    demo.stop()


def authorize(demo: Demo, scope: str = "openid email profile") -> dict[str, Any]:
    """Run the authorization-code flow against the demo provider; return the token answer."""
    meta = demo.discovery()
    state = secrets.token_urlsafe(16)
    answer = demo.session.get(
        meta["authorization_endpoint"],
        params={
            "response_type": "code",
            "client_id": demo.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": scope,
            "state": state,
            "nonce": secrets.token_urlsafe(16),
            "access_type": "offline",
            "prompt": "consent",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code in (301, 302, 303), answer.text
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(answer.headers["Location"]).query)
    assert query["state"] == [state]
    tokens = demo.session.post(
        meta["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": REDIRECT_URI,
            "client_id": demo.client_id,
            "client_secret": demo.client_secret,
        },
        timeout=10,
    )
    assert tokens.status_code == 200, tokens.text
    body: dict[str, Any] = tokens.json()
    return body


def sign_in(
    demo: Demo, store: TokenStore, *, expired: bool = False, scope: str = "openid email profile"
) -> TokenData:
    """Sign in for real and write the token and client files as the server extension does.

    ``expired=True`` writes an expiry in the past, so the next use must refresh.
    """
    answer = authorize(demo, scope)
    return save_answer(demo, store, answer, expired=expired)


def save_answer(
    servers: NodeServers,
    store: TokenStore,
    answer: dict[str, Any],
    *,
    expired: bool = False,
    email: str | None = None,
) -> TokenData:
    """Store a token endpoint's ``answer`` as a sign-in would (email: the ID token's if None)."""
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
        user_email=email or claims.get("email"),
        created_at=now,
        issuer=servers.issuer,
        client_id=servers.client_id,
        token_uri=servers.discovery()["token_endpoint"],
    )
    client = ClientConfig(
        client_id=servers.client_id,
        client_secret=servers.client_secret,
        token_uri=tokens.token_uri or "",
        issuer=servers.issuer,
    )
    store.save(tokens, client)
    return tokens


def offline_tokens(
    *,
    lifetime: timedelta = timedelta(hours=1),
    token_uri: str | None = None,
    refresh_token: str | None = "1//refresh-" + "r" * 20,
    email: str = "alice@example.com",
) -> TokenData:
    """Tokens that need no provider (HS256 ID token with a random key) for store and CLI tests."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    id_token = jwt.encode(
        {
            "iss": "https://accounts.google.com",
            "aud": "client-1",
            "email": email,
            "sub": "1",
            "iat": int(now.timestamp()),
            "exp": int((now + lifetime).timestamp()),
        },
        secrets.token_bytes(32),
        algorithm="HS256",
    )
    return TokenData(
        access_token="ya29." + secrets.token_urlsafe(30),
        id_token=id_token,
        refresh_token=refresh_token,
        expiry=now + lifetime,
        scopes=("openid", "https://www.googleapis.com/auth/userinfo.email"),
        user_email=email,
        created_at=now,
        issuer="https://accounts.google.com",
        client_id="client-1",
        token_uri=token_uri,
    )


def run_cli(
    *args: str, token_file: Path | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """``python -m tokentoss ARGS`` in a child process fed ``stdin`` (exit code, stdout, stderr)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if token_file is not None:
        env["TOKENTOSS_TOKEN_FILE"] = str(token_file)
    return subprocess.run(
        [sys.executable, "-m", "tokentoss", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def closed_port_url() -> str:
    """A loopback URL where nothing listens: connections are refused at once."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@dataclass
class Recorder:
    """A loopback HTTP server that records each request and answers a fixed status."""

    url: str
    status: int
    requests: list[dict[str, Any]] = field(default_factory=list)
    location: str | None = None
    body: bytes | None = None


@contextmanager
def recording_server(
    status: int = 200,
    *,
    host: str = "127.0.0.1",
    location: str | None = None,
    body: bytes | None = None,
) -> Iterator[Recorder]:
    """Run a Recorder in a thread for the duration of the ``with`` block.

    ``host`` is the name in its URL (it listens on 127.0.0.1 either way), ``location`` a
    ``Location`` header to answer (for redirects), ``body`` a JSON body instead of the echo.
    """
    recorder = Recorder(url="", status=status, location=location, body=body)

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            recorder.requests.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                }
            )
            payload = (
                recorder.body or json.dumps({"method": self.command, "path": self.path}).encode()
            )
            self.send_response(recorder.status)
            if recorder.location is not None:
                self.send_header("Location", recorder.location)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder.url = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class RaceAnswer:
    """What one racing process got: its ID token or its error, and how long it waited."""

    token: str | None
    error: str | None
    wait_seconds: float


def _race_for_token(path: str, barrier: Any, results: Any) -> None:
    # A separate process, as a kernel would be: its own store, its own cache.
    store = TokenStore(path)
    barrier.wait()
    start = time.perf_counter()
    try:
        token, error = fresh_tokens(store).id_token, None
    except Exception as exc:
        token, error = None, repr(exc)
    results.put(RaceAnswer(token, error, time.perf_counter() - start))


def race_for_token(store: TokenStore, processes: int = 32) -> list[RaceAnswer]:
    """``processes`` processes ask for a fresh ID token at the same moment (a barrier)."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(processes), context.Queue()
    racers = [
        context.Process(target=_race_for_token, args=(str(store.path), barrier, results))
        for _ in range(processes)
    ]
    for racer in racers:
        racer.start()
    answers = [results.get(timeout=120) for _ in racers]
    for racer in racers:
        racer.join(30)
        assert racer.exitcode == 0
    return answers
