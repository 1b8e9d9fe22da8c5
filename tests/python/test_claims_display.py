"""Claims the kernel side shows: only a vouched-for email, control and bidi characters escaped."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import jwt
import pytest
from kernel_support import offline_tokens, recording_server, run_cli

import tokentoss
from tokentoss.refresh import _merge_answer
from tokentoss.store import TokenStore
from tokentoss.userinfo import sign_in_email

BIDI_EMAIL = "alice@\u202eelpmaxe.com"  # shows as alice@moc.example in a terminal


def answer_with(**claims: Any) -> dict[str, Any]:
    id_token = jwt.encode({"sub": "1", **claims}, "k" * 32, algorithm="HS256")
    return {"access_token": "ya29.new", "id_token": id_token, "expires_in": 3600}


@pytest.mark.parametrize(
    ("claims", "stored"),
    [
        (
            {"email": "bob@example.com", "email_verified": True, "azp": "client-1"},
            "bob@example.com",
        ),
        ({"email": "bob@example.com", "email_verified": False}, None),
        ({"email": "bob@example.com", "email_verified": "false"}, None),
        ({"email": "bob@example.com", "azp": "another-client"}, None),
        ({"email": BIDI_EMAIL}, None),
        ({"email": "bob@example.com\x1b[2J"}, None),
        ({"email": "bob@example.com", "email_verified": "FALSE"}, None),
        ({"email": "bob\u200f@example.com"}, None),
        ({"email": "not an email"}, None),
        ({}, "alice@example.com"),  # no email claim: the one we had stays
    ],
)
def test_refresh_stores_only_a_vouched_email(claims: dict[str, Any], stored: str | None) -> None:
    old = offline_tokens()
    assert _merge_answer(old, answer_with(**claims)).user_email == stored


@pytest.mark.parametrize(
    ("claims", "stored"),
    [
        ({"sub": "1", "email": "bob@example.com", "email_verified": False}, None),
        ({"sub": "1", "email": BIDI_EMAIL}, None),
        ({"sub": "1", "email": "bob@example.com"}, "bob@example.com"),
    ],
)
def test_an_id_token_with_an_email_has_the_last_word(
    claims: dict[str, Any], stored: str | None
) -> None:
    # userinfo is asked only when the ID token carries no email: never to overrule it.
    with recording_server(200) as provider:
        id_token = answer_with(**claims)["id_token"]
        assert sign_in_email(claims, provider.url, "ya29.x", id_token, "client-1") == stored
    assert provider.requests == []


@pytest.mark.parametrize("unsafe", ["\u202e", "\u2066", "\u200f", "\x1b", "\x85", "\n", "\x7f"])
def test_status_text_escapes_control_and_bidi_characters(
    kernel_store: TokenStore, unsafe: str
) -> None:
    kernel_store.save(replace(offline_tokens(), user_email=f"eve{unsafe}@example.com"))
    text = str(tokentoss.status(kernel_store))
    assert f"eve{unsafe}@" not in text
    assert f"eve\\u{ord(unsafe):04x}@example.com" in text


def test_cli_status_escapes_them_too(kernel_store: TokenStore) -> None:
    kernel_store.save(replace(offline_tokens(), user_email=BIDI_EMAIL))
    result = run_cli("--token-file", str(kernel_store.path), "status")
    assert result.returncode == 0, result.stderr
    assert "\u202e" not in result.stdout
    assert "alice@\\u202eelpmaxe.com" in result.stdout
    as_json = run_cli("--token-file", str(kernel_store.path), "status", "--json").stdout
    assert "\u202e" not in as_json  # JSON escapes it as \u202e; the value round-trips
    assert json.loads(as_json)["email"] == BIDI_EMAIL
