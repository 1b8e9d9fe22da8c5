"""The OAuth redirect target: a static relay page served without Jupyter auth.

The popup may come back without Jupyter's cookies (a JupyterHub redirect, a browser that
partitions cookies), so these routes are open. That is safe because the page is static:
it carries no secret, never echoes the query string from the server side, and its script
only forwards the URL to a same-origin opener. The strict CSP means even a bug in the
page could not load or run anything but its own two files.
"""

from __future__ import annotations

import re
from importlib.resources import files

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.base.handlers import JupyterHandler

CALLBACK_CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)

# Headers that every relay response carries, whatever the server's own settings say.
# Deliberately no Cross-Origin-Opener-Policy: it would sever window.opener, one of the two
# ways the page reaches the JupyterLab tab that opened it.
CALLBACK_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}


def read_asset(name: str) -> bytes:
    """The bytes of one file in ``tokentoss/server/static`` (shipped in the wheel)."""
    return files("tokentoss.server").joinpath("static").joinpath(name).read_bytes()


class CallbackAssetHandler(JupyterHandler):
    """Serves one of the relay page's static files, byte for byte, with strict headers."""

    def initialize(self, asset: str) -> None:
        """Remember which file this route serves (read once per server, not per request)."""
        cache: dict[str, bytes] = self.settings.setdefault("tokentoss_assets", {})
        if asset not in cache:
            cache[asset] = read_asset(asset)
        self.asset_body = cache[asset]
        self.asset_type = _CONTENT_TYPES[asset[asset.rfind(".") :]]

    @property
    def content_security_policy(self) -> str:
        """Ours, even when the server configures its own CSP for JupyterLab."""
        return CALLBACK_CSP

    def set_default_headers(self) -> None:
        """Jupyter's defaults, then ours on top so they always win."""
        super().set_default_headers()
        for name, value in CALLBACK_HEADERS.items():
            self.set_header(name, value)

    @allow_unauthenticated
    def get(self) -> None:
        """Send the file. Query parameters are ignored here: only the page's script reads them."""
        self.set_header("Content-Type", self.asset_type)
        self.finish(self.asset_body)


# Paths relative to {base_url}tokentoss/ and the file each one serves.
CALLBACK_ROUTES: tuple[tuple[str, str], ...] = (
    ("callback", "callback.html"),
    (re.escape("callback.js"), "callback.js"),
    (re.escape("callback.css"), "callback.css"),
)

__all__ = ["CALLBACK_CSP", "CALLBACK_HEADERS", "CALLBACK_ROUTES", "CallbackAssetHandler"]
