"""Generic checks of a JSON request: content type, size, strict JSON parsing.

Pure functions, no tornado; messages never quote the body (it may carry credentials).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Set
from typing import Any

__all__ = [
    "MAX_BODY_BYTES",
    "ValidationError",
    "check_content_type",
    "check_fields",
    "check_size",
    "parse_json_object",
]

MAX_BODY_BYTES = 64 * 1024
# Only keys that read like our field names (lowercase words joined by '_') are echoed back in
# "unknown field" messages: a key could be anything, including a pasted token, and tokens and
# secrets carry digits, capitals, '.' or '-', or run long.
_SAFE_NAME = re.compile(r"[a-z][a-z_]{0,31}")


class ValidationError(ValueError):
    """The request body was refused; ``message`` is safe to show and to log."""

    def __init__(self, message: str, reason: str = "invalid_body", status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.status = status


def check_content_type(value: str | None) -> None:
    """Accept ``application/json`` (any charset parameter must be UTF-8), else 415."""
    media_type, _, params = (value or "").partition(";")
    if media_type.strip().lower() != "application/json":
        raise ValidationError(
            "Content-Type must be application/json", "unsupported_media_type", 415
        )
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip().strip('"').lower() not in {
            "utf-8",
            "utf8",
        }:
            raise ValidationError("The body must be UTF-8 JSON", "unsupported_media_type", 415)


def check_size(content_length: str | None, body: bytes) -> None:
    """Refuse bodies over :data:`MAX_BODY_BYTES`, by declared length and by actual length."""
    declared: int | None = None
    if content_length is not None:
        try:
            declared = int(content_length)
        except ValueError:
            raise ValidationError("Content-Length is not a number") from None
    if (declared is not None and declared > MAX_BODY_BYTES) or len(body) > MAX_BODY_BYTES:
        raise ValidationError(
            f"The body is larger than {MAX_BODY_BYTES} bytes", "body_too_large", 413
        )


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Two values for one key would let a proxy and the server read different bodies.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValidationError("The JSON body has a duplicate key")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValidationError("NaN and Infinity are not JSON")


def parse_json_object(body: bytes) -> dict[str, Any]:
    """Parse a UTF-8 JSON object; anything else is a :class:`ValidationError`."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError("The body is not valid UTF-8") from None
    try:
        parsed = json.loads(
            text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant
        )
    except (json.JSONDecodeError, RecursionError):
        # RecursionError: 64 KiB of '[' is valid-looking JSON nested deeper than Python recurses.
        raise ValidationError("The body is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise ValidationError("The body must be a JSON object")
    return parsed


def check_fields(body: Mapping[str, Any], allowed: Set[str], required: Set[str]) -> None:
    """Refuse unknown keys (``unknown_field``), then missing ones (``missing_field``)."""
    unknown = sorted(set(body) - allowed)
    if unknown:
        names = [name if _SAFE_NAME.fullmatch(name) else "<unprintable>" for name in unknown]
        raise ValidationError("Unknown field(s): " + ", ".join(names[:10]), "unknown_field")
    missing = sorted(required - set(body))
    if missing:
        raise ValidationError("Missing field(s): " + ", ".join(missing), "missing_field")
