"""tokentoss 0.1's exception module, kept so 0.1 code's imports and ``except`` clauses work.

Every name is the class the new library raises (the same object, not a copy), plus
``TokenExchangeError``, which only the flow-removed errors of :mod:`tokentoss.auth_manager`
raise now: the code exchange happens in the browser or on the Jupyter server, never in a kernel.
"""

from __future__ import annotations

from tokentoss.errors import (
    InsecureFilePermissionsWarning,
    NoCredentialsError,
    StorageError,
    TokenRefreshError,
    TokenTossError,
)

__all__ = [
    "InsecureFilePermissionsWarning",
    "KernelSignInRemovedError",
    "NoCredentialsError",
    "StorageError",
    "TokenExchangeError",
    "TokenRefreshError",
    "TokenTossError",
]


class TokenExchangeError(TokenTossError):
    """An authorization code could not be exchanged for tokens (tokentoss 0.1)."""


class KernelSignInRemovedError(TokenExchangeError, NotImplementedError):
    """A kernel tried to run the OAuth flow itself, which tokentoss no longer does.

    A subclass of 0.1's TokenExchangeError (so 0.1's ``except`` clauses catch it) and of
    NotImplementedError (what it is).
    """

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} is no longer done in the kernel: sign in with the 'Sign in with Google' "
            "button in the JupyterLab sidebar, or display tokentoss.GoogleAuthWidget() in a "
            "cell and click its button. Kernels then read the sign-in with "
            "tokentoss.get_id_token()."
        )
