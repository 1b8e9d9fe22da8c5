"""Where the token file lives: the server decides, and kernels inherit the decision."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from server_helpers import Fetch, json_of, jupyter_config

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")


@pytest.fixture
def configured_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A token file chosen in the server's config, not the environment."""
    # The extension exports the variable into os.environ; monkeypatch restores it afterwards.
    monkeypatch.delenv("TOKENTOSS_TOKEN_FILE", raising=False)
    return tmp_path / "configured" / "tokens.json"


@pytest.fixture
def jp_server_config(configured_file: Path) -> dict[str, Any]:
    """``c.TokenTossConfig.token_file`` set, as an administrator would."""
    return jupyter_config(TokenTossConfig={"token_file": str(configured_file)})


async def test_configured_token_file_is_used_and_exported(
    api: Fetch, configured_file: Path, upload_body: Any
) -> None:
    # Kernels started by this server inherit os.environ: they read the same file.
    assert os.environ["TOKENTOSS_TOKEN_FILE"] == str(configured_file)
    assert json_of(await api("status"))["token_file"] == str(configured_file)

    body = await upload_body()
    assert (await api("tokens", method="PUT", json_body=body)).code == 200
    assert json.loads(configured_file.read_text())["access_token"] == body["access_token"]


def test_relative_token_file_is_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tokentoss.server import _resolve_token_file

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TOKENTOSS_TOKEN_FILE", raising=False)
    resolved = _resolve_token_file("rel/tokens.json")
    assert resolved == tmp_path / "rel" / "tokens.json"
    # A kernel started in another folder must find the same file.
    assert os.environ["TOKENTOSS_TOKEN_FILE"] == str(tmp_path / "rel" / "tokens.json")


def test_nothing_configured_exports_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tokentoss.server import _resolve_token_file
    from tokentoss.store import default_token_path

    # setenv first so monkeypatch restores "unset" after the extension exported the variable.
    monkeypatch.setenv("TOKENTOSS_TOKEN_FILE", "placeholder")
    monkeypatch.delenv("TOKENTOSS_TOKEN_FILE")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "server-config"))
    default = default_token_path().absolute()
    assert _resolve_token_file("") == default
    # A kernel with another config folder still reads the server's file.
    assert os.environ["TOKENTOSS_TOKEN_FILE"] == str(default)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "kernel-config"))
    assert default_token_path() == default
