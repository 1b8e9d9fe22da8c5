"""The kernel library against a certified OpenID provider (npm oidc-provider), configured as its
documentation recommends: refresh tokens only with offline_access, rotated on every use, a used
refresh token presented again revokes the whole grant, email and name only from userinfo."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import jwt
import pytest
import requests
from certified_support import (
    LOGIN,
    LOGIN_NAME,
    Certified,
    authorize_certified,
    sign_in_certified,
    start_certified,
    stop_certified,
)
from kernel_support import posix_only, race_for_token

from tokentoss._jwt import unverified_claims
from tokentoss.errors import TokenRefreshError
from tokentoss.refresh import fresh_tokens, refresh_now
from tokentoss.signout import revoke_and_delete
from tokentoss.store import TokenStore
from tokentoss.userinfo import sign_in_identity


@pytest.fixture(scope="module")
def certified_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Certified]:
    """``node demo/certified-provider.mjs`` on free loopback ports, once per module."""
    provider = start_certified(tmp_path_factory.mktemp("certified") / "provider.log")
    yield provider
    stop_certified(provider)


@pytest.fixture
def certified(certified_provider: Certified) -> Certified:
    """The provider with its counters at zero."""
    certified_provider.reset()
    return certified_provider


def test_discovery_lists_offline_access(certified: Certified) -> None:
    assert "offline_access" in certified.discovery()["scopes_supported"]


def test_refresh_token_only_with_offline_access(certified: Certified) -> None:
    assert "refresh_token" not in authorize_certified(certified, "openid email")
    assert authorize_certified(certified, "openid email offline_access")["refresh_token"]


def test_id_token_has_no_email_by_default(certified: Certified) -> None:
    answer = authorize_certified(certified)
    assert "email" not in unverified_claims(answer["id_token"])


def test_refresh_rotates_and_writes_the_new_token_back_at_once(
    certified: Certified, kernel_store: TokenStore
) -> None:
    old = sign_in_certified(certified, kernel_store, expired=True)
    new = fresh_tokens(kernel_store)
    assert new.refresh_token
    assert new.refresh_token != old.refresh_token
    assert TokenStore(kernel_store.path).load() == new  # a fresh reader sees the rotated token
    assert certified.stats()["refresh_grants"] == 1
    # The provider really rotated: the old refresh token is now a replay, which ends the grant.
    answer = requests.post(
        certified.discovery()["token_endpoint"],
        data={
            "grant_type": "refresh_token",
            "refresh_token": old.refresh_token,
            "client_id": certified.client_id,
            "client_secret": certified.client_secret,
        },
        timeout=10,
    )
    assert answer.json()["error"] == "invalid_grant"
    with pytest.raises(TokenRefreshError) as caught:
        refresh_now(kernel_store)
    assert caught.value.reason == "invalid_grant"


@posix_only
def test_32_processes_cause_one_refresh_and_none_replays_a_rotated_token(
    certified: Certified, kernel_store: TokenStore
) -> None:
    old = sign_in_certified(certified, kernel_store, expired=True)
    answers = race_for_token(kernel_store, 32)
    assert [answer.error for answer in answers] == [None] * 32
    tokens = {answer.token for answer in answers}
    assert len(tokens) == 1
    assert old.id_token not in tokens
    stats = certified.stats()
    # Reuse detection would show as a rejected refresh and a revoked grant.
    assert (stats["refresh_grants"], stats["refresh_rejections"], stats["grants_revoked"]) == (
        1,
        0,
        0,
    )
    # The rotated token on disk still works: the grant is alive.
    assert refresh_now(kernel_store).refresh_token


def test_post_refresh_path_rotates_under_the_lock_too(
    certified: Certified, kernel_store: TokenStore
) -> None:
    sign_in_certified(certified, kernel_store)
    first = refresh_now(kernel_store)  # what POST refresh runs
    second = refresh_now(kernel_store)
    assert first.refresh_token != second.refresh_token
    assert certified.stats()["refresh_rejections"] == 0


def test_email_comes_from_userinfo_after_a_refresh(
    certified: Certified, kernel_store: TokenStore
) -> None:
    signed_in = sign_in_certified(certified, kernel_store, expired=True)
    assert signed_in.user_email is None  # the ID token had none
    refreshed = fresh_tokens(kernel_store)
    assert refreshed.user_email == LOGIN
    # The name too, from the same answer (profile granted; the ID token had none).
    assert refreshed.user_name == LOGIN_NAME
    assert TokenStore(kernel_store.path).load().user_name == LOGIN_NAME  # type: ignore[union-attr]
    assert certified.stats()["userinfo_requests"] == 1
    # Known from now on: the next refresh asks userinfo no more.
    refresh_now(kernel_store)
    assert certified.stats()["userinfo_requests"] == 1


def test_name_from_the_id_token_wins_over_userinfo(certified: Certified) -> None:
    answer = authorize_certified(certified)
    claims = {**unverified_claims(answer["id_token"]), "name": "Ada from the ID token"}
    identity = sign_in_identity(
        claims, certified.issuer, answer["access_token"], answer["id_token"], certified.client_id
    )
    # userinfo was asked for the email the token lacks, not for the name it carries.
    assert (identity.email, identity.name) == (LOGIN, "Ada from the ID token")
    assert certified.stats()["userinfo_requests"] == 1


def test_userinfo_for_another_subject_is_ignored(certified: Certified) -> None:
    answer = authorize_certified(certified)
    # An ID token of someone else with this user's access token: userinfo answers for Ada,
    # whose sub is not the token's, so neither her email nor her name is taken.
    claims = {**unverified_claims(answer["id_token"]), "sub": "mallory"}
    other_id_token = jwt.encode(claims, "k" * 32, algorithm="HS256")
    identity = sign_in_identity(
        claims, certified.issuer, answer["access_token"], other_id_token, certified.client_id
    )
    assert (identity.email, identity.name) == (None, None)
    assert certified.stats()["userinfo_requests"] == 1  # asked, and the answer refused


def test_sign_out_revokes_the_grant(certified: Certified, kernel_store: TokenStore) -> None:
    sign_in_certified(certified, kernel_store, with_email=True)
    report = revoke_and_delete(kernel_store)
    assert report.revoked == "grant"
    assert "grant revoked" in report.describe()
    assert certified.stats()["grants_revoked"] == 1


def test_sign_out_without_refresh_token_says_only_the_access_token(
    certified: Certified, kernel_store: TokenStore, tmp_path: Path
) -> None:
    tokens = sign_in_certified(certified, kernel_store, with_email=True)
    kernel_store.save(replace(tokens, refresh_token=None))
    report = revoke_and_delete(kernel_store)
    assert report.revoked == "access_token"
    assert "no refresh token" in report.describe()
