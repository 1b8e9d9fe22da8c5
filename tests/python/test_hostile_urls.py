"""A URL that urllib.parse reads as loopback but requests sends elsewhere carries no credential.

A real listener on all interfaces records every connection. The "elsewhere" is this machine's
own non-loopback address (plain http there crosses the network in the real world). After each
refusal a sentinel connection proves the listener works and that it was the first to arrive.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
import requests
from kernel_support import offline_tokens, recording_server

from tokentoss.client import IAPClient, IDTokenAuth
from tokentoss.discovery import DiscoveryError, fetch_json
from tokentoss.errors import TokenRefreshError
from tokentoss.refresh import refresh_now
from tokentoss.signout import revoke_and_delete
from tokentoss.store import ClientConfig, TokenStore
from tokentoss.urls import require_secure_url

SENTINEL = b"SENTINEL"


def outside_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if not loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the route
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") else address


OUTSIDE = outside_address()
needs_outside = pytest.mark.skipif(OUTSIDE is None, reason="no non-loopback address here")


@dataclass
class Listener:
    port: int
    received: list[bytes] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def first_after_sentinel(self) -> list[bytes]:
        """Send the sentinel, wait until it arrives, return everything received before it."""
        with socket.create_connection(("127.0.0.1", self.port)) as sock:
            sock.sendall(SENTINEL)
        with self.arrived:
            self.arrived.wait_for(lambda: any(SENTINEL in data for data in self.received), 30)
        return [data for data in self.received if SENTINEL not in data]


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = socket.create_server(("0.0.0.0", 0))  # noqa: S104 (must see the outside address)
    found = Listener(server.getsockname()[1])

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    data = conn.recv(65536)
                except OSError:
                    data = b""
                with found.arrived:
                    found.received.append(data or b"(connected)")
                    found.arrived.notify_all()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield found
    server.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() (close alone does not)
    server.close()
    thread.join()


def tricky_urls(port: int) -> list[str]:
    """URLs that look like loopback (or carry userinfo) but requests sends to the listener."""
    assert OUTSIDE is not None
    return [
        f"http://{OUTSIDE}:{port}\\@127.0.0.1/api",  # urllib.parse: 127.0.0.1; urllib3: OUTSIDE
        f"http://{OUTSIDE}:{port}\\@localhost/api",
        f"http://user@127.0.0.1:{port}/api",  # userinfo: refused outright
        f"http://{OUTSIDE}:{port}\\\t@127.0.0.1/api",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example\\@127.0.0.1/",
        "http://127.0.0.1 @evil.example/",
        "http://127.0.0.1\t/",
        "http://127.0.0.1\n@evil.example/",
        "http://user@127.0.0.1/",
        "http://user:pw@127.0.0.1/",
        "https://user@svc.example.com/",
        "http://127.0.0.1/\u202e",
        "http://127.0.0.1/\x85",
    ],
)
def test_odd_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match=r"refusing|not a valid URL"):
        require_secure_url(url)


@needs_outside
def test_iap_client_sends_nothing_to_a_url_read_two_ways(
    kernel_store: TokenStore, listener: Listener
) -> None:
    kernel_store.save(offline_tokens())
    with IAPClient(store=kernel_store) as client:
        for url in tricky_urls(listener.port):
            with pytest.raises(ValueError, match=r"refusing|not a valid URL"):
                client.get(url, timeout=5)
    assert listener.first_after_sentinel() == []


@needs_outside
def test_id_token_auth_sends_nothing_to_userinfo_urls(
    kernel_store: TokenStore, listener: Listener
) -> None:
    kernel_store.save(offline_tokens())
    with pytest.raises(ValueError, match="user name"):
        requests.get(
            f"http://user@127.0.0.1:{listener.port}/", auth=IDTokenAuth(kernel_store), timeout=5
        )
    assert listener.first_after_sentinel() == []


@needs_outside
def test_refresh_sends_no_secret_to_a_token_uri_read_two_ways(
    kernel_store: TokenStore, listener: Listener
) -> None:
    for token_uri in tricky_urls(listener.port):
        kernel_store.save(
            offline_tokens(lifetime=timedelta(seconds=1), token_uri=token_uri),
            ClientConfig("client-1", "secret-never-sent", token_uri),
        )
        with pytest.raises(TokenRefreshError) as caught:
            refresh_now(kernel_store)
        assert caught.value.reason == "server"
    assert listener.first_after_sentinel() == []


@needs_outside
def test_revocation_sends_no_token_to_an_endpoint_read_two_ways(
    kernel_store: TokenStore, listener: Listener
) -> None:
    for endpoint in tricky_urls(listener.port):
        with recording_server(200) as discovery:
            # A discovery document valid but for its revocation endpoint.
            discovery.body = json.dumps(
                {
                    "issuer": discovery.url,
                    "token_endpoint": discovery.url + "/token",
                    "jwks_uri": discovery.url + "/jwks",
                    "revocation_endpoint": endpoint,
                }
            ).encode()
            kernel_store.save(offline_tokens(), ClientConfig("client-1", "s", discovery.url))
            tokens = kernel_store.load()
            assert tokens is not None
            kernel_store.save(replace(tokens, issuer=discovery.url))
            assert revoke_and_delete(kernel_store).revoked is None
            assert len(discovery.requests) == 1  # the discovery GET only
    assert listener.first_after_sentinel() == []


@needs_outside
def test_provider_documents_are_not_fetched_from_a_url_read_two_ways(listener: Listener) -> None:
    # Discovery and JWKS go through the same checked sender as the credentials.
    for url in tricky_urls(listener.port):
        with pytest.raises(DiscoveryError, match=r"(?i)refusing|not a valid URL"):
            fetch_json(url, what="issuer's signing keys (JWKS)")
    assert listener.first_after_sentinel() == []


@needs_outside
def test_discovery_does_not_follow_a_redirect(kernel_store: TokenStore, listener: Listener) -> None:
    elsewhere = f"http://{OUTSIDE}:{listener.port}/.well-known/openid-configuration"
    with recording_server(302, location=elsewhere) as issuer:
        tokens = offline_tokens()
        kernel_store.save(replace(tokens, issuer=issuer.url))
        assert revoke_and_delete(kernel_store).revoked is None
        assert len(issuer.requests) == 1
    assert listener.first_after_sentinel() == []
