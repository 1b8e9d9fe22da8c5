"""tokentoss: the Google sign-in made in the JupyterLab sidebar, for every kernel.

    import tokentoss
    tokentoss.get_id_token()                          # fresh ID token
    tokentoss.IAPClient(base_url=URL).get_json("/api/data")
    requests.get(url, auth=tokentoss.IDTokenAuth())   # or httpx
    tokentoss.credentials()                           # google-auth credentials
    display(tokentoss.GoogleAuthWidget())             # the sign-in card in a cell

tokentoss 0.1's names (``configure``, ``ConfigureWidget``, ``AuthManager``, ``FileStorage``, ...)
keep working on top of the shared sign-in; see README's *Upgrading from 0.1*.

Everything is imported on first use, so ``import tokentoss`` is cheap and never imports the
server side (tornado, jupyter_server).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Eager on purpose: the function must win over the submodule of the same name.
from tokentoss.credentials import credentials

if TYPE_CHECKING:
    from tokentoss._logging import disable_debug, enable_debug
    from tokentoss.api import Status, get_access_token, get_id_token, status
    from tokentoss.auth_manager import DEFAULT_SCOPES, AuthManager, generate_pkce_pair
    from tokentoss.client import IAPClient, IDTokenAuth
    from tokentoss.configure_widget import ConfigureWidget
    from tokentoss.errors import (
        InsecureFilePermissionsWarning,
        NoCredentialsError,
        StorageError,
        TokenRefreshError,
        TokenTossError,
    )
    from tokentoss.exceptions import TokenExchangeError
    from tokentoss.setup import (
        configure,
        configure_from_credentials,
        configure_from_file,
        get_config_path,
    )
    from tokentoss.storage import FileStorage, MemoryStorage
    from tokentoss.store import ClientConfig, TokenData, TokenStore
    from tokentoss.widget import GoogleAuthWidget

__all__ = [
    "CREDENTIALS",
    "DEFAULT_SCOPES",
    "AuthManager",
    "ClientConfig",
    "ConfigureWidget",
    "FileStorage",
    "GoogleAuthWidget",
    "IAPClient",
    "IDTokenAuth",
    "InsecureFilePermissionsWarning",
    "MemoryStorage",
    "NoCredentialsError",
    "Status",
    "StorageError",
    "TokenData",
    "TokenExchangeError",
    "TokenRefreshError",
    "TokenStore",
    "TokenTossError",
    "__version__",
    "configure",
    "configure_from_credentials",
    "configure_from_file",
    "credentials",
    "disable_debug",
    "enable_debug",
    "generate_pkce_pair",
    "get_access_token",
    "get_config_path",
    "get_id_token",
    "status",
]

_LAZY = {
    "get_id_token": "tokentoss.api",
    "get_access_token": "tokentoss.api",
    "status": "tokentoss.api",
    "Status": "tokentoss.api",
    "IAPClient": "tokentoss.client",
    "IDTokenAuth": "tokentoss.client",
    "TokenTossError": "tokentoss.errors",
    "NoCredentialsError": "tokentoss.errors",
    "TokenRefreshError": "tokentoss.errors",
    "StorageError": "tokentoss.errors",
    "InsecureFilePermissionsWarning": "tokentoss.errors",
    "TokenData": "tokentoss.store",
    "TokenStore": "tokentoss.store",
    "ClientConfig": "tokentoss.store",
    # tokentoss 0.1's names, kept (see README, "Upgrading from 0.1").
    "GoogleAuthWidget": "tokentoss.widget",
    "ConfigureWidget": "tokentoss.configure_widget",
    "configure": "tokentoss.setup",
    "configure_from_credentials": "tokentoss.setup",
    "configure_from_file": "tokentoss.setup",
    "get_config_path": "tokentoss.setup",
    "AuthManager": "tokentoss.auth_manager",
    "DEFAULT_SCOPES": "tokentoss.auth_manager",
    "generate_pkce_pair": "tokentoss.auth_manager",
    "FileStorage": "tokentoss.storage",
    "MemoryStorage": "tokentoss.storage",
    "TokenExchangeError": "tokentoss.exceptions",
    "enable_debug": "tokentoss._logging",
    "disable_debug": "tokentoss._logging",
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tokentoss")
    except PackageNotFoundError:  # a source tree that is not installed
        pass
    try:  # written by the build (hatch version hook), absent in a fresh clone
        return str(importlib.import_module("tokentoss._version").__version__)
    except ImportError:
        return "0.0.0+unknown"


def _credentials_01() -> Any:
    """0.1's ``tokentoss.CREDENTIALS``: now computed on each read from the shared token file."""
    import warnings

    warnings.warn(
        "tokentoss.CREDENTIALS is deprecated since tokentoss 0.2: use tokentoss.credentials().",
        DeprecationWarning,
        stacklevel=3,
    )
    from tokentoss.store import TokenStore  # not tokentoss.api: it imports requests

    store = TokenStore()
    if not store.path.exists():
        return None  # 0.1's value before a sign-in
    try:
        return credentials(store)
    except ImportError:
        return None  # google-auth is an optional extra now


def __getattr__(name: str) -> Any:
    if name == "CREDENTIALS":  # never cached: it follows sign-in and sign-out
        return _credentials_01()
    if name == "__version__":
        value: Any = _version()
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'tokentoss' has no attribute {name!r}")
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Where Jupyter Server finds the server extension."""
    return [{"module": "tokentoss.server"}]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where JupyterLab finds the prebuilt lab extension."""
    return [{"src": "labextension", "dest": "tokentoss"}]
