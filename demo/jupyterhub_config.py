"""A real two-user JupyterHub for `make demo-hub` and the hub browser tests, on loopback only.

    jupyterhub -f demo/jupyterhub_config.py

Parameters (environment variables, all optional):
    TOKENTOSS_HUB_PORT           public port of the proxy (default 8630); the hub's API listens on
                                 PORT+1, the proxy's API on PORT+2, the attacker service on PORT+3,
                                 alice's server on PORT+10 and bob's on PORT+11
    TOKENTOSS_HUB_SUBDOMAINS=1   per-user subdomains: subdomain_host = http://localhost:PORT,
                                 users at http://alice.localhost:PORT/user/alice/ (else one
                                 origin, http://127.0.0.1:PORT)
    TOKENTOSS_HUB_DIR            scratch folder: database, cookie secret, pid file, users' homes
                                 (default .demo-hub/one-origin or .demo-hub/subdomains)
    TOKENTOSS_HUB_ISSUER, TOKENTOSS_HUB_CLIENT_ID, TOKENTOSS_HUB_CLIENT_SECRET
                                 the OAuth client every user's server holds (demo/servers.mjs)
    TOKENTOSS_HUB_PASSWORD       the password of alice and bob (default "tokentoss")
    TOKENTOSS_HUB_ATTACKER=1     serve demo/hub-attacker.mjs at /services/attacker/ (one origin)
    TOKENTOSS_HUB_EXPOSE_APP=1   window.jupyterapp in the users' labs (for the browser tests)
"""

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

c = get_config()  # type: ignore[name-defined]  # noqa: F821

DEMO = Path(__file__).resolve().parent
ROOT = DEMO.parent
USERS = ("alice", "bob")

PORT = int(os.environ.get("TOKENTOSS_HUB_PORT", "8630"))
SUBDOMAINS = os.environ.get("TOKENTOSS_HUB_SUBDOMAINS") == "1"
SCRATCH = Path(
    os.environ.get("TOKENTOSS_HUB_DIR")
    or ROOT / ".demo-hub" / ("subdomains" if SUBDOMAINS else "one-origin")
).resolve()
# With subdomains the hub lives on localhost and each user on <name>.localhost (Chromium resolves
# *.localhost to loopback); with one origin everything is on 127.0.0.1.
HUB_URL = f"http://localhost:{PORT}" if SUBDOMAINS else f"http://127.0.0.1:{PORT}"

SCRATCH.mkdir(parents=True, exist_ok=True)
(SCRATCH / "home").mkdir(exist_ok=True)

# --- the hub itself -------------------------------------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = PORT + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 2}"
c.ConfigurableHTTPProxy.command = [str(ROOT / "node_modules" / ".bin" / "configurable-http-proxy")]
if SUBDOMAINS:
    c.JupyterHub.subdomain_host = HUB_URL
c.JupyterHub.db_url = f"sqlite:///{SCRATCH / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(SCRATCH / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(SCRATCH / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(SCRATCH / "jupyterhub-proxy.pid")
c.JupyterHub.cleanup_servers = True

# --- who may log in -------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ.get("TOKENTOSS_HUB_PASSWORD", "tokentoss")
c.Authenticator.allowed_users = set(USERS)

# --- each user's server: a process of its own with a home of its own ------------------------------
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(SCRATCH / "home" / "{username}")
c.Spawner.cmd = [str(Path(sys.prefix) / "bin" / "jupyterhub-singleuser")]
c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []
if os.environ.get("TOKENTOSS_HUB_EXPOSE_APP") == "1":
    c.Spawner.args.append("--LabApp.expose_app_in_browser=True")
c.Spawner.default_url = "/lab"
# A busy 2-core machine may take a while to start a server: wait on it rather than fail.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.JupyterHub.init_spawners_timeout = 60

# The OAuth client, set once for every user (demo/hub-singleuser/jupyter_server_config.py reads it).
c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": str(DEMO / "hub-singleuser"),
    "TOKENTOSS_CLIENT_ID": os.environ.get("TOKENTOSS_HUB_CLIENT_ID", "tokentoss-demo"),
    "TOKENTOSS_CLIENT_SECRET": os.environ.get("TOKENTOSS_HUB_CLIENT_SECRET", "demo-secret"),
    "TOKENTOSS_ISSUER": os.environ.get("TOKENTOSS_HUB_ISSUER", "http://127.0.0.1:8633"),
    "TOKENTOSS_REDIRECT_URI": f"{HUB_URL}/hub/user-redirect/tokentoss/callback",
}

# JupyterLab asks once whether to fetch news from the internet: not in this offline demo.
_QUIET_LAB = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    }
}


def prepare_user(spawner: Any) -> None:
    """Give the user a private home (with quiet lab settings) and a fixed port in our range."""
    home = Path(spawner.home_dir)
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    for relative, settings in _QUIET_LAB.items():
        path = home / ".jupyter" / "lab" / "user-settings" / relative
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(settings))
    spawner.port = PORT + 10 + USERS.index(spawner.user.name)


c.Spawner.pre_spawn_hook = prepare_user

# --- a page of "another user" on the hub's origin, for the attack test ----------------------------
if os.environ.get("TOKENTOSS_HUB_ATTACKER") == "1" and not SUBDOMAINS:
    c.JupyterHub.services = [
        {
            "name": "attacker",
            "url": f"http://127.0.0.1:{PORT + 3}",
            "command": [shutil.which("node") or "node", str(DEMO / "hub-attacker.mjs")],
            "environment": {
                "TOKENTOSS_ISSUER": c.Spawner.environment["TOKENTOSS_ISSUER"],
                "TOKENTOSS_CLIENT_ID": c.Spawner.environment["TOKENTOSS_CLIENT_ID"],
                "TOKENTOSS_REDIRECT_URI": c.Spawner.environment["TOKENTOSS_REDIRECT_URI"],
            },
        }
    ]
