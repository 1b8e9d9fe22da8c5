"""The warm path keeps no time-based cache: the very next call sees another process's refresh
or sign-out (each write is a rename, so the stat key changes)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from kernel_support import ROOT, Demo, sign_in

import tokentoss
from tokentoss.errors import NoCredentialsError
from tokentoss.store import TokenStore


def in_another_process(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, cwd=ROOT)


def test_next_call_sees_a_refresh_and_a_sign_out_by_another_process(
    demo: Demo, kernel_store: TokenStore
) -> None:
    sign_in(demo, kernel_store)
    first = tokentoss.get_id_token()
    assert tokentoss.get_id_token() == first  # warm
    demo.control(
        id_token_ttl=1800
    )  # a different exp: the new ID token differs even in the same second
    in_another_process(
        "from tokentoss.refresh import refresh_now; from tokentoss.store import TokenStore;"
        f"refresh_now(TokenStore({str(kernel_store.path)!r}))"
    )
    refreshed = tokentoss.get_id_token()
    assert refreshed != first
    assert refreshed == TokenStore(kernel_store.path).load().id_token  # type: ignore[union-attr]
    in_another_process(
        f"from tokentoss.store import TokenStore; TokenStore({str(kernel_store.path)!r}).delete()"
    )
    with pytest.raises(NoCredentialsError):
        tokentoss.get_id_token()
