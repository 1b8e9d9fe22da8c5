"""IAPClient, IDTokenAuth (requests, httpx sync and async) and credentials() over real HTTP."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx
import pytest
import requests
from kernel_support import Demo, offline_tokens, recording_server, sign_in

import tokentoss
from tokentoss.errors import NoCredentialsError, TokenRefreshError
from tokentoss.store import TokenStore


def _break_id_token(store: TokenStore) -> str:
    """Replace the stored ID token by one with a forged signature (expiry still in the future).

    The store sees a valid token, so no refresh happens first; the service answers 401.
    """
    tokens = store.load()
    assert tokens is not None
    header, payload, _ = tokens.id_token.split(".")
    forged = f"{header}.{payload}.AAAA"
    store.save(replace(tokens, id_token=forged))
    return forged


def test_iapclient_calls_the_protected_service(demo: Demo, kernel_store: TokenStore) -> None:
    sign_in(demo, kernel_store)
    with tokentoss.IAPClient(base_url=demo.service) as client:
        who = client.get_json("/whoami")
        assert who["email"] == "demo@example.com"
        assert who["aud"] == demo.client_id
        echoed = client.post_json("echo", json={"n": 1})
        assert echoed["method"] == "POST"
        assert echoed["json"] == {"n": 1}
        for method in ("put", "patch", "delete"):
            answer = getattr(client, method)("/echo?x=1", data="body")
            assert answer.status_code == 200
            assert answer.json()["method"] == method.upper()
            assert answer.json()["body"] == "body"
        assert client.get(demo.service + "/whoami").json()["email"] == "demo@example.com"
    stats = demo.stats()
    assert stats["service_rejections"] == 0
    assert stats["refresh_requests"] == 0


def test_iapclient_401_refreshes_once_and_retries_once(
    demo: Demo, kernel_store: TokenStore
) -> None:
    sign_in(demo, kernel_store)
    forged = _break_id_token(kernel_store)
    client = tokentoss.IAPClient(base_url=demo.service)
    answer = client.get("/whoami", headers={"X-Trace": "1"})
    assert answer.status_code == 200
    assert answer.json()["email"] == "demo@example.com"
    stats = demo.stats()
    assert stats["service_rejections"] == 1
    assert stats["refresh_requests"] == 1
    stored = kernel_store.load()
    assert stored is not None
    assert stored.id_token != forged


def test_iapclient_returns_the_retry_answer_when_it_is_401_again(
    demo: Demo, kernel_store: TokenStore
) -> None:
    sign_in(demo, kernel_store)
    with recording_server(status=401) as server:
        answer = tokentoss.IAPClient(base_url=server.url).get("/x")
        assert answer.status_code == 401
        assert len(server.requests) == 2  # once, then once more: never a loop
        first, second = (r["headers"]["authorization"] for r in server.requests)
        assert first != second  # the retry carried the refreshed token
    assert demo.stats()["refresh_requests"] == 1


def test_iapclient_raises_the_refresh_error_instead_of_hiding_it(
    demo: Demo, kernel_store: TokenStore
) -> None:
    sign_in(demo, kernel_store)
    _break_id_token(kernel_store)
    demo.control(refresh="invalid_grant")
    with pytest.raises(TokenRefreshError, match="sign in again"):
        tokentoss.IAPClient(base_url=demo.service).get("/whoami")


def test_iapclient_needs_a_base_url_for_relative_paths(kernel_store: TokenStore) -> None:
    kernel_store.save(offline_tokens())
    with pytest.raises(ValueError, match="base URL"):
        tokentoss.IAPClient().get("/api/data")


def test_iapclient_refuses_plain_http_off_loopback(kernel_store: TokenStore) -> None:
    kernel_store.save(offline_tokens())
    with pytest.raises(ValueError, match="plain http"):
        tokentoss.IAPClient().get("http://service.example/api")
    with pytest.raises(ValueError, match="plain http"):
        tokentoss.IAPClient(base_url="http://service.example")


def test_iapclient_not_signed_in(kernel_store: TokenStore) -> None:
    with pytest.raises(NoCredentialsError):
        tokentoss.IAPClient(base_url="https://service.example").get("/x")


def test_idtokenauth_with_requests(demo: Demo, kernel_store: TokenStore) -> None:
    sign_in(demo, kernel_store)
    answer = requests.get(demo.service + "/whoami", auth=tokentoss.IDTokenAuth(), timeout=10)
    assert answer.status_code == 200
    assert answer.json()["email"] == "demo@example.com"
    _break_id_token(kernel_store)
    with requests.Session() as session:
        answer = session.post(
            demo.service + "/echo", json={"a": 1}, auth=tokentoss.IDTokenAuth(), timeout=10
        )
    assert answer.status_code == 200
    assert answer.json()["json"] == {"a": 1}
    assert [r.status_code for r in answer.history] == [401]
    assert demo.stats()["refresh_requests"] == 1


def test_idtokenauth_with_httpx_sync(demo: Demo, kernel_store: TokenStore) -> None:
    sign_in(demo, kernel_store)
    auth = tokentoss.IDTokenAuth()
    assert isinstance(auth, httpx.Auth)
    with httpx.Client(auth=auth) as client:
        assert client.get(demo.service + "/whoami").json()["email"] == "demo@example.com"
        _break_id_token(kernel_store)
        answer = client.post(demo.service + "/echo", json={"b": 2})
    assert answer.status_code == 200
    assert answer.json()["json"] == {"b": 2}
    stats = demo.stats()
    assert stats["refresh_requests"] == 1
    assert stats["service_rejections"] == 1


def test_idtokenauth_with_httpx_async(demo: Demo, kernel_store: TokenStore) -> None:
    sign_in(demo, kernel_store, expired=True)  # the first call refreshes, in a worker thread

    async def run() -> tuple[int, int]:
        async with httpx.AsyncClient(auth=tokentoss.IDTokenAuth()) as client:
            first = await client.get(demo.service + "/whoami")
            _break_id_token(kernel_store)
            second = await client.get(demo.service + "/whoami")
        return first.status_code, second.status_code

    assert asyncio.run(run()) == (200, 200)
    stats = demo.stats()
    assert stats["refresh_requests"] == 2  # one for the expiry, one for the 401
    assert stats["service_rejections"] == 1


def test_idtokenauth_refuses_plain_http_off_loopback(kernel_store: TokenStore) -> None:
    kernel_store.save(offline_tokens())
    with pytest.raises(ValueError, match="plain http"):
        requests.get("http://service.example/", auth=tokentoss.IDTokenAuth(), timeout=5)
    with pytest.raises(ValueError, match="plain http"), httpx.Client() as client:
        client.get("http://service.example/", auth=tokentoss.IDTokenAuth())


def test_credentials_with_google_auth(demo: Demo, kernel_store: TokenStore) -> None:
    import google.auth.credentials
    import google.auth.exceptions
    from google.auth.transport.requests import AuthorizedSession, Request

    old = sign_in(demo, kernel_store, expired=True)
    creds = tokentoss.credentials()
    assert isinstance(creds, google.auth.credentials.Credentials)
    assert not creds.valid  # expired in the file
    with recording_server() as server:
        session = AuthorizedSession(creds)
        assert session.get(server.url + "/v1/things").status_code == 200
        sent = server.requests[0]["headers"]["authorization"]
    refreshed = kernel_store.load()
    assert refreshed is not None
    assert refreshed.expiry > old.expiry  # refreshed (the JWT may equal the old one)
    assert sent == f"Bearer {refreshed.access_token}"
    assert creds.valid
    assert creds.token == refreshed.access_token
    assert demo.stats()["refresh_requests"] == 1
    # Failures arrive as google-auth's RefreshError and as ours.
    kernel_store.save(replace(refreshed, expiry=old.expiry))
    demo.control(refresh="invalid_grant")
    with pytest.raises(google.auth.exceptions.RefreshError) as caught:
        creds.refresh(Request())
    assert isinstance(caught.value, TokenRefreshError)
    assert caught.value.reason == "invalid_grant"


def test_idtokenauth_works_with_requests_when_httpx_is_absent(kernel_store: TokenStore) -> None:
    import os
    import subprocess
    import sys

    from kernel_support import ROOT

    tokens = offline_tokens()
    kernel_store.save(tokens)
    code = (
        "import sys\n"
        "sys.modules['httpx'] = None  # as if not installed\n"
        "import requests, tokentoss\n"
        "auth = tokentoss.IDTokenAuth()\n"
        "print(requests.get(sys.argv[1], auth=auth, timeout=10).status_code)\n"
    )
    with recording_server() as server:
        result = subprocess.run(
            [sys.executable, "-c", code, server.url + "/x"],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.stdout.strip() == "200", result.stderr
        assert server.requests[0]["headers"]["authorization"] == f"Bearer {tokens.id_token}"


def test_no_client_sends_the_token_to_a_redirect_target_that_answers_401(
    kernel_store: TokenStore,
) -> None:
    # 127.0.0.1 → localhost is a cross-host redirect: requests and httpx strip Authorization,
    # so the target's 401 is not about our token and must neither get it nor cause a refresh.
    tokens = offline_tokens()  # no token_uri: a refresh would raise
    kernel_store.save(tokens)
    with recording_server(status=401, host="localhost") as target:
        with recording_server(status=302, location=target.url + "/landing") as origin:
            answers = [
                requests.get(origin.url + "/a", auth=tokentoss.IDTokenAuth(), timeout=10),
                tokentoss.IAPClient(base_url=origin.url).get("/b"),
            ]
            with httpx.Client(auth=tokentoss.IDTokenAuth(), follow_redirects=True) as client:
                answers.append(client.get(origin.url + "/c"))

            async def run() -> httpx.Response:
                async with httpx.AsyncClient(
                    auth=tokentoss.IDTokenAuth(), follow_redirects=True
                ) as client:
                    return await client.get(origin.url + "/d")

            answers.append(asyncio.run(run()))
        assert [answer.status_code for answer in answers] == [401] * 4
        assert len(target.requests) == 4  # one each: no retry
        assert [r for r in target.requests if "authorization" in r["headers"]] == []
        # The origin got the token once per client, never a second time.
        sent = [r["headers"].get("authorization") for r in origin.requests]
        assert sent == [f"Bearer {tokens.id_token}"] * 4
