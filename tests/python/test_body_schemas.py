"""One description per request body: the JSON Schema shipped in the package.

The server checks shapes with it (jsonschema), docs/openapi.yaml carries the same schema, and a
refusal names the field and the rule, never the value (a body carries tokens).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema.validators import validator_for
from server_helpers import new_state, valid_body

from tokentoss.server.body_schema import SCHEMA_FOLDER, check_shape, load_schema
from tokentoss.server.signin_body import validate_registration
from tokentoss.server.validation import ValidationError, validate_upload

SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
# schema file → its component in docs/openapi.yaml
COMPONENTS = {
    "token-upload": "TokenUpload",
    "signin-registration": "SignInRegistration",
    "user-client": "UserClient",
}
NOW = datetime.now(timezone.utc)
ISSUER = "https://accounts.example.com"
SECRET = "ya29.SECRET-VALUE-" + "s" * 20


def as_json_schema(openapi_schema: Any) -> Any:
    """OpenAPI 3.0's one difference from JSON Schema: ``nullable: true`` is a ``null`` type."""
    if isinstance(openapi_schema, list):
        return [as_json_schema(item) for item in openapi_schema]
    if not isinstance(openapi_schema, dict):
        return openapi_schema
    converted = {key: as_json_schema(value) for key, value in openapi_schema.items()}
    if converted.pop("nullable", False):
        converted["type"] = [converted["type"], "null"]
    return converted


def test_every_shipped_schema_is_a_valid_2020_12_schema() -> None:
    names = sorted(path.stem for path in SCHEMA_FOLDER.glob("*.json"))
    assert names == sorted(COMPONENTS)
    for name in names:
        schema = load_schema(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        validator_for(schema).check_schema(schema)


@pytest.mark.parametrize(("name", "component"), COMPONENTS.items())
def test_openapi_carries_the_shipped_schema(name: str, component: str) -> None:
    shipped = {k: v for k, v in load_schema(name).items() if k not in ("$schema", "$id", "title")}
    documented = yaml.safe_load(SPEC.read_text())["components"]["schemas"][component]
    assert as_json_schema(documented) == shipped, (
        f"docs/openapi.yaml's {component} differs from tokentoss/server/schemas/{name}.json: "
        "copy the schema file's content there (nullable: true for a null type)"
    )


def _registration(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "state": new_state(),
        "nonce": new_state(),
        "redirect_uri": "http://127.0.0.1:8888/tokentoss/callback",
        "mode": "browser",
    }
    body.update(overrides)
    return body


def test_valid_bodies_pass_the_shape_check() -> None:
    check_shape(valid_body(ISSUER), "token-upload")
    check_shape(valid_body(ISSUER, refresh_token="", client_secret=None), "token-upload")
    check_shape(_registration(), "signin-registration")
    check_shape(_registration(mode="server", code_verifier=new_state()), "signin-registration")


# Each puts SECRET where a token could be: the refusal must not repeat it.
UPLOAD_BREAKS: list[tuple[str, dict[str, Any], str]] = [
    ("too-long", {"access_token": SECRET * 1000}, "'access_token' is longer than 16384"),
    ("newline-inside", {"access_token": SECRET + "\nX"}, "'access_token' contains characters"),
    # Python's '$' would match before a final newline; the schema means ECMA's (end of input).
    ("newline-at-end", {"refresh_token": SECRET + "\n"}, "'refresh_token' contains characters"),
    ("not-a-jwt", {"id_token": SECRET}, "'id_token' contains characters"),
    ("wrong-type", {"refresh_token": [SECRET]}, "'refresh_token' must be a string or null"),
    ("secret-as-scopes", {"scopes": SECRET}, "'scopes' must be a list"),
    ("secret-in-scopes", {"scopes": [SECRET + " x"]}, "an item of 'scopes' contains"),
    ("too-many-scopes", {"scopes": [SECRET] * 65}, "'scopes' has more than 64 items"),
    ("empty-client-id", {"client_id": ""}, "'client_id' must not be empty"),
    ("number-lifetime", {"refresh_token_expires_in": SECRET}, "must be a whole number or null"),
]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [(o, m) for _, o, m in UPLOAD_BREAKS],
    ids=[c for c, *_ in UPLOAD_BREAKS],
)
def test_upload_refusal_names_field_and_rule_never_the_value(
    overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_upload(valid_body(ISSUER, **overrides), NOW)
    assert caught.value.reason == "invalid_body"
    assert message in caught.value.message
    assert SECRET not in caught.value.message
    assert "SECRET" not in caught.value.message


def test_unknown_fields_come_before_missing_ones_and_odd_keys_are_not_echoed() -> None:
    body = valid_body(ISSUER, **{SECRET: 1, "extra": 2})
    del body["state"]
    with pytest.raises(ValidationError) as caught:
        validate_upload(body, NOW)
    assert (caught.value.reason, caught.value.message) == (
        "unknown_field",
        "Unknown field(s): extra, <unprintable>",
    )
    del body[SECRET], body["extra"]
    with pytest.raises(ValidationError) as caught:
        validate_upload(body, NOW)
    assert (caught.value.reason, caught.value.message) == (
        "missing_field",
        "Missing field(s): state",
    )


def test_registration_refusals_name_field_and_rule() -> None:
    with pytest.raises(ValidationError, match=r"'mode' must be one of: \"server\", \"browser\""):
        validate_registration(_registration(mode="implicit"))
    with pytest.raises(ValidationError) as caught:
        validate_registration(_registration(nonce=SECRET + "<>"))
    assert caught.value.message.startswith("'nonce' contains characters")
    assert SECRET not in caught.value.message
    with pytest.raises(ValidationError, match="'code_verifier' is required in server mode"):
        validate_registration(_registration(mode="server"))
    registration = validate_registration(_registration(code_verifier=None, hosted_domain=""))
    assert (registration.code_verifier, registration.hosted_domain) == (None, None)


# Letters, digits and '_' only, as many opaque tokens are: such a key is still not echoed.
OPAQUE_TOKEN = "ghp_" + "a1B2c3D4" * 4


@pytest.mark.parametrize("name", sorted(COMPONENTS))
def test_an_opaque_token_as_a_key_is_not_echoed_by_any_body(name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_shape({OPAQUE_TOKEN: 1, "extra": 2}, name)
    assert (caught.value.reason, caught.value.message) == (
        "unknown_field",
        "Unknown field(s): extra, <unprintable>",
    )
