"""JupyterLab for the Galata tests: Galata's test settings plus the tokentoss server extension.

Started by playwright.config.ts with TOKENTOSS_UI_PORT, TOKENTOSS_UI_BASE_URL and
TOKENTOSS_TOKEN_FILE (kernels inherit the latter from the server, as in real use).
With TOKENTOSS_UI_SERVER_CLIENT=1 the server holds the OAuth client (DESIGN's first source),
read from the environment as an admin would pass a Kubernetes Secret. For the 0.1 quick start
(JupyterLab and Notebook 7), TOKENTOSS_UI_ISSUER alone: the local provider as the issuer of the
user's own client file that 0.1's configure() writes. TOKENTOSS_UI_EXTRA_LABEXTENSIONS: a folder of
prebuilt lab extensions to load too (the consumer of ITokenToss, in the `lab` project only).
"""

import os

from jupyterlab.galata import configure_jupyter_server

c = get_config()  # type: ignore[name-defined]  # noqa: F821
configure_jupyter_server(c)

c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = int(os.environ.get("TOKENTOSS_UI_PORT", "8888"))
c.ServerApp.base_url = os.environ.get("TOKENTOSS_UI_BASE_URL", "/")
c.ServerApp.jpserver_extensions = {"tokentoss": True}
if os.environ.get("TOKENTOSS_UI_EXTRA_LABEXTENSIONS"):
    # Beside Galata's own helper extension, which configure_jupyter_server put there.
    galata = c.LabServerApp.extra_labextensions_path
    c.LabServerApp.extra_labextensions_path = [
        *([galata] if isinstance(galata, str) else galata),
        os.environ["TOKENTOSS_UI_EXTRA_LABEXTENSIONS"],
    ]
if hasattr(os, "geteuid") and os.geteuid() == 0:
    c.ServerApp.allow_root = True
# window.jupyterapp in Notebook 7 too (Galata's helper sets it for JupyterLab).
c.JupyterNotebookApp.expose_app_in_browser = True

if os.environ.get("TOKENTOSS_UI_ISSUER"):
    c.TokenTossConfig.issuer = os.environ["TOKENTOSS_UI_ISSUER"]
if os.environ.get("TOKENTOSS_UI_SERVER_CLIENT") == "1":
    c.TokenTossConfig.client_id = os.environ["TOKENTOSS_UI_CLIENT_ID"]
    c.TokenTossConfig.client_secret = os.environ["TOKENTOSS_UI_CLIENT_SECRET"]
