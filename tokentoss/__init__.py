"""tokentoss: the Google sign-in made in the JupyterLab sidebar, for every kernel.

    import tokentoss
    tokentoss.get_id_token()                          # fresh ID token
    tokentoss.IAPClient(base_url=URL).get_json("/api/data")
    requests.get(url, auth=tokentoss.IDTokenAuth())   # or httpx
    tokentoss.credentials()                           # google-auth credentials

Everything is imported on first use, so ``import tokentoss`` is cheap and never imports the
server side (tornado, jupyter_server).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Eager on purpose: the function must win over the submodule of the same name.
from tokentoss.credentials import credentials

if TYPE_CHECKING:
    from tokentoss.api import Status, get_access_token, get_id_token, status
    from tokentoss.client import IAPClient, IDTokenAuth
    from tokentoss.errors import (
        InsecureFilePermissionsWarning,
        NoCredentialsError,
        StorageError,
        TokenRefreshError,
        TokenTossError,
    )
    from tokentoss.store import ClientConfig, TokenData, TokenStore

__all__ = [
    "ClientConfig",
    "IAPClient",
    "IDTokenAuth",
    "InsecureFilePermissionsWarning",
    "NoCredentialsError",
    "Status",
    "StorageError",
    "TokenData",
    "TokenRefreshError",
    "TokenStore",
    "TokenTossError",
    "__version__",
    "credentials",
    "get_access_token",
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


def __getattr__(name: str) -> Any:
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
