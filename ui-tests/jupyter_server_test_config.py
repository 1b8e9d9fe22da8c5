"""JupyterLab for the Galata tests: Galata's test settings plus the tokentoss server extension.

Started by playwright.config.ts with TOKENTOSS_UI_PORT, TOKENTOSS_UI_BASE_URL and
TOKENTOSS_TOKEN_FILE (kernels inherit the latter from the server, as in real use).
With TOKENTOSS_UI_SERVER_CLIENT=1 the server holds the OAuth client (DESIGN's first source),
read from the environment as an admin would pass a Kubernetes Secret.
"""

import os

from jupyterlab.galata import configure_jupyter_server

c = get_config()  # type: ignore[name-defined]  # noqa: F821
configure_jupyter_server(c)

c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = int(os.environ.get("TOKENTOSS_UI_PORT", "8888"))
c.ServerApp.base_url = os.environ.get("TOKENTOSS_UI_BASE_URL", "/")
c.ServerApp.jpserver_extensions = {"tokentoss": True}
if hasattr(os, "geteuid") and os.geteuid() == 0:
    c.ServerApp.allow_root = True

if os.environ.get("TOKENTOSS_UI_SERVER_CLIENT") == "1":
    c.TokenTossConfig.client_id = os.environ["TOKENTOSS_UI_CLIENT_ID"]
    c.TokenTossConfig.client_secret = os.environ["TOKENTOSS_UI_CLIENT_SECRET"]
    c.TokenTossConfig.issuer = os.environ["TOKENTOSS_UI_ISSUER"]
