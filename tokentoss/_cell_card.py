"""The in-cell cards' output: a custom MIME type that the lab extension draws, plus fallbacks.

NOTE: the output's data carries no configuration (no client ID, issuer, scopes, redirect URI):
a notebook's outputs come from whoever wrote it, so the card takes everything from the
extension's own session model and server (DESIGN, *Sign-in from a notebook cell*). The data is
only a version number.
"""

from __future__ import annotations

import html
from typing import Any

__all__ = ["CONFIGURE_MIME", "SIGNIN_MIME", "card_bundle"]

SIGNIN_MIME = "application/vnd.tokentoss.signin+json"
CONFIGURE_MIME = "application/vnd.tokentoss.configure+json"
CARD_VERSION = 1

_WITHOUT_EXTENSION = (
    "{what} needs the tokentoss extension of JupyterLab or Jupyter Notebook 7 "
    "(pip install tokentoss, then restart Jupyter). {instead}"
)


def card_bundle(mime: str, what: str, instead: str) -> dict[str, Any]:
    """The MIME bundle of a card: ``mime`` for the extension, text and HTML for everyone else."""
    text = _WITHOUT_EXTENSION.format(what=what, instead=instead)
    return {
        mime: {"version": CARD_VERSION},
        "text/plain": text,
        "text/html": f'<div class="tokentoss-card-fallback"><p>{html.escape(text)}</p></div>',
    }
