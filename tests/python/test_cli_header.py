"""``--header`` hands ``Authorization: Bearer ...`` to curl on stdin, off every command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from kernel_support import ROOT, offline_tokens, recording_server, run_cli

from tokentoss.store import TokenStore


def tokentoss_output(*args: str, store: TokenStore) -> str:
    result = run_cli("--token-file", str(store.path), *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_header_flag_prints_one_authorization_line(kernel_store: TokenStore) -> None:
    tokens = offline_tokens()
    kernel_store.save(tokens)
    assert tokentoss_output("print-identity-token", "--header", store=kernel_store) == (
        f"Authorization: Bearer {tokens.id_token}\n"
    )
    assert tokentoss_output("print-access-token", "--header", store=kernel_store) == (
        f"Authorization: Bearer {tokens.access_token}\n"
    )


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl (7.55+ reads -H @-)")
def test_readme_pipe_sends_the_token_without_a_command_line(kernel_store: TokenStore) -> None:
    tokens = offline_tokens()
    kernel_store.save(tokens)
    with recording_server(200) as service:
        # The README's example, as a shell runs it: the token is in no process's argv.
        command = (
            f"{sys.executable} -m tokentoss --token-file {kernel_store.path} "
            f"print-identity-token --header | curl -sf -H @- {service.url}/api/data"
        )
        subprocess.run(
            ["sh", "-c", command],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
            timeout=60,
            capture_output=True,
        )
    assert tokens.id_token not in command
    assert service.requests[0]["headers"]["authorization"] == f"Bearer {tokens.id_token}"
