"""The tokentoss Jupyter server extension.

Serves the REST handler and the OAuth callback page under ``{base_url}tokentoss/`` and
decides where the token file lives. Kernels started by this server inherit
``TOKENTOSS_TOKEN_FILE``, so the file the browser's sign-in writes is the file kernels read.

Enable with ``jupyter server extension enable tokentoss`` (the wheel does it through
``etc/jupyter/jupyter_server_config.d/tokentoss.json``). Configure with, e.g.::

    c.TokenTossConfig.token_file = "/secure/place/tokens.json"
    # An OAuth client held by the server (the browser never sees its secret):
    c.TokenTossConfig.client_secrets_file = "/etc/tokentoss/client_secret.json"
    # or, e.g. from a Kubernetes Secret:
    c.TokenTossConfig.client_id = os.environ["TOKENTOSS_CLIENT_ID"]
    c.TokenTossConfig.client_secret = os.environ["TOKENTOSS_CLIENT_SECRET"]
    c.TokenTossConfig.redirect_uri = "https://hub.example.org/hub/user-redirect/tokentoss/callback"
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from jupyter_server.utils import url_path_join
from traitlets import Unicode
from traitlets.config import Configurable

from tokentoss.store import ENV_TOKEN_FILE, TokenStore, default_token_path

from .adc_config import ApplicationDefaultCredentialsConfig, export_to_kernels
from .callback import CALLBACK_PAGES, CALLBACK_ROUTES, CallbackAssetHandler
from .cli_command import PAGE_CONFIG_CLI_KEY, cli_command
from .client_source import (
    DEFAULT_ISSUER,
    DEFAULT_SCOPES,
    ClientSettings,
    client_info,
    resolve_client,
    server_config_client,
)
from .exchange import ServerExchange
from .handlers import (
    CLIENT_SETTINGS_SETTING,
    EXCHANGE_SETTING,
    REST_ROUTES,
    SERVER_CLIENT_SETTING,
    SIGNINS_SETTING,
    STORE_SETTING,
)
from .signin_handlers import SIGNIN_ROUTES
from .signins import SignInRegistry

PAGE_CONFIG_KEY = "tokentossClient"


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
    client_id = Unicode(
        "",
        config=True,
        help=(
            "OAuth client ID held by the server (a Google 'Web application' client on a "
            "remote server or hub). Set: the server redeems sign-in codes itself and the "
            "Settings Editor's client fields are managed here."
        ),
    )
    client_secret = Unicode(
        "",
        config=True,
        help=(
            "Secret of client_id. Never sent to a browser; written to client_secrets.json "
            "(0600) beside the token file so kernels can refresh."
        ),
    )
    issuer = Unicode(DEFAULT_ISSUER, config=True, help="OpenID issuer of the server's client.")
    scopes = Unicode(DEFAULT_SCOPES, config=True, help="Space-separated scopes to request.")
    hosted_domain = Unicode(
        "",
        config=True,
        help="Google Workspace domain the account must belong to (the ID token's 'hd').",
    )
    redirect_uri = Unicode(
        "",
        config=True,
        help=(
            "Redirect URI registered for the client, e.g. "
            "https://HUB/hub/user-redirect/tokentoss/callback. Empty: the lab's own "
            "{base_url}tokentoss/callback."
        ),
    )
    client_secrets_file = Unicode(
        "",
        config=True,
        help=(
            "Path of the JSON Google's console downloads for the client ({'web': ...} or "
            "{'installed': ...}); client_id/client_secret, when set, win over its values."
        ),
    )

    def client_settings(self) -> ClientSettings:
        """The values about the OAuth client, as one immutable object."""
        return ClientSettings(
            client_id=self.client_id,
            client_secret=self.client_secret,
            issuer=self.issuer,
            scopes=self.scopes,
            hosted_domain=self.hosted_domain,
            redirect_uri=self.redirect_uri,
            client_secrets_file=self.client_secrets_file,
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
        (url_path_join(prefix, path), handler, {})
        for path, handler in (*REST_ROUTES, *SIGNIN_ROUTES, *CALLBACK_PAGES)
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
    settings = config.client_settings()
    # A broken admin configuration stops the extension here rather than fall back silently.
    server_client = server_config_client(settings)
    web_app = server_app.web_app
    web_app.settings[STORE_SETTING] = store
    web_app.settings[CLIENT_SETTINGS_SETTING] = settings
    web_app.settings[SERVER_CLIENT_SETTING] = server_client
    web_app.settings[SIGNINS_SETTING] = SignInRegistry()
    web_app.settings[EXCHANGE_SETTING] = ServerExchange()
    export_to_kernels(config, store, server_app.log)
    # Read by the lab with PageConfig.getOption: no request at start-up. Local files only.
    info = client_info(resolve_client(server_client, settings, store))
    page_config = web_app.settings.setdefault("page_config_data", {})
    page_config[PAGE_CONFIG_KEY] = json.dumps(info)
    command = cli_command()
    if command:  # the panel's terminal hint: this server's Python, which imports tokentoss
        page_config[PAGE_CONFIG_CLI_KEY] = command
    web_app.add_handlers(".*$", build_routes(web_app.settings["base_url"]))
    # The path and the client's origin only: never a token or a secret.
    server_app.log.info("tokentoss: token file %s", store.path)
    if info["source"]:
        server_app.log.info("tokentoss: OAuth client held by the server (%s)", info["origin"])
