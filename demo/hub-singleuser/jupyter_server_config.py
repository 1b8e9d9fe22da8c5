"""Every hub user's single-user server: the OAuth client, set once by the hub admin.

The hub passes this folder as JUPYTER_CONFIG_PATH and the client through Spawner.environment (on
Kubernetes: singleuser.extraEnv from a Secret). The values live on the server only: no settings
file, no page, no browser request carries the secret.
"""

import os

c = get_config()  # type: ignore[name-defined]  # noqa: F821

c.TokenTossConfig.client_id = os.environ["TOKENTOSS_CLIENT_ID"]
c.TokenTossConfig.issuer = os.environ.get("TOKENTOSS_ISSUER", "https://accounts.google.com")
# One redirect URI for the whole hub: https://HUB/hub/user-redirect/tokentoss/callback
c.TokenTossConfig.redirect_uri = os.environ["TOKENTOSS_REDIRECT_URI"]
# Read once and taken out of the environment, so that kernels and terminals do not inherit it by
# accident (the user's code can still read what the server reads: see the README's threat model).
_secret = os.environ.pop("TOKENTOSS_CLIENT_SECRET", None)
if _secret is not None:
    c.TokenTossConfig.client_secret = _secret
