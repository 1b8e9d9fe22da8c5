"""The shape of a request body, checked against the JSON Schema shipped in ``schemas/``.

One description per body: the schema file drives these checks, docs/openapi.yaml carries the
same schema (tests/python/test_body_schemas.py compares them), and the meaning (expiry windows,
URL security, the ID token) stays in Python beside the handler. jsonschema comes with
jupyter_server and is imported on the first check, never with ``tokentoss``.

Its own messages quote the offending value, and a body carries tokens: every error becomes a
:class:`ValidationError` naming only the field and the rule, from the schema's own words.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .request_checks import ValidationError, check_fields

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError as SchemaError
    from jsonschema.protocols import Validator

__all__ = ["SCHEMA_FOLDER", "check_shape", "load_schema"]

SCHEMA_FOLDER = Path(__file__).parent / "schemas"
# Only names we wrote ourselves reach a message; anything else is a key from the body.
_SAFE_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
_TYPE_WORDS = {
    "string": "a string",
    "array": "a list",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object",
    "null": "null",
}


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """The schema ``schemas/<name>.json`` as a dict (``token-upload``, ``user-client``, ...)."""
    schema: dict[str, Any] = json.loads((SCHEMA_FOLDER / f"{name}.json").read_text("utf-8"))
    return schema


def _ecma_pattern(
    validator: Validator, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[SchemaError]:
    # ECMA-262's '$' (what the schema and the browser mean) ends the input; Python's also
    # matches before a final newline, which would let "token\n" through.
    from jsonschema.exceptions import ValidationError as SchemaError

    if validator.is_type(instance, "string"):
        found = re.search(pattern, instance)
        if found is None or (pattern.endswith("$") and found.end() != len(instance)):
            yield SchemaError("does not match the pattern")


@functools.cache
def _validator(name: str) -> Validator:
    from jsonschema.validators import extend, validator_for

    schema = load_schema(name)
    cls = validator_for(schema)
    cls.check_schema(schema)  # a broken schema file fails loudly, not as "every body is fine"
    checker: type[Validator] = extend(cls, {"pattern": _ecma_pattern})  # type: ignore[no-untyped-call]
    return checker(schema)


def _field(error: SchemaError) -> str:
    name, *rest = [*error.absolute_path] or ["body"]
    name = f"'{name}'" if isinstance(name, str) and _SAFE_NAME.fullmatch(name) else "a field"
    return f"an item of {name}" if rest else name


def _rule(error: SchemaError) -> str:
    """What the schema asks, in its own terms (the rule's value is ours, never the body's)."""
    keyword, wanted = str(error.validator), error.validator_value
    if keyword == "type":
        types = [*wanted] if isinstance(wanted, list) else [str(wanted)]
        return "must be " + " or ".join(_TYPE_WORDS.get(t, t) for t in types)
    if keyword == "minLength":
        return "must not be empty" if wanted == 1 else f"is shorter than {wanted} characters"
    if keyword == "maxLength":
        return f"is longer than {wanted} characters"
    if keyword == "pattern":
        return "contains characters that are not allowed, or is not of the expected form"
    if keyword == "maxItems":
        return f"has more than {wanted} items"
    if keyword == "enum":
        values = wanted if isinstance(wanted, list) else []
        return "must be one of: " + ", ".join(json.dumps(value) for value in values)
    return f"breaks the rule '{keyword}' of its schema"


def check_shape(body: Mapping[str, Any], name: str) -> None:
    """Check ``body`` against ``schemas/<name>.json``; raise the first error as ValidationError.

    Unknown fields come first (``unknown_field``), then missing ones (``missing_field``), then
    the first other error in the schema's field order (``invalid_body``).
    """
    errors = list(_validator(name).iter_errors(body))
    if not errors:
        return
    schema = load_schema(name)
    fields = [*schema["properties"]]
    if any(error.validator in ("additionalProperties", "required") for error in errors):
        # The one place that words these two (and keeps unprintable keys out of the message).
        check_fields(body, frozenset(fields), frozenset(schema["required"]))

    def position(error: SchemaError) -> int:
        first = next(iter(error.absolute_path), None)
        return fields.index(first) if first in fields else len(fields)

    error = min(errors, key=position)
    raise ValidationError(f"{_field(error)} {_rule(error)}")
