"""The tokentoss Jupyter server extension.

Serves the REST handler and the OAuth callback page under ``{base_url}tokentoss/`` and
decides where the token file lives. Kernels started by this server inherit
``TOKENTOSS_TOKEN_FILE``, so the file the browser's sign-in writes is the file kernels read.

Enable with ``jupyter server extension enable tokentoss`` (the wheel does it through
``etc/jupyter/jupyter_server_config.d/tokentoss.json``). Configure with, e.g.::

    c.TokenTossConfig.token_file = "/secure/place/tokens.json"
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jupyter_server.utils import url_path_join
from traitlets import Unicode
from traitlets.config import Configurable

from tokentoss.store import ENV_TOKEN_FILE, TokenStore, default_token_path

from .adc_config import ApplicationDefaultCredentialsConfig, export_to_kernels
from .callback import CALLBACK_ROUTES, CallbackAssetHandler
from .handlers import REST_ROUTES, STORE_SETTING


# The ADC settings are inherited: c.TokenTossConfig.application_default_credentials = True.
class TokenTossConfig(ApplicationDefaultCredentialsConfig, Configurable):
    """Server-side settings of tokentoss (the browser never chooses the token file)."""

    token_file = Unicode(
        "",
        config=True,
        help=(
            "Path of the token file that sign-ins write and kernels read. Empty: "
            "$TOKENTOSS_TOKEN_FILE if set, else the per-user config folder "
            "(platformdirs.user_config_dir('tokentoss')/tokens.json). The file used, "
            "configured or default, is exported as TOKENTOSS_TOKEN_FILE to every kernel "
            "this server starts."
        ),
    )


def _resolve_token_file(configured: str) -> Path:
    """The token file path to use, made absolute so kernels with another cwd agree."""
    chosen = configured or os.environ.get(ENV_TOKEN_FILE, "")
    path = (Path(chosen).expanduser() if chosen else default_token_path()).absolute()
    # Kernels inherit os.environ from the server process at start-up. Exported even for the
    # default: a kernel whose environment sets another HOME or XDG_CONFIG_HOME would
    # otherwise look for its own default file and miss the sign-in.
    os.environ[ENV_TOKEN_FILE] = str(path)
    return path


def build_routes(base_url: str) -> list[tuple[str, type[Any], dict[str, Any]]]:
    """Every tokentoss route, joined onto ``base_url`` so JupyterHub's ``/user/<name>/`` works."""
    prefix = url_path_join(base_url, "tokentoss")
    routes: list[tuple[str, type[Any], dict[str, Any]]] = [
        (url_path_join(prefix, path), handler, {}) for path, handler in REST_ROUTES
    ]
    routes += [
        (url_path_join(prefix, path), CallbackAssetHandler, {"asset": asset})
        for path, asset in CALLBACK_ROUTES
    ]
    return routes


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Lets ``jpserver_extensions = {"tokentoss.server": True}`` find this module."""
    return [{"module": "tokentoss.server"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Register the handlers and set up the token store for this server."""
    config = TokenTossConfig(parent=server_app)
    store = TokenStore(_resolve_token_file(config.token_file))
    web_app = server_app.web_app
    web_app.settings[STORE_SETTING] = store
    export_to_kernels(config, store, server_app.log)
    web_app.add_handlers(".*$", build_routes(web_app.settings["base_url"]))
    # The path only: never a token.
    server_app.log.info("tokentoss: token file %s", store.path)
