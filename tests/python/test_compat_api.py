"""tokentoss 0.1's public API on top of the new design (issue 11).

The names of 0.1.1's ``__all__`` and README import and behave as 0.1 code relies on: configure()
writes 0.1's client file, FileStorage/AuthManager read the shared store (with deprecation
warnings naming the new call), the kernel-side flow is gone with a clear error, and the widgets
are cards whose output carries no configuration. Cross-checked against the real 0.1.1 (compat01).
"""

from __future__ import annotations

import json
import os
import stat
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from compat01 import run_old
from kernel_support import Demo, posix_only, sign_in

import tokentoss
from tokentoss import errors
from tokentoss.store import TokenStore

# 0.1.1's __all__ (read from its source) and the lazy names of its README / __getattr__.
OLD_ALL = [
    "CREDENTIALS", "DEFAULT_SCOPES", "AuthManager", "ClientConfig", "FileStorage",
    "InsecureFilePermissionsWarning", "MemoryStorage", "NoCredentialsError", "StorageError",
    "TokenData", "TokenExchangeError", "TokenRefreshError", "TokenTossError", "__version__",
    "configure", "configure_from_credentials", "configure_from_file", "disable_debug",
    "enable_debug", "generate_pkce_pair", "get_config_path",
]  # fmt: skip
OLD_LAZY = ["GoogleAuthWidget", "IAPClient", "ConfigureWidget"]
OLD_SUBMODULES = {
    "tokentoss.storage": ["FileStorage", "MemoryStorage", "TokenData", "APP_NAME"],
    "tokentoss.auth_manager": [
        "AuthManager", "ClientConfig", "DEFAULT_SCOPES", "generate_pkce_pair",
        "GOOGLE_AUTH_URI", "GOOGLE_TOKEN_URI",
    ],
    "tokentoss.exceptions": [
        "TokenTossError", "NoCredentialsError", "TokenRefreshError", "TokenExchangeError",
        "StorageError", "InsecureFilePermissionsWarning",
    ],
    "tokentoss.setup": [
        "configure", "configure_from_credentials", "configure_from_file", "get_config_path",
        "APP_NAME", "GOOGLE_AUTH_URI", "GOOGLE_TOKEN_URI", "GOOGLE_CERT_URL",
        "DEFAULT_REDIRECT_URIS",
    ],
    "tokentoss.widget": ["GoogleAuthWidget"],
    "tokentoss.configure_widget": ["ConfigureWidget"],
}  # fmt: skip
SECRET = "GOCSPX-not-a-real-secret"


