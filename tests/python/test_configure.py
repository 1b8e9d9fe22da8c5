"""The user's own OAuth client: ``tokentoss configure`` and ``configure()`` (issue 9, source 3).

Fails on main: there is no ``configure`` command, no ``tokentoss.client_file`` module and no
``GET client``.
"""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from kernel_support import posix_only, run_cli
from server_helpers import Fetch, json_of, jupyter_config

from tokentoss.client_file import write_user_client
from tokentoss.store import TokenStore

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")

SECRET = "GOCSPX-user-secret-" + "s" * 12


def run_configure(
    *args: str, token_file: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """``tokentoss configure ARGS`` through the tests' one CLI runner."""
    return run_cli("configure", *args, token_file=token_file, stdin=stdin)


@posix_only
def test_cli_reads_the_secret_from_stdin_and_writes_0600(tmp_path: Path) -> None:
    token_file = tmp_path / "tt" / "tokens.json"
    result = run_configure(
        "--client-id", "cid.apps", "--client-secret-stdin", token_file=token_file, stdin=SECRET
    )
    assert result.returncode == 0, result.stderr
    assert SECRET not in result.stdout + result.stderr
    client_file = token_file.parent / "client_secrets.json"
    data = json.loads(client_file.read_text())
    # The same file as 0.1's configure() writes: no issuer without --issuer.
    assert data == {
        "installed": {
            "client_id": "cid.apps",
            "client_secret": SECRET,
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": "https://oauth2.googleapis.com/token",
        }
    }
    assert stat.S_IMODE(client_file.stat().st_mode) == 0o600
    assert not token_file.exists()


def test_cli_writes_an_issuer_only_when_given(tmp_path: Path) -> None:
    token_file = tmp_path / "tt" / "tokens.json"
    args = ("--client-id", "cid.apps", "--no-secret")
    result = run_configure(*args, "--issuer", "https://idp.example.com", token_file=token_file)
    assert result.returncode == 0, result.stderr
    section = json.loads(token_file.with_name("client_secrets.json").read_text())["installed"]
    # Google's authorization endpoint would not be this issuer's: not written.
    assert section == {
        "client_id": "cid.apps",
        "client_secret": None,
        "token_uri": "https://oauth2.googleapis.com/token",
        "issuer": "https://idp.example.com",
    }
    # Without --issuer the key goes (the server's TokenTossConfig.issuer applies again).
    assert run_configure(*args, token_file=token_file).returncode == 0
    section = json.loads(token_file.with_name("client_secrets.json").read_text())["installed"]
    assert "issuer" not in section


def test_cli_refuses_a_plain_http_issuer(tmp_path: Path) -> None:
    token_file = tmp_path / "tt" / "tokens.json"
    result = run_configure(
        "--client-id",
        "cid.apps",
        "--no-secret",
        "--issuer",
        "http://idp.example.com",
        token_file=token_file,
    )
    assert result.returncode == 1
    assert "plain http" in result.stderr
    assert not token_file.with_name("client_secrets.json").exists()


def test_cli_takes_googles_download(tmp_path: Path) -> None:
    download = tmp_path / "client_secret_123.json"
    download.write_text(
        json.dumps({"web": {"client_id": "web.apps", "client_secret": SECRET, "project_id": "p"}})
    )
    token_file = tmp_path / "tt" / "tokens.json"
    result = run_configure("--from-file", str(download), token_file=token_file)
    assert result.returncode == 0, result.stderr
    client = TokenStore(token_file).load_client()
    assert client is not None
    assert (client.client_id, client.client_secret) == ("web.apps", SECRET)
    assert client.sign_in_record is False


def test_cli_has_no_secret_argument(tmp_path: Path) -> None:
    result = run_configure(
        "--client-id", "x", "--client-secret", SECRET, token_file=tmp_path / "t.json"
    )
    assert result.returncode == 2
    assert not (tmp_path / "client_secrets.json").exists()


def test_configure_keeps_other_keys_and_drops_a_sign_in_marker(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tt" / "tokens.json")
    store.path.parent.mkdir(mode=0o700)
    store.client_path.write_text(
        json.dumps(
            {
                "installed": {
                    "client_id": "old",
                    "redirect_uris": ["x"],
                    "tokentoss_sign_in_record": True,
                }
            }
        )
    )
    path = write_user_client("new.apps", SECRET, store=store)
    section = json.loads(path.read_text())["installed"]
    assert section["client_id"] == "new.apps"
    assert section["redirect_uris"] == ["x"]
    assert "tokentoss_sign_in_record" not in section


# --- the server reads it as source (3); a sign-in's record is not one --------------------------


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    """The user configured their own client before starting JupyterLab."""
    write_user_client(
        "user.apps", SECRET, issuer="https://idp.example.com", store=TokenStore(token_file)
    )
    return jupyter_config()


async def test_server_reports_the_user_client_file(
    api: Fetch, token_file: Path, jp_serverapp: Any
) -> None:
    answer = await api("client")
    info = json_of(answer)
    assert info["source"] == "user_client_file"
    assert info["origin"] == f"user_client_file:{token_file.parent / 'client_secrets.json'}"
    assert info["managed_fields"] == ["clientId", "clientSecret", "issuer"]
    assert (info["client_id"], info["issuer"], info["has_secret"]) == (
        "user.apps",
        "https://idp.example.com",
        True,
    )
    assert SECRET not in answer.body.decode()
    page = json.loads(jp_serverapp.web_app.settings["page_config_data"]["tokentossClient"])
    assert page == info

    # Rewritten as a browser-mode sign-in's record, the file no longer selects the server mode.
    record = json.loads((token_file.parent / "client_secrets.json").read_text())
    record["installed"]["tokentoss_sign_in_record"] = True
    (token_file.parent / "client_secrets.json").write_text(json.dumps(record))
    assert json_of(await api("client"))["source"] is None
