"""Claims the kernel side shows: only a vouched-for email and name, control and bidi escaped."""

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
from tokentoss.userinfo import sign_in_identity, with_identity

BIDI_EMAIL = "alice@\u202eelpmaxe.com"  # shows as alice@moc.example in a terminal
MARKUP_NAME = '<img src=x onerror="alert(1)">Ada'


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
        identity = sign_in_identity(
            claims, provider.url, "ya29.x", id_token, "client-1", want_name=False
        )
        assert identity.email == stored
    assert provider.requests == []


@pytest.mark.parametrize("unsafe", ["\u202e", "\u2066", "\u200f", "\x1b", "\x85", "\n", "\x7f"])
@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        # A file written by hand (or an older version) may hold anything: shown escaped.
        ("user_email", "eve{}@example.com", "Signed in as eve{}@example.com ("),
        ("user_name", "Eve{}Ada", "Signed in as Eve{}Ada <alice@example.com> ("),
    ],
)
def test_status_text_escapes_control_and_bidi_characters(
    kernel_store: TokenStore, unsafe: str, field: str, value: str, shown: str
) -> None:
    changes: dict[str, Any] = {field: value.format(unsafe)}
    kernel_store.save(replace(offline_tokens(), **changes))
    text = str(tokentoss.status(kernel_store))
    assert unsafe not in text.replace("\n  ", "")  # the layout's own line breaks aside
    assert shown.format(f"\\u{ord(unsafe):04x}") in text


def test_cli_status_escapes_them_too(kernel_store: TokenStore) -> None:
    kernel_store.save(replace(offline_tokens(), user_email=BIDI_EMAIL))
    result = run_cli("--token-file", str(kernel_store.path), "status")
    assert result.returncode == 0, result.stderr
    assert "\u202e" not in result.stdout
    assert "alice@\\u202eelpmaxe.com" in result.stdout
    as_json = run_cli("--token-file", str(kernel_store.path), "status", "--json").stdout
    assert "\u202e" not in as_json  # JSON escapes it as \u202e; the value round-trips
    assert json.loads(as_json)["email"] == BIDI_EMAIL


@pytest.mark.parametrize(
    ("claims", "stored"),
    [
        ({"name": "Ada Lovelace"}, "Ada Lovelace"),
        ({"name": "Ada Lovelace", "azp": "client-1"}, "Ada Lovelace"),
        ({"name": "Ada Lovelace", "azp": "another-client"}, None),
        ({"name": MARKUP_NAME}, MARKUP_NAME),  # markup is text: escaped where shown
        ({"name": "Ada\u202eecalevoL"}, None),  # bidi override: refused whole
        ({"name": "Ada\x1b[2J"}, None),
        ({"name": "Ada\nLovelace"}, None),
        ({"name": "\u200fAda"}, None),
        ({"name": "   "}, None),
        ({"name": "A" * 256}, "A" * 256),
        ({"name": "A" * 257}, None),
        ({"name": ["Ada"]}, None),
        ({}, "Old Name"),  # no name claim: the one we had stays
    ],
)
def test_refresh_stores_only_a_vouched_name(claims: dict[str, Any], stored: str | None) -> None:
    old = replace(offline_tokens(), user_name="Old Name")
    assert _merge_answer(old, answer_with(**claims)).user_name == stored


def test_an_id_token_with_a_name_has_the_last_word() -> None:
    # Carried, even when refused, the ID token's name is not looked up in userinfo.
    with recording_server(200) as provider:
        for name, stored in (("Ada", "Ada"), ("Ada\u202e", None)):
            claims = {"sub": "1", "email": "bob@example.com", "name": name}
            id_token = answer_with(**claims)["id_token"]
            identity = sign_in_identity(claims, provider.url, "ya29.x", id_token, "client-1")
            assert (identity.email, identity.name) == ("bob@example.com", stored)
    assert provider.requests == []


def test_no_name_is_asked_without_the_profile_scope(kernel_store: TokenStore) -> None:
    # offline_tokens: openid and email granted, no profile: a refresh must not ask userinfo.
    with recording_server(200) as provider:
        tokens = replace(offline_tokens(), issuer=provider.url)
        claims = {"sub": "1", "email": "alice@example.com"}
        assert with_identity(tokens, claims) == tokens
    assert provider.requests == []


def test_cli_status_shows_the_name_as_text(kernel_store: TokenStore) -> None:
    kernel_store.save(replace(offline_tokens(), user_name=MARKUP_NAME))
    result = run_cli("--token-file", str(kernel_store.path), "status")
    assert result.returncode == 0, result.stderr
    assert f"Signed in as {MARKUP_NAME} <alice@example.com>" in result.stdout
    as_json = run_cli("--token-file", str(kernel_store.path), "status", "--json").stdout
    assert json.loads(as_json)["name"] == MARKUP_NAME


def test_files_without_a_name_stay_readable_and_unchanged(kernel_store: TokenStore) -> None:
    tokens = offline_tokens()
    kernel_store.save(tokens)
    on_disk = json.loads(kernel_store.path.read_text())
    assert "user_name" not in on_disk  # written only when known: 0.1's key set otherwise
    assert tokentoss.status(kernel_store).name is None
    kernel_store.save(replace(tokens, user_name="Ada Lovelace"))
    assert json.loads(kernel_store.path.read_text())["user_name"] == "Ada Lovelace"
    assert TokenStore(kernel_store.path).load().user_name == "Ada Lovelace"  # type: ignore[union-attr]
