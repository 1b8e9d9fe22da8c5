"""What ``import tokentoss`` costs and exposes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from kernel_support import ROOT

import tokentoss


def python(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_import_pulls_in_no_server_and_no_http_stack() -> None:
    loaded = json.loads(
        python("import sys, json, tokentoss; print(json.dumps(sorted(sys.modules)))")
    )
    for heavy in ("tornado", "jupyter_server", "requests", "httpx", "google.auth", "jwt"):
        assert heavy not in loaded


def test_import_loads_nothing_of_ours_but_the_credentials_function() -> None:
    # Every name is lazy (issue 11's configure() included); credentials() must win over its module.
    loaded = json.loads(
        python("import sys, json, tokentoss; print(json.dumps(sorted(sys.modules)))")
    )
    assert [m for m in loaded if m.startswith("tokentoss.")] == ["tokentoss.credentials"]


def test_01_names_and_cards_pull_in_no_server_and_no_http_stack(tmp_path: Path) -> None:
    # tokentoss 0.1's names (issue 11): a notebook that displays the cards stays light.
    code = (
        "import sys, json, warnings, tokentoss\n"
        "warnings.simplefilter('ignore')\n"
        "for n in ('GoogleAuthWidget', 'ConfigureWidget', 'configure', 'get_config_path',"
        " 'FileStorage', 'MemoryStorage', 'AuthManager', 'TokenExchangeError', 'enable_debug',"
        " 'DEFAULT_SCOPES', 'CREDENTIALS'): getattr(tokentoss, n)\n"
        "tokentoss.GoogleAuthWidget()._repr_mimebundle_()\n"
        "tokentoss.ConfigureWidget()._repr_mimebundle_()\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    # Signed out (CREDENTIALS would load google-auth for a signed-in user, as it should).
    loaded = json.loads(python(code, TOKENTOSS_TOKEN_FILE=str(tmp_path / "tokens.json")))
    for heavy in ("tornado", "jupyter_server", "requests", "httpx", "google.auth", "jwt"):
        assert heavy not in loaded


def test_public_api_does_not_import_the_server() -> None:
    code = (
        "import sys, tokentoss\n"
        "for name in tokentoss.__all__: getattr(tokentoss, name)\n"
        "print('tornado' in sys.modules, 'jupyter_server' in sys.modules)"
    )
    assert python(code).split() == ["False", "False"]


@pytest.mark.parametrize("name", sorted(set(tokentoss.__all__) - {"CREDENTIALS"}))
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(tokentoss, name) is not None


def test_credentials_global_is_deprecated_and_none_when_signed_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TOKENTOSS_TOKEN_FILE", str(tmp_path / "tokens.json"))
    with pytest.warns(DeprecationWarning, match=r"tokentoss\.credentials\(\)"):
        assert tokentoss.CREDENTIALS is None


def test_credentials_stays_a_function_after_importing_its_module() -> None:
    code = (
        "import tokentoss.credentials, tokentoss\n"
        "from tokentoss.credentials import credentials\n"
        "print(callable(tokentoss.credentials), tokentoss.credentials is credentials)"
    )
    assert python(code).split() == ["True", "True"]


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = tokentoss.nope  # type: ignore[attr-defined]


def test_jupyter_entry_points() -> None:
    assert tokentoss._jupyter_server_extension_points() == [{"module": "tokentoss.server"}]
    assert tokentoss._jupyter_labextension_paths() == [{"src": "labextension", "dest": "tokentoss"}]


def test_version_is_a_string() -> None:
    assert isinstance(tokentoss.__version__, str)
    assert tokentoss.__version__


def test_credentials_without_google_auth_says_how_to_install() -> None:
    # A real interpreter in which google-auth cannot be imported.
    code = (
        "import sys\n"
        "sys.modules['google'] = None\n"
        "import tokentoss\n"
        "try:\n"
        "    tokentoss.credentials()\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    assert "pip install tokentoss[google]" in python(code)


def test_errors_keep_their_reason_across_pickling() -> None:
    import pickle

    error = tokentoss.TokenRefreshError("sign in again", "invalid_grant")
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 (our own bytes)
    assert again.reason == "invalid_grant"
    assert str(again) == "sign in again"
