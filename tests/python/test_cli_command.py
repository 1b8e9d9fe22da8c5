"""The terminal command the panel shows (issue 15): the server's own Python, quoted for the shell.

Run for real in ``sh`` with a PATH that knows neither the server's environment nor ``tokentoss``,
as in a JupyterLab terminal whose ``python`` is another one. Fails on main: the panel said
``python -m tokentoss``, and the server put no command into the page config.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from kernel_support import offline_tokens, posix_only
from server_helpers import jupyter_config

from tokentoss.server.cli_command import _MODULE_ARGS, PAGE_CONFIG_CLI_KEY, cli_command
from tokentoss.store import TokenStore

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")

# What a terminal of another environment has: no venv's bin, no tokentoss script.
BARE_PATH = os.pathsep.join(["/usr/bin", "/bin"])


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    return jupyter_config()


def in_bare_shell(command: str, token_file: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``command`` in ``sh`` as a terminal of this server runs it, minus the server's PATH."""
    env = {"PATH": BARE_PATH, "HOME": str(cwd), "TOKENTOSS_TOKEN_FILE": str(token_file)}
    return subprocess.run(
        ["sh", "-c", command], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


async def test_the_page_config_carries_the_servers_python(jp_serverapp: Any) -> None:
    page_config = jp_serverapp.web_app.settings["page_config_data"]
    assert page_config[PAGE_CONFIG_CLI_KEY] == f"{shlex.quote(sys.executable)} {_MODULE_ARGS}"


@posix_only
def test_the_command_prints_the_id_token_from_a_bare_shell(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens" / "tokens.json")
    tokens = offline_tokens()
    store.save(tokens)
    command = cli_command()
    assert command is not None
    result = in_bare_shell(f"{command} print-identity-token", store.path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == tokens.id_token + "\n"


@posix_only
def test_a_path_with_spaces_and_quotes_survives_the_shell(tmp_path: Path) -> None:
    # The same environment reached through a folder name a shell would split or end a quote at.
    venv = Path(sys.prefix)
    odd = tmp_path / "it's my env $HOME"
    odd.symlink_to(venv, target_is_directory=True)
    python = odd / Path(sys.executable).relative_to(venv)
    store = TokenStore(tmp_path / "tokens" / "tokens.json")
    store.save(offline_tokens(email="quoted@example.com"))
    command = cli_command(str(python), windows=False)
    assert command is not None
    result = in_bare_shell(f"{command} status --json", store.path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["email"] == "quoted@example.com"


def test_windows_gets_a_powershell_call() -> None:
    # JupyterLab's terminals on Windows run PowerShell: & runs a quoted path, '' is a literal '.
    command = cli_command(r"C:\Program Files\Bob's env\python.exe", windows=True)
    assert command == r"& 'C:\Program Files\Bob''s env\python.exe' " + _MODULE_ARGS


def test_no_command_without_a_known_interpreter() -> None:
    assert cli_command("") is None


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_the_shell_reads_back_the_quoted_path() -> None:
    path = "/opt/a b/'c'/$(touch x)/python"
    command = cli_command(path, windows=False)
    assert command is not None
    assert shlex.split(command) == [path, *_MODULE_ARGS.split()]
