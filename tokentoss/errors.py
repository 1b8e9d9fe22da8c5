"""The exceptions the kernel library raises.

Every message says what happened and what to do next, and never contains a token value.
In IPython the sign-in errors show as that message alone (``tokentoss._notebook_errors``).
"""

from __future__ import annotations

from typing import Literal

from tokentoss._notebook_errors import ShortInIPython

__all__ = [
    "InsecureFilePermissionsWarning",
    "NoCredentialsError",
    "RefreshFailure",
    "StorageError",
    "TokenRefreshError",
    "TokenTossError",
]

RefreshFailure = Literal[
    "invalid_grant", "network", "server", "no_refresh_token", "reauth_required"
]
"""Why a refresh failed: ``network`` and ``server`` mean *retry*, the others *sign in again*."""

NOT_SIGNED_IN = "Not signed in: click 'Sign in with Google' in the JupyterLab sidebar"
SIGN_IN_AGAIN = "sign in again from the JupyterLab sidebar"
REAUTH_REQUIRED = "Your organisation requires you to sign in again"
"""Google's ``invalid_grant`` with ``error_subtype`` ``invalid_rapt`` / ``rapt_required``."""


class TokenTossError(Exception):
    """Base class of every tokentoss error."""


class NoCredentialsError(ShortInIPython, TokenTossError):
    """There is no token file: the user has not signed in (or has signed out)."""

    def __init__(self, message: str = NOT_SIGNED_IN) -> None:
        super().__init__(message)


class TokenRefreshError(ShortInIPython, TokenTossError):
    """A refresh failed; ``reason`` tells a dead grant apart from a passing failure.

    ``invalid_grant`` and ``no_refresh_token``: the sign-in cannot be renewed, sign in again.
    ``reauth_required``: a Workspace policy demands a new sign-in (Google's RAPT), sign in again.
    ``network`` and ``server``: the token file is untouched, retrying later may work.
    """

    def __init__(self, message: str, reason: RefreshFailure) -> None:
        super().__init__(message)
        self.reason: RefreshFailure = reason

    @property
    def sign_in_again(self) -> bool:
        """True when only a new sign-in can fix this (the grant is revoked, expired or absent)."""
        return self.reason in ("invalid_grant", "no_refresh_token", "reauth_required")

    @property
    def retryable(self) -> bool:
        """True when the same request may succeed later (network or provider trouble)."""
        return self.reason in ("network", "server")

    def __reduce__(self) -> tuple[type[TokenRefreshError], tuple[str, RefreshFailure]]:
        # Keeps the reason when the error crosses a process boundary (multiprocessing pickles it).
        return (type(self), (str(self), self.reason))


class StorageError(TokenTossError):
    """The token file or its folder cannot be read, parsed or written."""


class InsecureFilePermissionsWarning(UserWarning):
    """The token file or its folder is readable or writable by other users."""
