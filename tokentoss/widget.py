"""``GoogleAuthWidget``: tokentoss 0.1's sign-in button, now a card drawn by the lab extension.

``display(GoogleAuthWidget())`` shows who is signed in, until when, with which provider, and a
*Sign in with Google* / *Sign out* button. The card is the sidebar's session in another place:
a sign-in from either shows in both, and the popup runs in the browser (no server in the kernel).
Where the extension is absent the output says so in text.

The Python object is also a live view of the shared sign-in (``user_email``, ``is_authenticated``,
``credentials``) for 0.1 code that read them from the widget.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from tokentoss._cell_card import SIGNIN_MIME, card_bundle
from tokentoss.auth_manager import AuthManager, deprecated
from tokentoss.exceptions import KernelSignInRemovedError

if TYPE_CHECKING:
    import google.auth.credentials

__all__ = ["GoogleAuthWidget"]

# 0.1's traits of the kernel-side flow: read as their idle values, with a warning.
_FLOW_TRAITS: dict[str, Any] = {
    "auth_url": "",
    "auth_code": "",
    "received_state": "",
    "state": "",
    "error": "",
    "show_manual_input": False,
}
_IGNORED_ARGUMENTS = (
    "client_secrets_path",
    "client_config",
    "storage",
    "scopes",
    "max_session_lifetime_hours",
)


class GoogleAuthWidget:
    """The in-cell sign-in card; ``display(GoogleAuthWidget())`` shows it.

    0.1's constructor arguments are accepted. ``auth_manager`` (or ``storage``, a FileStorage)
    chooses which token file the Python attributes read; the card itself always acts on the
    Jupyter server's token file and OAuth client (set with ``tokentoss.configure()``, the
    server's configuration, or the Settings Editor), never on anything in the notebook.
    """

    def __init__(self, auth_manager: AuthManager | None = None, **kwargs: Any) -> None:
        given = [name for name in _IGNORED_ARGUMENTS if kwargs.get(name) is not None]
        unknown = set(kwargs) - set(_IGNORED_ARGUMENTS)
        if unknown:
            raise TypeError(f"GoogleAuthWidget() got unexpected arguments {sorted(unknown)}")
        if given:
            warnings.warn(
                f"GoogleAuthWidget({', '.join(given)}=...) no longer chooses the OAuth client: "
                "the card signs in with the Jupyter server's client. Run "
                "tokentoss.configure(client_id=..., client_secret=...) or "
                "tokentoss.configure(path=...) once instead.",
                DeprecationWarning,
                stacklevel=2,
            )
        self._auth_manager = auth_manager
        self._storage = kwargs.get("storage")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return card_bundle(
            SIGNIN_MIME,
            "The tokentoss sign-in card",
            "Sign in from the JupyterLab sidebar instead, or run `python -m tokentoss status` "
            "in a terminal to see who is signed in.",
        )

    def __repr__(self) -> str:
        return "GoogleAuthWidget()"

    def _manager(self) -> AuthManager:
        if self._auth_manager is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # the caller warns once
                self._auth_manager = AuthManager(storage=self._storage)
        return self._auth_manager

    def _read(self, name: str) -> Any:
        """``name`` of the AuthManager view, without its own deprecation warning."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return getattr(self._manager(), name)

    @property
    def auth_manager(self) -> AuthManager:
        """The deprecated AuthManager view of the shared sign-in (created on first use)."""
        deprecated("GoogleAuthWidget.auth_manager", "tokentoss.status() or tokentoss.credentials()")
        return self._manager()

    @property
    def credentials(self) -> google.auth.credentials.Credentials | None:
        """google-auth credentials of the signed-in user, or None (needs tokentoss[google])."""
        deprecated("GoogleAuthWidget.credentials", "tokentoss.credentials()")
        return self._read("credentials")  # type: ignore[no-any-return]

    @property
    def user_email(self) -> str:
        """The signed-in user's email ("" when signed out), read now from the token file."""
        deprecated("GoogleAuthWidget.user_email", "tokentoss.status().email")
        return self._read("user_email") or ""

    @property
    def is_authenticated(self) -> bool:
        """True when signed in, read now from the token file."""
        deprecated("GoogleAuthWidget.is_authenticated", "tokentoss.status().signed_in")
        return bool(self._read("is_authenticated"))

    @property
    def status(self) -> str:
        """A one-line status, as 0.1's ``status`` trait ("Signed in as ...")."""
        deprecated("GoogleAuthWidget.status", "tokentoss.status()")
        if not self._read("is_authenticated"):
            return "Click to sign in"
        email = self._read("user_email")
        return f"Signed in as {email}" if email else "Signed in"

    def sign_out(self) -> None:
        """Sign out (revoke, delete the token file); the cards and the sidebar follow."""
        deprecated("GoogleAuthWidget.sign_out()", "the card's or the sidebar's Sign out button")
        self._read("clear")()

    def prepare_auth(self) -> None:
        """Removed: the sign-in starts with a click on the card's button."""
        raise KernelSignInRemovedError("Starting a sign-in")

    def __getattr__(self, name: str) -> Any:
        if name in _FLOW_TRAITS:
            deprecated(
                f"GoogleAuthWidget.{name}",
                "nothing: the sign-in runs in the browser, not the kernel",
            )
            return _FLOW_TRAITS[name]
        raise AttributeError(f"'GoogleAuthWidget' object has no attribute {name!r}")