@pytest.mark.parametrize("name", OLD_ALL + OLD_LAZY)
def test_every_01_top_level_name_is_public_again(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        getattr(tokentoss, name)
    assert name in tokentoss.__all__ or name in OLD_LAZY


def test_our_list_of_01_names_is_0_1_1s_own() -> None:
    old = run_old(
        "import json, tokentoss; print(json.dumps(sorted(tokentoss.__all__)))",
    )
    assert sorted(OLD_ALL) == old


@pytest.mark.parametrize("module", sorted(OLD_SUBMODULES))
def test_01_submodules_and_their_names(module: str) -> None:
    imported = __import__(module, fromlist=["_"])
    for name in OLD_SUBMODULES[module]:
        assert hasattr(imported, name), f"{module}.{name}"


def test_01_exceptions_are_the_classes_we_raise() -> None:
    from tokentoss import exceptions

    assert exceptions.NoCredentialsError is errors.NoCredentialsError
    assert exceptions.TokenRefreshError is errors.TokenRefreshError
    assert issubclass(exceptions.TokenExchangeError, errors.TokenTossError)
    # A 0.1 notebook's except clause catches what get_id_token raises now.
    with pytest.raises(exceptions.NoCredentialsError):
        tokentoss.get_id_token(store=TokenStore("/nonexistent/tokentoss/tokens.json"))


def run_ours(code: str) -> str:
    """Run ``code`` in a fresh interpreter with this checkout's tokentoss."""
    import subprocess
    import sys

    from kernel_support import ROOT

    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


# -- configure() ----------------------------------------------------------------------------


@posix_only
def test_configure_writes_01s_client_file_beside_the_token_file(kernel_store: TokenStore) -> None:
    path = tokentoss.configure(client_id=" 123.apps.example ", client_secret=SECRET)
    assert path == kernel_store.client_path == tokentoss.get_config_path()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    section = json.loads(path.read_text())["installed"]
    assert section == {
        "client_id": "123.apps.example",
        "client_secret": SECRET,
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
    }  # no issuer, as in 0.1: the server's TokenTossConfig.issuer applies
    # Our store reads it as the user's client (not a sign-in's record) ...
    client = kernel_store.load_client()
    assert client is not None
    assert client.client_id == "123.apps.example"
    assert client.client_secret == SECRET
    # ... and so does tokentoss 0.1.1 itself.
    old = run_old(
        "import json, os\nfrom tokentoss.auth_manager import ClientConfig\n"
        "c = ClientConfig.from_file(os.environ['F'])\n"
        "print(json.dumps([c.client_id, c.token_uri]))",
        {"F": str(path)},
    )
    assert old == ["123.apps.example", "https://oauth2.googleapis.com/token"]


def test_configure_replaces_a_sign_in_record(kernel_store: TokenStore) -> None:
    kernel_store.client_path.parent.mkdir(parents=True)
    kernel_store.client_path.write_text(
        json.dumps({"installed": {"client_id": "old", "tokentoss_sign_in_record": True}})
    )
    tokentoss.configure(client_id="new", client_secret=SECRET)
    section = json.loads(kernel_store.client_path.read_text())["installed"]
    assert section["client_id"] == "new"
    assert "tokentoss_sign_in_record" not in section


def test_configure_from_a_downloaded_file(kernel_store: TokenStore, tmp_path: Path) -> None:
    download = tmp_path / "client_secret_123.json"
    download.write_text(json.dumps({"web": {"client_id": "w", "client_secret": SECRET}}))
    path = tokentoss.configure(path=download)
    section = json.loads(path.read_text())["installed"]
    assert (section["client_id"], section["client_secret"]) == ("w", SECRET)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "Provide either"),
        ({"client_id": "", "client_secret": SECRET}, "client_id cannot be empty"),
        ({"client_id": "a", "client_secret": "  "}, "client_secret cannot be empty"),
        ({"client_id": "a", "client_secret": SECRET + "\nx"}, "client_secret must be one line"),
    ],
)
def test_configure_refuses_bad_input_without_echoing_it(
    kernel_store: TokenStore, kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        tokentoss.configure(**kwargs)
    assert SECRET not in str(caught.value)
    assert not kernel_store.client_path.exists()


def test_configure_is_the_function_even_after_the_writer_module_loads() -> None:
    # The client-file writer lives in tokentoss.client_file: no submodule shadows 0.1's function.
    code = (
        "import tokentoss.client_file, tokentoss.setup, tokentoss\n"
        "print(tokentoss.configure is tokentoss.setup.configure)"
    )
    assert run_ours(code).strip() == "True"


# -- FileStorage, AuthManager ---------------------------------------------------------------


def test_file_storage_round_trip_in_01s_shape(kernel_store: TokenStore) -> None:
    from tokentoss.storage import FileStorage, TokenData

    old = TokenData(
        access_token="ya29.a", id_token="eyJ.h.s", refresh_token="1//r",
        expiry="2031-02-03T04:05:06+00:00", scopes=["openid", "email"],
        user_email="old@example.com", created_at="2031-02-03T03:05:06+00:00",
    )  # fmt: skip
    storage = FileStorage()
    assert storage.path == kernel_store.path
    storage.save(old)
    assert storage.exists()
    assert storage.load() == old
    assert kernel_store.load().user_email == "old@example.com"  # type: ignore[union-attr]
    assert "ya29.a" not in repr(old)
    storage.clear()
    assert storage.load() is None


def test_auth_manager_reads_the_shared_sign_in_and_warns(
    demo: Demo, kernel_store: TokenStore
) -> None:
    sign_in(demo, kernel_store, expired=True)
    with pytest.warns(DeprecationWarning, match=r"tokentoss\.get_id_token\(\)"):
        manager = tokentoss.AuthManager()
    with pytest.warns(DeprecationWarning, match=r"use tokentoss\.get_id_token\(\)"):
        token = manager.id_token  # refreshed: the stored one had expired
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert token == kernel_store.load().id_token  # type: ignore[union-attr]
        assert manager.user_email == "demo@example.com"
        assert manager.is_authenticated
        assert manager.client_config is not None
        assert manager.client_config.client_id == demo.client_id
        creds = manager.credentials
        assert creds is not None
        assert creds.token == kernel_store.load().access_token
        refreshed = manager.refresh_tokens()
        assert refreshed.id_token == kernel_store.load().id_token  # type: ignore[union-attr]
        assert demo.stats()["refresh_requests"] == 2
        manager.clear()
    assert not kernel_store.path.exists()
    assert demo.stats()["revocations"] == 1


def test_auth_manager_signed_out(kernel_store: TokenStore) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        manager = tokentoss.AuthManager()  # 0.1 raised when no client was configured
        assert manager.id_token is None
        assert not manager.is_authenticated
        assert manager.credentials is None
        assert tokentoss.CREDENTIALS is None


@pytest.mark.parametrize("method", ["get_authorization_url", "exchange_code"])
def test_kernel_side_flow_points_to_the_sidebar_and_the_card(
    kernel_store: TokenStore, method: str
) -> None:
    from tokentoss.exceptions import TokenExchangeError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        manager = tokentoss.AuthManager()
    with pytest.raises(TokenExchangeError, match=r"sidebar.*GoogleAuthWidget") as caught:
        getattr(manager, method)("code", "verifier")
    assert isinstance(caught.value, NotImplementedError)


def test_credentials_global_follows_the_sign_in(demo: Demo, kernel_store: TokenStore) -> None:
    sign_in(demo, kernel_store)
    with pytest.warns(DeprecationWarning, match=r"tokentoss\.credentials\(\)"):
        creds = tokentoss.CREDENTIALS
    assert creds is not None
    assert creds.id_token == kernel_store.load().id_token


# -- the widgets: cards with no configuration in their output -------------------------------


def test_sign_in_card_output_carries_no_configuration(kernel_store: TokenStore) -> None:
    bundle = tokentoss.GoogleAuthWidget()._repr_mimebundle_()
    assert bundle["application/vnd.tokentoss.signin+json"] == {"version": 1}
    assert "JupyterLab sidebar" in bundle["text/plain"]
    assert bundle["text/html"].startswith("<div")


def test_configure_card_output_carries_no_configuration() -> None:
    bundle = tokentoss.ConfigureWidget()._repr_mimebundle_()
    assert bundle["application/vnd.tokentoss.configure+json"] == {"version": 1}
    assert "tokentoss.configure(client_id=..., client_secret=...)" in bundle["text/plain"]
    with pytest.raises(TypeError):
        tokentoss.ConfigureWidget(client_secret=SECRET)  # type: ignore[call-arg]


def test_01_widget_arguments_are_accepted_with_a_warning(
    demo: Demo, kernel_store: TokenStore, tmp_path: Path
) -> None:
    with pytest.warns(DeprecationWarning, match=r"tokentoss\.configure"):
        widget = tokentoss.GoogleAuthWidget(client_secrets_path=str(tmp_path / "c.json"))
    sign_in(demo, kernel_store)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert widget.is_authenticated
        assert widget.user_email == "demo@example.com"
        assert widget.status == "Signed in as demo@example.com"
        assert widget.auth_url == ""
    with pytest.warns(DeprecationWarning, match="runs in the browser"):
        assert widget.show_manual_input is False
    with pytest.raises(AttributeError):
        _ = widget.nope  # type: ignore[attr-defined]


def test_old_and_new_token_records_convert_both_ways() -> None:
    from tokentoss.storage import TokenData

    expiry = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=1)
    old = TokenData("a", "i", "", expiry.isoformat(), ["openid"])
    new = old.to_new()
    assert new.refresh_token is None
    assert new.expiry == expiry
    assert TokenData.from_new(new) == old
    assert not old.is_expired


def test_debug_switch(capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    logger = logging.getLogger("tokentoss")
    level, handlers = logger.level, list(logger.handlers)
    try:
        tokentoss.enable_debug()
        tokentoss.enable_debug()  # idempotent
        logger.debug("hello")
        tokentoss.disable_debug()
        logger.debug("silent")
        assert capsys.readouterr().out.count("hello") == 1
    finally:
        # disable_debug() leaves the level at WARNING, as 0.1 did: later tests read INFO logs.
        logger.setLevel(level)
        logger.handlers = handlers
