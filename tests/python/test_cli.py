"""The CLI, run as a real process: output, JSON, exit codes."""

from __future__ import annotations

import json
import os
from datetime import timedelta

from kernel_support import (
    Demo,
    closed_port_url,
    offline_tokens,
    posix_only,
    run_cli,
    sign_in,
)

from tokentoss.store import TokenStore

run = run_cli


def test_help_documents_the_exit_codes() -> None:
    result = run("--help")
    assert result.returncode == 0
    for line in ("0  success", "2  usage", "3  not signed in", "4  refresh failed", "5  refresh"):
        assert line in result.stdout


def test_usage_error_is_2() -> None:
    assert run("print-nothing").returncode == 2
    assert run().returncode == 2


def test_not_signed_in_is_3(kernel_store: TokenStore) -> None:
    result = run("print-identity-token", token_file=kernel_store.path)
    assert result.returncode == 3
    assert result.stdout == ""
    assert "Sign in with Google" in result.stderr
    status = run("status", "--json", token_file=kernel_store.path)
    assert status.returncode == 3
    assert json.loads(status.stdout)["signed_in"] is False


def test_prints_tokens_and_status(kernel_store: TokenStore) -> None:
    tokens = offline_tokens()
    kernel_store.save(tokens)
    result = run("print-identity-token", token_file=kernel_store.path)
    assert (result.returncode, result.stdout) == (0, tokens.id_token + "\n")
    result = run("print-access-token", token_file=kernel_store.path)
    assert (result.returncode, result.stdout) == (0, tokens.access_token + "\n")
    # --token-file beats the environment.
    result = run("--token-file", str(kernel_store.path), "print-identity-token")
    assert result.stdout == tokens.id_token + "\n"
    human = run("status", token_file=kernel_store.path)
    assert human.returncode == 0
    assert "Signed in as alice@example.com" in human.stdout
    machine = run("status", "--json", token_file=kernel_store.path)
    data = json.loads(machine.stdout)
    assert data["signed_in"] is True
    assert data["email"] == "alice@example.com"
    assert data["scopes"] == list(tokens.scopes)
    for secret in (tokens.access_token, tokens.id_token, tokens.refresh_token):
        assert secret
        assert secret not in human.stdout + machine.stdout


def test_network_failure_is_5_and_keeps_the_file(kernel_store: TokenStore) -> None:
    kernel_store.save(
        offline_tokens(lifetime=timedelta(seconds=-5), token_uri=closed_port_url() + "/token")
    )
    before = kernel_store.path.read_bytes()
    result = run("print-identity-token", token_file=kernel_store.path)
    assert result.returncode == 5
    assert "retry" in result.stderr
    assert result.stdout == ""
    assert kernel_store.path.read_bytes() == before


def test_dead_grant_is_4(demo: Demo, kernel_store: TokenStore) -> None:
    tokens = sign_in(demo, kernel_store, expired=True)
    demo.control(refresh="invalid_grant")
    result = run("print-identity-token", token_file=kernel_store.path)
    assert result.returncode == 4
    assert "sign in again" in result.stderr
    assert tokens.refresh_token
    assert tokens.refresh_token not in result.stderr


def test_refreshes_through_the_provider(demo: Demo, kernel_store: TokenStore) -> None:
    old = sign_in(demo, kernel_store, expired=True)
    result = run("print-identity-token", token_file=kernel_store.path)
    assert result.returncode == 0
    assert result.stdout.strip() != old.id_token
    assert demo.stats()["refresh_requests"] == 1


@posix_only
def test_unreadable_file_is_1(kernel_store: TokenStore) -> None:
    kernel_store.path.parent.mkdir(mode=0o700)
    kernel_store.path.write_text("{not json")
    os.chmod(kernel_store.path, 0o600)
    result = run("print-identity-token", token_file=kernel_store.path)
    assert result.returncode == 1
    assert "not valid JSON" in result.stderr
    for args in (("status",), ("status", "--json")):
        result = run(*args, token_file=kernel_store.path)
        assert result.returncode == 1, args
        assert "not valid JSON" in result.stdout
    assert json.loads(result.stdout)["error_reason"] == "storage"
