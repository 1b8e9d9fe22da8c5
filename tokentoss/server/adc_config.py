"""The opt-in that makes ``google.auth.default()`` in kernels see the sidebar's sign-in.

``TokenTossConfig`` inherits these settings, so they are set as
``c.TokenTossConfig.application_default_credentials = True`` (see ``tokentoss/adc.py``).
"""

from __future__ import annotations

import logging
import os

from traitlets import Bool, Unicode
from traitlets.config import Configurable

from tokentoss import adc
from tokentoss.errors import StorageError
from tokentoss.store import TokenStore

__all__ = ["ApplicationDefaultCredentialsConfig", "export_to_kernels"]

ENV_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS"
ENV_PROJECT = "GOOGLE_CLOUD_PROJECT"


class ApplicationDefaultCredentialsConfig(Configurable):
    """Application default credentials for kernels (off by default)."""

    application_default_credentials = Bool(
        False,
        config=True,
        help=(
            "Let Google client libraries in kernels use the sidebar's sign-in with no code: "
            "keep an 'authorized_user' credentials file (adc.json) beside the token file, "
            "rewritten at every sign-in and refresh, and export GOOGLE_APPLICATION_CREDENTIALS "
            "to every kernel started afterwards. Leave it off on servers several people share "
            "and for gcloud users who want their own application default credentials."
        ),
    )
    google_cloud_project = Unicode(
        "",
        config=True,
        help="Exported as GOOGLE_CLOUD_PROJECT to kernels when ADC is on (an authorized_user "
        "file carries no project). Empty: not exported.",
    )
    quota_project = Unicode(
        "",
        config=True,
        help="Exported as GOOGLE_CLOUD_QUOTA_PROJECT to kernels (and written into the ADC "
        "file) when ADC is on: the project billed for API quota. Empty: not exported.",
    )


def export_to_kernels(
    config: ApplicationDefaultCredentialsConfig, store: TokenStore, log: logging.Logger
) -> None:
    """Export the ADC variables (kernels inherit the server's environment) and sync the file.

    Off: nothing is exported and a leftover ADC file of ours (from when it was on) is removed.
    """
    path = adc.adc_path_beside(store).absolute()
    if not config.application_default_credentials:
        if os.environ.get(adc.ENV_ADC_FILE):
            del os.environ[adc.ENV_ADC_FILE]
        if path.exists():
            with store.lock():
                path.unlink(missing_ok=True)
            log.info("tokentoss: application default credentials off, removed %s", path)
        return
    previous = os.environ.get(ENV_CREDENTIALS)
    if previous and previous != str(path):
        log.warning(
            "tokentoss: application default credentials on: kernels get %s=%s instead of %s",
            ENV_CREDENTIALS,
            path,
            previous,
        )
    os.environ[adc.ENV_ADC_FILE] = str(path)
    os.environ[ENV_CREDENTIALS] = str(path)
    if config.google_cloud_project:
        os.environ[ENV_PROJECT] = config.google_cloud_project
    if config.quota_project:
        os.environ[adc.ENV_QUOTA_PROJECT] = config.quota_project
    # Brought in line with the token file now: a sign-in made before this start, or none.
    try:
        with store.lock():
            adc.follow_sign_in(store, store.load())
    except StorageError as exc:  # a broken token file must not stop the server
        log.warning("tokentoss: could not write %s: %s", path, exc)
    log.info("tokentoss: application default credentials for kernels in %s", path)
