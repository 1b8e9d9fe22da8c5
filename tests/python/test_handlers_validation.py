"""The PUT body validator as pure functions (no server)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from server_helpers import make_id_token, valid_body

from tokentoss._redact import redact
from tokentoss.server.validation import (
    MAX_BODY_BYTES,
    ValidationError,
    check_content_type,
    check_size,
    parse_expiry,
    validate_upload,
)
from tokentoss.tokendata import parse_time

NOW = datetime.now(timezone.utc)
ISSUER = "https://accounts.google.com"


def test_declared_length_over_the_cap_is_413_even_with_a_short_body() -> None:
    with pytest.raises(ValidationError) as caught:
        check_size(str(MAX_BODY_BYTES + 1), b"{}")
    assert caught.value.status == 413
    check_size(str(MAX_BODY_BYTES), b"x" * MAX_BODY_BYTES)
    with pytest.raises(ValidationError):
        check_size("twelve", b"{}")


@pytest.mark.parametrize(
    "value",
    ["application/json", "Application/JSON; charset=utf-8", 'application/json;charset="UTF8"'],
)
def test_json_content_types_accepted(value: str) -> None:
    check_content_type(value)


@pytest.mark.parametrize(
    "value", ["", "text/json", "application/json5", "application/json; charset=utf-16"]
)
def test_other_content_types_refused(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_content_type(value)
    assert caught.value.status == 415


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25T18:00:00.123Z", datetime(2026, 11, 25, 18, 0, 0, 123000, timezone.utc)),
        ("2026-11-25T18:00:00.123z", datetime(2026, 11, 25, 18, 0, 0, 123000, timezone.utc)),
        ("2026-11-25T19:00:00+01:00", datetime(2026, 11, 25, 18, 0, tzinfo=timezone.utc)),
    ],
)
def test_expiry_formats_from_javascript_and_python(text: str, expected: datetime) -> None:
    now = datetime(2026, 11, 25, 17, 0, tzinfo=timezone.utc)
    assert parse_expiry(text, "expires_at", now) == expected
    # The token file's reader reads what the server accepts, the same way (one parser).
    assert parse_time(text) == expected


def test_id_token_exp_no_datetime_can_hold_is_absurd() -> None:
    body = valid_body(
        ISSUER, id_token=make_id_token(issuer=ISSUER, client_id="client-123", exp=1e30)
    )
    with pytest.raises(ValidationError) as caught:
        validate_upload(body, NOW)
    assert caught.value.reason == "absurd_expiry"


def test_expiry_window_is_a_day_each_way() -> None:
    now = datetime(2026, 11, 25, 17, 0, tzinfo=timezone.utc)
    parse_expiry("2026-11-24T17:00:00+00:00", "expires_at", now)
    parse_expiry("2026-11-26T17:00:00+00:00", "expires_at", now)
    for text in ("2026-11-24T16:59:59+00:00", "2026-11-26T17:00:01+00:00"):
        with pytest.raises(ValidationError) as caught:
            parse_expiry(text, "expires_at", now)
        assert caught.value.reason == "absurd_expiry"


def test_stored_expiry_is_the_earliest_of_body_and_id_token() -> None:
    exp = int((NOW + timedelta(minutes=10)).timestamp())
    id_token = make_id_token(issuer=ISSUER, client_id="client-123", exp=exp)
    later = (NOW + timedelta(hours=1)).isoformat()
    upload = validate_upload(valid_body(ISSUER, id_token=id_token, expires_at=later), NOW)
    assert upload.expiry == datetime.fromtimestamp(exp, timezone.utc)

    sooner = NOW + timedelta(minutes=5)
    upload = validate_upload(
        valid_body(ISSUER, id_token=id_token, expires_at=sooner.isoformat()), NOW
    )
    assert upload.expiry == sooner


def test_email_comes_from_the_id_token_when_the_body_has_none() -> None:
    upload = validate_upload(valid_body(ISSUER, user_email=None), NOW)
    assert upload.user_email == "alice@example.com"


def test_user_name_must_match_the_id_token_name() -> None:
    id_token = make_id_token(issuer=ISSUER, client_id="client-123", name="Ada Lovelace")
    ok = validate_upload(valid_body(ISSUER, id_token=id_token, user_name="Ada Lovelace"), NOW)
    assert ok.user_name == "Ada Lovelace"
    with pytest.raises(ValidationError) as caught:
        validate_upload(valid_body(ISSUER, id_token=id_token, user_name="Mallory"), NOW)
    assert caught.value.reason == "id_token_mismatch"


@pytest.mark.parametrize("name", ["Ada\u202eecalevoL", "Ada\x1b[2J", "Ada\nLovelace", "A" * 257])
def test_user_name_with_control_characters_or_too_long_is_refused(name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_upload(valid_body(ISSUER, user_name=name), NOW)
    assert caught.value.reason == "invalid_body"
    assert name not in caught.value.message


def test_user_name_with_markup_is_text() -> None:
    # Markup is not refused: it is shown as text wherever a name is shown.
    name = "<img src=x onerror=alert(1)>"
    assert validate_upload(valid_body(ISSUER, user_name=name), NOW).user_name == name


def test_email_comparison_ignores_case() -> None:
    upload = validate_upload(valid_body(ISSUER, user_email="Alice@Example.com"), NOW)
    assert upload.user_email == "Alice@Example.com"


def test_audience_may_be_a_list() -> None:
    token = make_id_token(issuer=ISSUER, client_id="x", aud=["other", "client-123"])
    validate_upload(valid_body(ISSUER, id_token=token), NOW)


def test_plain_http_is_allowed_on_loopback_only() -> None:
    validate_upload(valid_body("http://127.0.0.1:9999"), NOW)
    validate_upload(valid_body("http://localhost:9999"), NOW)
    with pytest.raises(ValidationError) as caught:
        validate_upload(valid_body("http://idp.example.com"), NOW)
    assert caught.value.reason == "insecure_url"


def test_duplicate_scopes_are_collapsed_in_order() -> None:
    upload = validate_upload(valid_body(ISSUER, scopes=["openid", "email", "openid"]), NOW)
    assert upload.scopes == ("openid", "email")


def test_records_for_the_store() -> None:
    body = valid_body(ISSUER)
    token_uri = "https://oauth2.example/token"
    tokens, client = validate_upload(body, NOW).to_store_records(token_uri=token_uri, now=NOW)
    assert tokens.access_token == body["access_token"]
    assert tokens.created_at == NOW
    assert tokens.issuer == ISSUER
    assert tokens.token_uri == client.token_uri == token_uri
    # Only a verified email and name are stored (uploads.verified_records adds them).
    assert (tokens.user_email, tokens.user_name) == (None, None)
    assert client.client_secret == body["client_secret"]
    assert client.sign_in_record is True


def test_token_uri_in_the_body_is_an_unknown_field() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_upload(valid_body(ISSUER, token_uri="https://evil.example/token"), NOW)
    assert caught.value.reason == "unknown_field"


def test_repr_and_messages_never_show_tokens() -> None:
    body: dict[str, Any] = valid_body(ISSUER)
    upload = validate_upload(body, NOW)
    assert body["access_token"] not in repr(upload)
    assert body["refresh_token"] not in repr(upload)
    bad = dict(body, scopes=body["access_token"])
    with pytest.raises(ValidationError) as caught:
        validate_upload(bad, NOW)
    assert body["access_token"] not in str(caught.value)


def test_redact_removes_known_values_and_jwts() -> None:
    jwt_like = make_id_token(issuer=ISSUER, client_id="c")
    text = f"provider said: bad token 1//refresh-abc and {jwt_like}!"
    cleaned = redact(text, ["1//refresh-abc", None])
    assert "1//refresh-abc" not in cleaned
    assert jwt_like not in cleaned
    assert cleaned.startswith("provider said: bad token [redacted]")


def test_optional_fields_may_be_missing_null_or_empty() -> None:
    body = valid_body(ISSUER, refresh_token=None, client_secret="")
    del body["user_email"]
    upload = validate_upload(body, NOW)
    assert upload.refresh_token is None
    assert upload.client_secret is None
    assert upload.user_email == "alice@example.com"  # from the ID token
