"""Consent and lifetime, visible: ungranted scopes, no refresh token, a mortal refresh token, and
Workspace reauthentication (RAPT), against the real local provider."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from kernel_support import Demo, run_cli, sign_in

from tokentoss.api import status
from tokentoss.consent import missing_scopes, no_refresh_token_warning
from tokentoss.errors import TokenRefreshError
from tokentoss.refresh import fresh_tokens, refresh_now
from tokentoss.store import TokenStore

ASKED = ("openid", "email", "profile")
WEEK = 7 * 86400


def test_short_scope_names_match_google_urls() -> None:
    granted = ("openid", "https://www.googleapis.com/auth/userinfo.email")
    assert missing_scopes(ASKED, granted) == ("profile",)
    assert missing_scopes(("https://www.googleapis.com/auth/userinfo.profile",), ("profile",)) == ()


def test_unticked_scope_is_reported(demo: Demo, kernel_store: TokenStore) -> None:
    demo.control(unticked_scopes=["profile"])
    tokens = sign_in(demo, kernel_store, scope=" ".join(ASKED))
    kernel_store.save(replace(tokens, requested_scopes=ASKED))

    state = status(kernel_store)
    assert state.missing_scopes == ("profile",)  # email came back as its URL: granted
    assert any("Not granted" in w and "profile" in w for w in state.warnings)
    assert state.to_json()["missing_scopes"] == ["profile"]

    result = run_cli("status", token_file=kernel_store.path)
    assert result.returncode == 0
    assert "warning: Not granted at the consent screen: profile" in result.stdout


def test_sign_in_without_refresh_token_warns_once(demo: Demo, kernel_store: TokenStore) -> None:
    demo.control(issue_refresh_token=False)
    tokens = sign_in(demo, kernel_store)
    assert tokens.refresh_token is None

    state = status(kernel_store)
    assert state.warnings == [no_refresh_token_warning(tokens.expiry)]
    result = run_cli("status", "--json", token_file=kernel_store.path)
    assert json.loads(result.stdout)["warnings"] == [no_refresh_token_warning(tokens.expiry)]


def test_refresh_records_when_the_refresh_token_expires(
    demo: Demo, kernel_store: TokenStore
) -> None:
    sign_in(demo, kernel_store)
    assert status(kernel_store).refresh_token_expires_at is None
    demo.control(refresh_token_expires_in=WEEK)
    before = datetime.now(timezone.utc)
    refresh_now(kernel_store)

    at = kernel_store.load().refresh_token_expires_at  # type: ignore[union-attr]
    assert at is not None
    assert before + timedelta(seconds=WEEK - 5) <= at <= before + timedelta(seconds=WEEK + 60)
    raw = json.loads(kernel_store.path.read_text())
    assert "refresh_token_expires_at" in raw  # an added key of the token file
    assert any("refresh token expires at" in w for w in status(kernel_store).warnings)

    # A refresh answer that does not restate it keeps what we knew.
    demo.control(refresh_token_expires_in=None)
    refresh_now(kernel_store)
    assert kernel_store.load().refresh_token_expires_at == at  # type: ignore[union-attr]


@pytest.mark.parametrize("subtype", ["invalid_rapt", "rapt_required"])
def test_reauthentication_policy_says_so(
    demo: Demo, kernel_store: TokenStore, subtype: str
) -> None:
    tokens = sign_in(demo, kernel_store, expired=True)
    demo.control(refresh=subtype)
    with pytest.raises(TokenRefreshError) as caught:
        fresh_tokens(kernel_store)
    assert caught.value.reason == "reauth_required"
    assert caught.value.sign_in_again
    assert "Your organisation requires you to sign in again" in str(caught.value)

    result = run_cli("print-identity-token", token_file=kernel_store.path)
    assert result.returncode == 4
    assert "organisation requires you to sign in again" in result.stderr
    assert tokens.refresh_token
    assert tokens.refresh_token not in result.stderr


def test_plain_invalid_grant_still_reads_expired_or_revoked(
    demo: Demo, kernel_store: TokenStore
) -> None:
    sign_in(demo, kernel_store, expired=True)
    demo.control(refresh="invalid_grant")
    with pytest.raises(TokenRefreshError) as caught:
        fresh_tokens(kernel_store)
    assert caught.value.reason == "invalid_grant"
    assert "organisation" not in str(caught.value)
