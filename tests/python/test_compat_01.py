"""Compatibility with tokentoss 0.1.1 from PyPI, installed in its own venv (cached, see compat01).

0.1.1 reads what we write (including its IAPClient calling the protected service and its
AuthManager refreshing), and we read what 0.1.1 writes.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from compat01 import run_old
from kernel_support import Demo, sign_in

from tokentoss.errors import InsecureFilePermissionsWarning
from tokentoss.refresh import refresh_now
from tokentoss.store import TokenStore

READ_AND_CALL = textwrap.dedent(
    """
    import json, os, warnings
    from tokentoss.exceptions import InsecureFilePermissionsWarning
    warnings.simplefilter("error", InsecureFilePermissionsWarning)
    from tokentoss import __version__
    from tokentoss.storage import FileStorage
    from tokentoss.auth_manager import ClientConfig
    from tokentoss.client import IAPClient
    path = os.environ["TOKENTOSS_TOKEN_FILE"]
    data = FileStorage(path).load()
    client = ClientConfig.from_file(os.path.join(os.path.dirname(path), "client_secrets.json"))
    who = IAPClient(base_url=os.environ["SERVICE"]).get_json("/whoami")
    print(json.dumps({
        "version": __version__, "email": data.user_email, "scopes": data.scopes,
        "id_token": data.id_token, "refresh_token": data.refresh_token,
        "expiry": data.expiry_datetime.isoformat(), "expired": data.is_expired,
        "client_id": client.client_id, "token_uri": client.token_uri, "who": who,
    }))
    """
)

REFRESH_WITH_AUTH_MANAGER = textwrap.dedent(
    """
    import json, os
    from tokentoss.storage import FileStorage
    from tokentoss.auth_manager import AuthManager
    path = os.environ["TOKENTOSS_TOKEN_FILE"]
    manager = AuthManager(
        client_secrets_path=os.path.join(os.path.dirname(path), "client_secrets.json"),
        storage=FileStorage(path),
    )
    print(json.dumps({"authenticated": manager.is_authenticated,
                      "error": repr(manager.last_error)}))
    """
)

WRITE_OLD_FILES = textwrap.dedent(
    """
    import json, os
    from tokentoss.storage import FileStorage, TokenData
    from tokentoss.setup import configure
    path = os.environ["TOKENTOSS_TOKEN_FILE"]
    FileStorage(path).save(TokenData(
        access_token="ya29.old", id_token="eyJold.payload.sig", refresh_token="1//old",
        expiry="2031-02-03T04:05:06+00:00", scopes=["openid", "email"],
        user_email="old@example.com", created_at="2031-02-03T03:05:06+00:00",
    ))
    print(json.dumps(str(configure(client_id="old-client", client_secret="old-secret"))))
    """
)


def test_tokentoss_01_reads_what_we_write(demo: Demo, kernel_store: TokenStore) -> None:
    ours = sign_in(demo, kernel_store)
    env = {"TOKENTOSS_TOKEN_FILE": str(kernel_store.path), "SERVICE": demo.service}
    old = run_old(READ_AND_CALL, env)
    assert old["version"] == "0.1.0"  # what 0.1.1 reports about itself
    assert old["email"] == "demo@example.com"
    assert old["id_token"] == ours.id_token
    assert old["refresh_token"] == ours.refresh_token
    assert old["scopes"] == list(ours.scopes)
    assert old["expiry"] == ours.expiry.isoformat()
    assert old["expired"] is False
    assert old["client_id"] == demo.client_id
    assert old["token_uri"] == ours.token_uri
    # 0.1.1's own IAPClient, with our file, through the protected service.
    assert old["who"]["email"] == "demo@example.com"


def test_tokentoss_01_refreshes_our_file_and_we_read_its_write(
    demo: Demo, kernel_store: TokenStore
) -> None:
    ours = sign_in(demo, kernel_store, expired=True)
    answer = run_old(REFRESH_WITH_AUTH_MANAGER, {"TOKENTOSS_TOKEN_FILE": str(kernel_store.path)})
    assert answer == {"authenticated": True, "error": "None"}
    assert demo.stats()["refresh_requests"] == 1
    raw = json.loads(kernel_store.path.read_text())
    assert "issuer" not in raw  # rewritten by 0.1.1, which knows only its own keys
    theirs = TokenStore(kernel_store.path).load()
    assert theirs is not None
    assert theirs.refresh_token == ours.refresh_token
    assert theirs.expiry > ours.expiry
    assert theirs.user_email == "demo@example.com"
    assert theirs.issuer is None
    # And we can keep refreshing a 0.1.1-written file (client details from client_secrets.json).
    again = refresh_now(kernel_store)
    assert again.refresh_token == ours.refresh_token
    assert demo.stats()["refresh_requests"] == 2


def test_we_read_files_written_by_tokentoss_01(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token_file = tmp_path / "old" / "tokens.json"
    config_home = tmp_path / "config"
    client_file = Path(
        run_old(
            WRITE_OLD_FILES,
            {"TOKENTOSS_TOKEN_FILE": str(token_file), "XDG_CONFIG_HOME": str(config_home)},
        )
    )
    store = TokenStore(token_file)
    # 0.1.1 creates the folder with the umask's mode: we tighten it, and say so.
    with pytest.warns(InsecureFilePermissionsWarning, match="tightened"):
        tokens = store.load()
    assert tokens is not None
    assert tokens.access_token == "ya29.old"
    assert tokens.id_token == "eyJold.payload.sig"
    assert tokens.refresh_token == "1//old"
    assert tokens.expiry.isoformat() == "2031-02-03T04:05:06+00:00"
    assert tokens.scopes == ("openid", "email")
    assert tokens.user_email == "old@example.com"
    assert tokens.created_at is not None
    assert client_file == config_home / "tokentoss" / "client_secrets.json"
    client = TokenStore(client_file.with_name("tokens.json")).load_client()
    assert client is not None
    assert client.client_id == "old-client"
    assert client.client_secret == "old-secret"
    assert client.token_uri == "https://oauth2.googleapis.com/token"
