"""``ConfigureWidget``: tokentoss 0.1's client form, now a card drawn by the lab extension.

``display(ConfigureWidget())`` shows a form for the OAuth client ID and secret (a password
field). The browser sends them straight to the Jupyter server (``PUT tokentoss/client``,
authenticated and XSRF-checked), which writes the user's client file as ``tokentoss.configure()``
does. They never pass through the kernel, the notebook's source or its outputs.
"""

from __future__ import annotations

from typing import Any

from tokentoss._cell_card import CONFIGURE_MIME, card_bundle
from tokentoss.auth_manager import deprecated

__all__ = ["ConfigureWidget"]

# 0.1's traits: the values typed now stay in the browser, so the kernel sees only these.
_TRAITS: dict[str, Any] = {
    "client_id": "",
    "client_secret": "",
    "project_id": "",
    "status": "Enter credentials",
    "configured": False,
}


class ConfigureWidget:
    """The in-cell client form; ``display(ConfigureWidget())`` shows it."""

    def __init__(self, **kwargs: Any) -> None:
        if kwargs:
            raise TypeError(
                f"ConfigureWidget() takes no arguments (got {sorted(kwargs)}): type the client "
                "in the form, or call tokentoss.configure(client_id=..., client_secret=...)."
            )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return card_bundle(
            CONFIGURE_MIME,
            "The tokentoss client form",
            "Run tokentoss.configure(client_id=..., client_secret=...) in a cell instead.",
        )

    def __repr__(self) -> str:
        return "ConfigureWidget()"

    def __getattr__(self, name: str) -> Any:
        if name in _TRAITS:
            deprecated(
                f"ConfigureWidget.{name}",
                "tokentoss.status() (the form's values go to the Jupyter server, not the kernel)",
            )
            return _TRAITS[name]
        raise AttributeError(f"'ConfigureWidget' object has no attribute {name!r}")
