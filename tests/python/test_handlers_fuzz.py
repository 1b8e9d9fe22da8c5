"""A bounded, seeded fuzz run of PUT tokens against the live server.

Each example mutates a valid body (drop, add or retype fields, huge or odd strings, odd JSON)
and sends it. Properties: never a 5xx; every answer is JSON with a message; a body the
validator accepts on its own is still refused, because its state belongs to no registered
sign-in (``unknown_sign_in``); every refusal leaves the token folder byte-for-byte as it was.
The seed is fixed, so a failure replays; the example count bounds the run.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kernel_support import offline_tokens
from server_helpers import Fetch, json_of, jupyter_config, snapshot, valid_body

from tokentoss.server.validation import ALLOWED_FIELDS, ValidationError, parse_upload
from tokentoss.store import TokenStore

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")

SEED = 20261125
EXAMPLES = 300
ISSUER = "https://accounts.example.com"

ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    1e308,
    "",
    " ",
    "\u0000",
    "\ud7ff\ue000",
    "é" * 3000,
    "x" * 20_000,
    "<script>alert(1)</script>",
    "%s%n%x",
    "../../etc/passwd",
    "1970-01-01T00:00:00Z",
    "9999-12-31T23:59:59+00:00",
    "http://evil.example/",
    "javascript:alert(1)",
    [],
    [None],
    ["x"] * 100,
    {},
    {"nested": {"deeper": [1, 2, 3]}},
]


def _mutate(rng: random.Random, body: dict[str, Any]) -> bytes | dict[str, Any]:
    kind = rng.randrange(8)
    if kind == 0:  # drop fields
        for key in rng.sample(sorted(body), rng.randint(1, 3)):
            del body[key]
    elif kind == 1:  # retype a field
        body[rng.choice(sorted(body))] = rng.choice(ODD_VALUES)
    elif kind == 2:  # add a field
        body[rng.choice(["extra", "__proto__", "constructor", "ACCESS_TOKEN", "é"])] = 1
    elif kind == 3:  # grow a string field past or near its cap
        key = rng.choice(sorted(ALLOWED_FIELDS))
        body[key] = "a" * rng.choice([2047, 2048, 2049, 16383, 16384, 16385, 40000])
    elif kind == 4:  # raw bytes: truncated, odd JSON, not JSON
        raw = json.dumps(body).encode()
        return rng.choice(
            [raw[: rng.randrange(len(raw))], b"[" * rng.randint(1, 40000), b"\xff\xfe", b"1"]
        )
    elif kind == 5:  # swap two field values
        a, b = rng.sample(sorted(body), 2)
        body[a], body[b] = body[b], body[a]
    elif kind == 6:  # scopes list games
        body["scopes"] = [
            rng.choice([*ODD_VALUES[:12], "openid"]) for _ in range(rng.randint(0, 70))
        ]
    # kind 7: unchanged (a valid body must still be accepted)
    return body


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    """The extension enabled; depends on token_file so the env is set before start-up."""
    return jupyter_config()


async def test_fuzzed_put_bodies(api: Fetch, token_file: Path) -> None:
    rng = random.Random(SEED)
    TokenStore(token_file).save(offline_tokens())
    accepted = refused = 0
    for example in range(EXAMPLES):
        mutated = _mutate(rng, valid_body(ISSUER))
        raw = mutated if isinstance(mutated, bytes) else json.dumps(mutated).encode()
        before = snapshot(token_file.parent)
        response = await api(
            "tokens", method="PUT", body=raw, headers={"Content-Type": "application/json"}
        )
        where = f"example {example} (seed {SEED})"
        assert response.code in {400, 413}, where
        assert json_of(response).get("message") is not None, where
        assert snapshot(token_file.parent) == before, where
        if json_of(response)["reason"] == "unknown_sign_in":
            accepted += 1
            _expect(
                lambda raw=raw: parse_upload(raw, "application/json", None), ok=True, where=where
            )
        else:
            refused += 1
            _expect(
                lambda raw=raw: parse_upload(raw, "application/json", None), ok=False, where=where
            )
    # Both sides of the property were exercised.
    assert accepted > 10
    assert refused > 100


def _expect(call: Callable[[], object], *, ok: bool, where: str) -> None:
    try:
        call()
    except ValidationError:
        assert not ok, where
    else:
        assert ok, where
