"""Application default credentials: ``google.auth.default()`` in a real kernel sees the sign-in.

A real Jupyter server with the option on, a real kernel started by its kernel manager, the real
google-auth, and the local provider's userinfo endpoint standing in for a Google API (it accepts
only access tokens it issued and has not revoked).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from kernel_support import Demo, sign_in
from server_helpers import Fetch, jupyter_config

from tokentoss.adc import ADC_FILE_NAME, ENV_ADC_FILE
from tokentoss.store import TokenStore

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")

ADC_ENV = (
    ENV_ADC_FILE,
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GOOGLE_CLOUD_PROJECT",
    "GOOGLE_CLOUD_QUOTA_PROJECT",
)


@pytest.fixture
def adc_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The server exports into os.environ: monkeypatch restores it. gcloud's folder is a decoy."""
    for name in ADC_ENV:
        monkeypatch.delenv(name, raising=False)
    gcloud = tmp_path / "gcloud"
    gcloud.mkdir()
    (gcloud / "application_default_credentials.json").write_text('{"gcloud": "own"}')
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(gcloud))
    return gcloud


@pytest.fixture
def jp_server_config(token_file: Path, adc_env: Path) -> dict[str, Any]:
    return jupyter_config(
        TokenTossConfig={
            "application_default_credentials": True,
            "google_cloud_project": "demo-project",
            "quota_project": "demo-quota",
        }
    )


def sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


KERNEL_CODE = """
import hashlib, json
import google.auth, google.auth.exceptions
from google.auth.transport.requests import AuthorizedSession
try:
    creds, project = google.auth.default()
except google.auth.exceptions.DefaultCredentialsError as exc:
    print(json.dumps({"error": str(exc)}))
else:
    answer = AuthorizedSession(creds).get(USERINFO, timeout=10)
    print(json.dumps({
        "token_sha": hashlib.sha256(creds.token.encode()).hexdigest(),
        "valid": creds.valid,
        "project": project,
        "quota": creds.quota_project_id,
        "userinfo": answer.status_code,
        "email": answer.json().get("email"),
    }))
"""


class Kernel:
    """A kernel started by the server's own kernel manager (so it gets the server's env)."""

    def __init__(self, manager: Any) -> None:
        self.client = manager.blocking_client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(self, code: str) -> str:
        out: list[str] = []

        def hook(msg: dict[str, Any]) -> None:
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                out.append("\n".join(msg["content"]["traceback"]))

        reply = self.client.execute_interactive(code, output_hook=hook, timeout=60)
        assert reply["content"]["status"] == "ok", "".join(out)
        return "".join(out)

    def default(self, userinfo: str) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(
            self.run(f"USERINFO = {userinfo!r}\n" + KERNEL_CODE).strip().splitlines()[-1]
        )
        return result


async def test_kernel_sees_the_sign_in_through_google_auth_default(
    jp_serverapp: Any, api: Fetch, token_file: Path, demo: Demo, adc_env: Path
) -> None:
    adc_file = token_file.with_name(ADC_FILE_NAME)
    assert os.environ["GOOGLE_APPLICATION_CREDENTIALS"] == str(adc_file)
    assert os.environ["GOOGLE_CLOUD_PROJECT"] == "demo-project"
    assert os.environ["GOOGLE_CLOUD_QUOTA_PROJECT"] == "demo-quota"

    store = TokenStore(token_file)
    tokens = sign_in(demo, store)  # the same writer as PUT tokens: TokenStore.save
    assert stat.S_IMODE(adc_file.stat().st_mode) == 0o600
    info = json.loads(adc_file.read_text())
    assert info["type"] == "authorized_user"
    assert info["refresh_token"] == tokens.refresh_token

    kernel_id = await jp_serverapp.kernel_manager.start_kernel()
    kernel = Kernel(jp_serverapp.kernel_manager.get_kernel(kernel_id))
    userinfo = demo.discovery()["userinfo_endpoint"]
    try:
        seen = kernel.default(userinfo)
        assert seen["token_sha"] == sha(tokens.access_token)
        assert seen["valid"] is True  # the cached token, no refresh at Google's endpoint
        assert seen["project"] == "demo-project"
        assert seen["quota"] == "demo-quota"
        assert (seen["userinfo"], seen["email"]) == (200, tokens.user_email)

        # The kernel refreshes on its own (it inherited TOKENTOSS_ADC_FILE): the file follows.
        kernel.run(
            "import tokentoss.api, tokentoss.refresh\n"
            "tokentoss.refresh.refresh_now(tokentoss.api.default_store())"
        )
        refreshed = store.load()
        assert refreshed is not None
        assert refreshed.access_token != tokens.access_token
        seen = kernel.default(userinfo)
        assert seen["token_sha"] == sha(refreshed.access_token)
        assert seen["userinfo"] == 200

        # A refresh by the server (another process than the kernel) too.
        assert (await api("refresh", method="POST")).code == 200
        by_server = store.load()
        assert by_server is not None
        assert kernel.default(userinfo)["token_sha"] == sha(by_server.access_token)

        # Sign-out: no credential left in the file, and google-auth says what to do.
        assert (await api("tokens", method="DELETE")).code == 200
        assert "refresh_token" not in adc_file.read_text()
        error = kernel.default(userinfo)["error"]
        assert "Sign in with Google" in error
        assert "JupyterLab sidebar" in error
    finally:
        kernel.client.stop_channels()
        await jp_serverapp.kernel_manager.shutdown_kernel(kernel_id, now=True)
    # gcloud's own ADC file was never touched.
    assert (adc_env / "application_default_credentials.json").read_text() == '{"gcloud": "own"}'


async def test_kernel_started_before_any_sign_in_gets_a_clear_message(
    jp_serverapp: Any, token_file: Path
) -> None:
    adc_file = token_file.with_name(ADC_FILE_NAME)
    assert "Sign in with Google" in json.loads(adc_file.read_text())["type"]
