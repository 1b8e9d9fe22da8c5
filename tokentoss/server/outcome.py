"""The text of the outcome page (``callback/done``), rendered on the server and escaped.

Only our own words and a failed sign-in's safe message reach the page; the state is one that
this server registered (22..128 characters of the PKCE alphabet), or nothing.
"""

from __future__ import annotations

import html

from .signins import SignIn

__all__ = ["UNKNOWN_DETAIL", "UNKNOWN_TITLE", "outcome_page"]

UNKNOWN_TITLE = "This sign-in answer does not belong to a sign-in started in this JupyterLab"
UNKNOWN_DETAIL = (
    "It was not handed to any page. If you started a sign-in, it may have expired or been "
    "answered already: close this window and sign in again from the tokentoss sidebar."
)

_TEXTS = {
    "waiting": ("Waiting for the identity provider…", "Finish the sign-in in this window."),
    "answered": ("Finishing sign-in in JupyterLab…", "You can close this window."),
    "succeeded": ("Signed in — you can close this window", ""),
    "failed": ("Sign-in failed", "Close this window and try again from the tokentoss sidebar."),
}


def outcome_page(template: str, sign_in: SignIn | None) -> str:
    """Fill the page template for ``sign_in`` (None: the generic page, nothing to relay)."""
    if sign_in is None:
        outcome, state, title, detail = "unknown", "", UNKNOWN_TITLE, UNKNOWN_DETAIL
    else:
        outcome, state = sign_in.status, sign_in.state
        title, detail = _TEXTS[sign_in.status]
        if sign_in.status == "failed" and sign_in.message:
            detail = sign_in.message + "\n" + detail
    page = template
    # The detail last: nothing in a message can reach a placeholder replaced after it.
    for name, value in (
        ("outcome", outcome),
        ("state", state),
        ("title", title),
        ("detail", detail),
    ):
        page = page.replace("{" + name + "}", html.escape(value, quote=True))
    return page
