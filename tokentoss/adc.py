"""Application default credentials: the sidebar's sign-in as an ``authorized_user`` file.

Opt-in on the server (``c.TokenTossConfig.application_default_credentials = True``): the server
exports ``TOKENTOSS_ADC_FILE`` and ``GOOGLE_APPLICATION_CREDENTIALS`` (both naming ``adc.json``
beside the token file) to the kernels it starts, so ``google.auth.default()`` finds the sign-in.
Every writer of the token file (the server's sign-in and refresh, and any kernel's own refresh)
rewrites the ADC file under the same lock when it sees ``TOKENTOSS_ADC_FILE``, so the file always
carries the current access token and its expiry, whoever refreshed.

On sign-out (and while nobody is signed in) the file holds no credential, only a ``type`` that
google-auth quotes in its error: a kernel's ``GOOGLE_APPLICATION_CREDENTIALS`` was fixed when it
started, and a missing file would only say "File ... was not found".

The file is named ``adc.json``, never ``application_default_credentials.json``: gcloud's own ADC
file is never read or written.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokentoss import _fs

if TYPE_CHECKING:
    from tokentoss.store import TokenStore
    from tokentoss.tokendata import ClientConfig, TokenData

__all__ = [
    "ADC_FILE_NAME",
    "ENV_ADC_FILE",
    "NOT_SIGNED_IN_TYPE",
    "adc_path_beside",
    "authorized_user_info",
    "follow_sign_in",
]

ENV_ADC_FILE = "TOKENTOSS_ADC_FILE"
ADC_FILE_NAME = "adc.json"
ENV_QUOTA_PROJECT = "GOOGLE_CLOUD_QUOTA_PROJECT"
# google-auth quotes an unknown type in DefaultCredentialsError: make it say what to do.
NOT_SIGNED_IN_TYPE = (
    "tokentoss: not signed in. Click 'Sign in with Google' in the JupyterLab sidebar, then "
    "call google.auth.default() again"
)

log = logging.getLogger("tokentoss")


def adc_path_beside(store: TokenStore) -> Path:
    """Where the ADC file of this store's token file lives."""
    return store.path.with_name(ADC_FILE_NAME)


def _exported_path(store: TokenStore) -> Path | None:
    """The ADC file to keep for this store, or None when the server did not turn the option on.

    Only the file beside this store's token file: a store of another file never writes it.
    """
    exported = os.environ.get(ENV_ADC_FILE)
    if not exported:
        return None
    path = Path(exported).expanduser().absolute()
    return path if path == adc_path_beside(store).absolute() else None


def authorized_user_info(tokens: TokenData, client: ClientConfig | None) -> dict[str, Any]:
    """The ``authorized_user`` JSON google-auth reads, with the current access token cached.

    google-auth reads ``token`` and ``expiry`` (naive UTC, ``Z``), so the current access token
    is used without a refresh; once it expires, google-auth refreshes at Google's token
    endpoint itself with the refresh token, client ID and secret.
    """
    secret = client.client_secret if client and client.client_id == tokens.client_id else None
    info: dict[str, Any] = {
        "type": "authorized_user",
        "client_id": tokens.client_id or (client.client_id if client else None),
        "client_secret": secret,
        "refresh_token": tokens.refresh_token,
        "token": tokens.access_token,
        "expiry": tokens.expiry.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "scopes": list(tokens.scopes),
    }
    if tokens.user_email:
        info["account"] = tokens.user_email
    quota_project = os.environ.get(ENV_QUOTA_PROJECT)
    if quota_project:
        info["quota_project_id"] = quota_project
    return info


def follow_sign_in(
    store: TokenStore, tokens: TokenData | None, client: ClientConfig | None = None
) -> None:
    """Rewrite the ADC file after the token file changed (called by the store, under its lock).

    ``tokens`` None: signed out, the file keeps no credential. Never raises: a failed ADC
    write is logged and the sign-in or refresh stands.
    """
    path = _exported_path(store)
    if path is None:
        return
    try:
        if tokens is None:
            info: dict[str, Any] = {"type": NOT_SIGNED_IN_TYPE}
        else:
            info = authorized_user_info(tokens, client or store.load_client())
        _fs.write_atomically(path, (json.dumps(info, indent=2) + "\n").encode("utf-8"))
    except Exception as exc:
        log.warning("tokentoss: could not update %s (%s)", path, type(exc).__name__)
