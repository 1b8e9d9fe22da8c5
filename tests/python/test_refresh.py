"""Refresh against the real local provider: one refresh for many processes, no data loss."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jwt
import pytest
from kernel_support import (
    Demo,
    closed_port_url,
    offline_tokens,
    posix_only,
    race_for_token,
    recording_server,
    sign_in,
)

import tokentoss
from tokentoss._jwt import unverified_expiry
from tokentoss.errors import NoCredentialsError, TokenRefreshError
from tokentoss.refresh import _merge_answer, fresh_tokens, refresh_now
from tokentoss.signout import revoke_and_delete
from tokentoss.store import ClientConfig, TokenStore


def test_fresh_token_is_used_without_calling_the_provider(
    demo: Demo, kernel_store: TokenStore
) -> None:
    tokens = sign_in(demo, kernel_store)
    assert tokentoss.get_id_token() == tokens.id_token
    assert tokentoss.get_access_token() == tokens.access_token
    assert demo.stats()["refresh_requests"] == 0


@posix_only
def test_expired_token_is_refreshed_once_and_written_back(
    demo: Demo, kernel_store: TokenStore
) -> None:
    old = sign_in(demo, kernel_store, expired=True)
    new_id_token = tokentoss.get_id_token()
    assert new_id_token != old.id_token
    assert demo.stats()["refresh_requests"] == 1
    stored = TokenStore(kernel_store.path).load()
    assert stored is not None
    assert stored.id_token == new_id_token
    # The provider (like Google) sends no refresh_token with a refresh: the old one stays.
    assert stored.refresh_token == old.refresh_token
    assert stored.created_at == old.created_at
    assert stored.user_email == "demo@example.com"
    assert stored.expiry > datetime.now(timezone.utc) + timedelta(minutes=5)
    id_exp = unverified_expiry(new_id_token)
    assert id_exp is not None
    assert stored.expiry <= id_exp
    # Private modes after a refresh written by a kernel.
    assert stat.S_IMODE(kernel_store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(kernel_store.path.parent.stat().st_mode) == 0o700
    # The next call uses the new token from the file.
    assert tokentoss.get_id_token() == new_id_token
    assert demo.stats()["refresh_requests"] == 1


@posix_only
def test_32_processes_at_expiry_cause_one_refresh_and_share_the_token(
    demo: Demo, kernel_store: TokenStore
) -> None:
    old = sign_in(demo, kernel_store, expired=True)
    answers = race_for_token(kernel_store, 32)
    assert [answer.error for answer in answers] == [None] * 32
    tokens = {answer.token for answer in answers}
    assert len(tokens) == 1
    assert old.id_token not in tokens
    assert demo.stats()["refresh_requests"] == 1


def test_server_error_keeps_the_file_byte_for_byte(demo: Demo, kernel_store: TokenStore) -> None:
    sign_in(demo, kernel_store, expired=True)
    before = kernel_store.path.read_bytes()
    demo.control(refresh="server_error")
    with pytest.raises(TokenRefreshError) as caught:
        tokentoss.get_id_token()
    assert caught.value.reason == "server"
    assert caught.value.retryable
    assert "retry" in str(caught.value)
    assert kernel_store.path.read_bytes() == before
    assert demo.stats()["refresh_requests"] == 1


def test_network_error_keeps_the_file_byte_for_byte(kernel_store: TokenStore) -> None:
    kernel_store.save(
        offline_tokens(lifetime=timedelta(seconds=-60), token_uri=closed_port_url() + "/token")
    )
    before = kernel_store.path.read_bytes()
    with pytest.raises(TokenRefreshError) as caught:
        tokentoss.get_id_token()
    assert caught.value.reason == "network"
    assert "retry" in str(caught.value)
    assert kernel_store.path.read_bytes() == before
    assert tokentoss.status().error_reason == "network"


def test_early_refresh_failing_on_the_network_keeps_using_a_still_valid_token(
    kernel_store: TokenStore,
) -> None:
    # Inside the 5-minute margin but not expired: the token still opens doors.
    tokens = offline_tokens(lifetime=timedelta(minutes=2), token_uri=closed_port_url() + "/token")
    kernel_store.save(tokens)
    assert tokentoss.get_id_token() == tokens.id_token
    assert fresh_tokens(kernel_store).id_token == tokens.id_token
    assert tokentoss.status().error_reason == "network"  # the failure is still reported
    # Expired: nothing to fall back on.
    kernel_store.save(replace(tokens, expiry=datetime.now(timezone.utc) - timedelta(seconds=1)))
    with pytest.raises(TokenRefreshError) as caught:
        fresh_tokens(kernel_store)
    assert caught.value.reason == "network"


@pytest.mark.parametrize(
    ("expires_in", "expected"),
    [(1e30, 3600), (-5, 60), ("7200", 7200), ("soon", 3600), (10**400, 3600), (86401, 3600)],
    ids=["1e30", "negative", "numeric-string", "word", "10**400", "over-a-day"],
)
def test_absurd_expires_in_is_bounded(
    kernel_store: TokenStore, expires_in: object, expected: int
) -> None:
    # json.dumps writes 10**400 as a bare integer: float() of it is inf, timedelta overflows.
    answer = json.dumps({"access_token": "ya29.new", "expires_in": expires_in}).encode()
    with recording_server(body=answer) as endpoint:
        kernel_store.save(
            offline_tokens(lifetime=timedelta(seconds=-60), token_uri=endpoint.url + "/token")
        )
        before = datetime.now(timezone.utc)
        assert tokentoss.get_access_token() == "ya29.new"
    stored = kernel_store.load()
    assert stored is not None
    lifetime = (stored.expiry - before).total_seconds()
    assert expected - 5 < lifetime < expected + 5


def test_no_refresh_token_is_reported_even_with_a_corrupt_client_file(
    kernel_store: TokenStore,
) -> None:
    kernel_store.save(offline_tokens(lifetime=timedelta(seconds=-60), refresh_token=None))
    kernel_store.client_path.write_text("{not json")
    with pytest.raises(TokenRefreshError) as caught:
        tokentoss.get_id_token()
    assert caught.value.reason == "no_refresh_token"


def test_provider_error_text_never_carries_a_secret(kernel_store: TokenStore) -> None:
    # Secrets in no known token shape: only the value-based scrub can catch them.
    secret, refresh = "cs-" + "s" * 24, "rt-" + "r" * 24
    echo = json.dumps(
        {
            "error": f"invalid_client {secret}",
            "error_description": f"client {secret} cannot use {refresh} " + "x" * 2000,
        }
    ).encode()
    with recording_server(status=400, body=echo) as endpoint:
        tokens = offline_tokens(
            lifetime=timedelta(seconds=-60),
            token_uri=endpoint.url + "/token",
            refresh_token=refresh,
        )
        client = ClientConfig("client-1", secret, endpoint.url + "/token")
        kernel_store.save(tokens, client)
        with pytest.raises(TokenRefreshError) as caught:
            tokentoss.get_id_token()
        assert secret in endpoint.requests[0]["body"]  # the provider did get them
    message = str(caught.value)
    state = tokentoss.status()
    assert caught.value.reason == "server"
    assert "invalid_client [redacted]" in message
    assert len(message) < 1000  # the provider's text is truncated
    for text in (message, state.error or "", json.dumps(state.to_json())):
        for value in (secret, refresh, tokens.access_token, tokens.id_token):
            assert value not in text


def test_invalid_grant_keeps_the_file_and_says_sign_in_again(
    demo: Demo, kernel_store: TokenStore
) -> None:
    tokens = sign_in(demo, kernel_store, expired=True)
    before = kernel_store.path.read_bytes()
    demo.control(refresh="invalid_grant")
    with pytest.raises(TokenRefreshError) as caught:
        tokentoss.get_id_token()
    error = caught.value
    assert error.reason == "invalid_grant"
    assert error.sign_in_again
    assert "sign in again from the JupyterLab sidebar" in str(error)
    for secret in (tokens.refresh_token, tokens.access_token, tokens.id_token):
        assert secret
        assert secret not in str(error)
    assert kernel_store.path.read_bytes() == before
    state = tokentoss.status()
    assert state.signed_in
    assert state.error_reason == "invalid_grant"
    assert "sign in again" in (state.error or "")
    # A later success clears the reported error.
    demo.reset()
    tokentoss.get_id_token()
    assert tokentoss.status().error is None


@posix_only
def test_revoked_grant_is_invalid_grant_for_real(demo: Demo, kernel_store: TokenStore) -> None:
    sign_in(demo, kernel_store, expired=True)
    saved = kernel_store.path.read_bytes()
    client_saved = kernel_store.client_path.read_bytes()
    assert revoke_and_delete(kernel_store).revoked == "grant"
    assert not kernel_store.path.exists()
    assert demo.stats()["revocations"] == 1
    with pytest.raises(NoCredentialsError, match="Sign in with Google"):
        tokentoss.get_id_token()
    # Put the revoked grant back, as a stale copy would be: the provider refuses it.
    kernel_store.path.write_bytes(saved)
    kernel_store.client_path.write_bytes(client_saved)
    os.chmod(kernel_store.path, 0o600)
    os.chmod(kernel_store.client_path, 0o600)
    with pytest.raises(TokenRefreshError) as caught:
        refresh_now(kernel_store)
    assert caught.value.reason == "invalid_grant"
    assert kernel_store.path.read_bytes() == saved


def test_revoke_without_issuer_still_deletes(kernel_store: TokenStore) -> None:
    kernel_store.save(replace(offline_tokens(), issuer=None))
    assert revoke_and_delete(kernel_store).revoked is None
    assert kernel_store.load() is None


def test_no_refresh_token_means_sign_in_again(kernel_store: TokenStore) -> None:
    kernel_store.save(offline_tokens(lifetime=timedelta(seconds=-1), refresh_token=None))
    with pytest.raises(TokenRefreshError) as caught:
        tokentoss.get_id_token()
    assert caught.value.reason == "no_refresh_token"
    assert "sign in again" in str(caught.value)


def test_not_signed_in(kernel_store: TokenStore) -> None:
    with pytest.raises(NoCredentialsError) as caught:
        tokentoss.get_id_token()
    assert str(caught.value) == (
        "Not signed in: click 'Sign in with Google' in the JupyterLab sidebar"
    )


def test_plain_http_token_endpoint_off_loopback_is_refused(kernel_store: TokenStore) -> None:
    kernel_store.save(
        offline_tokens(lifetime=timedelta(seconds=-1), token_uri="http://tokens.example/token")
    )
    with pytest.raises(TokenRefreshError, match="plain http") as caught:
        tokentoss.get_id_token()
    assert caught.value.reason == "server"


def test_refresh_now_forces_a_refresh(demo: Demo, kernel_store: TokenStore) -> None:
    old = sign_in(demo, kernel_store)
    new = refresh_now(kernel_store)
    assert new.id_token != old.id_token
    assert demo.stats()["refresh_requests"] == 1


def _id_token(exp: datetime, email: str = "bob@example.com") -> str:
    return jwt.encode({"exp": int(exp.timestamp()), "email": email}, "k" * 32, algorithm="HS256")


def test_expiry_is_the_earliest_of_access_token_and_id_token() -> None:
    old = offline_tokens()
    now = datetime.now(timezone.utc)
    soon = now + timedelta(minutes=20)
    merged = _merge_answer(
        old, {"access_token": "a2", "expires_in": 3600, "id_token": _id_token(soon)}
    )
    assert abs((merged.expiry - soon).total_seconds()) < 1
    assert merged.user_email == "bob@example.com"
    later = now + timedelta(hours=5)
    merged = _merge_answer(
        old, {"access_token": "a2", "expires_in": 600, "id_token": _id_token(later)}
    )
    assert timedelta(seconds=590) < merged.expiry - now <= timedelta(seconds=601)
    assert merged.refresh_token == old.refresh_token
    with_new_refresh = _merge_answer(
        old, {"access_token": "a2", "refresh_token": "1//new", "scope": "openid email"}
    )
    assert with_new_refresh.refresh_token == "1//new"
    assert with_new_refresh.scopes == ("openid", "email")
    assert with_new_refresh.id_token == old.id_token


def test_status_has_no_token_values(demo: Demo, kernel_store: TokenStore) -> None:
    tokens = sign_in(demo, kernel_store)
    state = tokentoss.status()
    text = json.dumps(state.to_json()) + str(state) + repr(state)
    for secret in (tokens.access_token, tokens.id_token, tokens.refresh_token):
        assert secret
        assert secret not in text
    assert state.signed_in
    assert state.email == "demo@example.com"
    assert state.issuer == demo.issuer
    assert "https://www.googleapis.com/auth/userinfo.email" in state.scopes
    assert state.token_file == str(Path(os.environ["TOKENTOSS_TOKEN_FILE"]))


def test_16_threads_at_expiry_cause_one_refresh(demo: Demo, kernel_store: TokenStore) -> None:
    import threading

    sign_in(demo, kernel_store, expired=True)
    barrier = threading.Barrier(16)
    tokens: list[str] = []

    def ask() -> None:
        store = TokenStore(kernel_store.path)  # each thread its own store, as separate libraries
        barrier.wait()
        tokens.append(fresh_tokens(store).id_token)

    threads = [threading.Thread(target=ask) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(tokens) == 16
    assert len(set(tokens)) == 1
    assert demo.stats()["refresh_requests"] == 1


def test_logs_never_carry_token_values(
    demo: Demo, kernel_store: TokenStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    first = sign_in(demo, kernel_store, expired=True)
    second = refresh_now(kernel_store)
    demo.control(refresh="invalid_grant")
    with pytest.raises(TokenRefreshError):
        refresh_now(kernel_store)
    demo.control(refresh="server_error")
    with pytest.raises(TokenRefreshError):
        refresh_now(kernel_store)
    demo.reset()
    assert revoke_and_delete(kernel_store).revoked == "grant"
    assert "refreshed the sign-in of demo@example.com" in caplog.text
    assert "invalid_grant" in caplog.text
    secrets = {
        first.access_token,
        first.id_token,
        first.refresh_token,
        second.access_token,
        second.id_token,
        demo.client_secret,
    }
    for secret in secrets:
        assert secret
        assert secret not in caplog.text
