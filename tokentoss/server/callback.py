"""The OAuth redirect target: ``GET callback`` and the outcome page ``GET callback/done``.

The popup may come back without Jupyter's cookies (a JupyterHub redirect, a browser that
partitions cookies), so these routes are open: the state, registered by this server's lab
with ``POST signins``, is the capability. ``GET callback`` never lets a document load whose
URL carries the code: it answers 303 in every case. A registered, waiting state takes the
answer once (server mode: the code is redeemed here; browser mode: the query is kept for
the lab); anything else gets the generic outcome page and nothing is relayed. The outcome
page shows escaped text rendered here and relays only ``{type, state}``; the strict CSP means
even a bug in it could not load or run anything but its own two files.
"""

from __future__ import annotations

import asyncio
import functools
import re
import urllib.parse
from importlib.resources import files

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join

from tokentoss._redact import redact
from tokentoss.errors import StorageError

from .client_source import ClientSettings, OAuthClient, resolve_client
from .exchange import CodeExchange, ExchangeError
from .handlers import (
    CLIENT_SETTINGS_SETTING,
    EXCHANGE_SETTING,
    SERVER_CLIENT_SETTING,
    SIGNINS_SETTING,
    STORE_SETTING,
)
from .outcome import outcome_page
from .signins import SignIn, SignInRegistry

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


class _StrictHeaders(JupyterHandler):
    """Our CSP and headers, even when the server configures its own for JupyterLab."""

    @property
    def content_security_policy(self) -> str:
        """Ours, even when the server configures its own CSP for JupyterLab."""
        return CALLBACK_CSP

    def set_default_headers(self) -> None:
        """Jupyter's defaults, then ours on top so they always win."""
        super().set_default_headers()
        for name, value in CALLBACK_HEADERS.items():
            self.set_header(name, value)


class CallbackAssetHandler(_StrictHeaders):
    """Serves one of the outcome page's static files, byte for byte, with strict headers."""

    def initialize(self, asset: str) -> None:
        """Remember which file this route serves (read once per server, not per request)."""
        cache: dict[str, bytes] = self.settings.setdefault("tokentoss_assets", {})
        if asset not in cache:
            cache[asset] = read_asset(asset)
        self.asset_body = cache[asset]
        self.asset_type = _CONTENT_TYPES[asset[asset.rfind(".") :]]

    @allow_unauthenticated
    def get(self) -> None:
        """Send the file. Query parameters are ignored."""
        self.set_header("Content-Type", self.asset_type)
        self.finish(self.asset_body)


@functools.cache
def _page_template() -> str:
    return read_asset("callback.html").decode("utf-8")


# What the lab may see of a browser-mode callback (Google's extras beside code and state).
_KEPT_PARAMS = ("code", "state", "iss", "scope", "authuser", "prompt", "hd")
_MAX_PARAM_CHARS = 4096
_MAX_PROVIDER_TEXT = 300


def _single(query: dict[str, list[bytes]], name: str) -> str | None:
    """The one value of ``name``; None when absent, repeated, not UTF-8 or too long."""
    values = query.get(name, [])
    if len(values) != 1 or len(values[0]) > _MAX_PARAM_CHARS:
        return None
    try:
        return values[0].decode("utf-8")
    except UnicodeDecodeError:
        return None


class CallbackHandler(_StrictHeaders):
    """``GET callback``: take the provider's answer for a registered sign-in, then 303 away."""

    @property
    def signins(self) -> SignInRegistry:
        registry: SignInRegistry = self.settings[SIGNINS_SETTING]
        return registry

    def _done(self, state: str | None) -> None:
        target = url_path_join(self.base_url, "tokentoss", "callback", "done")
        if state is not None:
            target += "?" + urllib.parse.urlencode({"state": state})
        self.redirect(target, status=303)

    @allow_unauthenticated
    async def get(self) -> None:
        """Never answers with a page: the code must not stay in a loaded document's URL."""
        query = self.request.query_arguments
        state = _single(query, "state")
        sign_in = self.signins.take_answer(state) if state else None
        if sign_in is None:
            self._done(None)  # unknown, expired, replayed: nothing relayed, nothing kept
            return
        error = _single(query, "error")
        if error is not None or "error" in query:
            detail = _single(query, "error_description") or ""
            text = redact(
                f"{error or 'error'}: {detail}" if detail else (error or "error"),
                limit=_MAX_PROVIDER_TEXT,
            )
            self.signins.fail(
                sign_in.state,
                "provider_error",
                f"The identity provider refused the sign-in ({text}).",
            )
            self._done(sign_in.state)
            return
        code = _single(query, "code")
        if not code or not code.isprintable():
            self.signins.fail(
                sign_in.state,
                "invalid_callback",
                "The identity provider's answer has no usable code.",
            )
        elif sign_in.mode == "browser":
            kept = [
                (name, value)
                for name in _KEPT_PARAMS
                if (value := _single(query, name)) is not None
            ]
            self.signins.record_callback(sign_in.state, urllib.parse.urlencode(kept))
        else:
            await self._redeem(sign_in, code, _single(query, "iss"))
        self._done(sign_in.state)

    async def _redeem(self, sign_in: SignIn, code: str, iss: str | None) -> None:
        settings: ClientSettings = self.settings[CLIENT_SETTINGS_SETTING]
        server_client: OAuthClient | None = self.settings[SERVER_CLIENT_SETTING]
        store = self.settings[STORE_SETTING]
        client = await asyncio.to_thread(resolve_client, server_client, settings, store)
        if client is None:
            self.signins.fail(
                sign_in.state, "no_server_client", "The server no longer holds an OAuth client."
            )
            return
        # RFC 9207: an answer that names another issuer is a mix-up attempt.
        if iss is not None and iss.rstrip("/") != client.issuer.rstrip("/"):
            self.signins.fail(
                sign_in.state,
                "issuer_mismatch",
                "The answer comes from another identity provider than the configured one.",
            )
            return
        exchange: CodeExchange = self.settings[EXCHANGE_SETTING]
        try:
            redeemed = await asyncio.to_thread(exchange.redeem, client, sign_in, code)
            await asyncio.to_thread(store.save, redeemed.tokens, redeemed.client)
        except ExchangeError as exc:
            self.signins.fail(sign_in.state, exc.reason, redact(exc.message, (code,)))
            return
        except StorageError as exc:
            self.signins.fail(sign_in.state, "storage", redact(str(exc)))
            return
        self.signins.succeed(sign_in.state)
        self.log.info(
            "tokentoss: signed in as %s (server exchange)",
            redeemed.tokens.user_email or "(no email)",
        )


class CallbackDoneHandler(_StrictHeaders):
    """``GET callback/done``: the outcome of a sign-in as escaped text; relays only its state."""

    @allow_unauthenticated
    def get(self) -> None:
        """Render the page for the state in the query (the generic page if not ours)."""
        registry: SignInRegistry = self.settings[SIGNINS_SETTING]
        state = _single(self.request.query_arguments, "state")
        sign_in = registry.get(state) if state else None
        self.set_header("Content-Type", _CONTENT_TYPES[".html"])
        self.finish(outcome_page(_page_template(), sign_in))


# Paths relative to {base_url}tokentoss/ and the file each one serves.
CALLBACK_ROUTES: tuple[tuple[str, str], ...] = (
    (re.escape("callback.js"), "callback.js"),
    (re.escape("callback.css"), "callback.css"),
)
CALLBACK_PAGES: tuple[tuple[str, type[JupyterHandler]], ...] = (
    ("callback", CallbackHandler),
    ("callback/done", CallbackDoneHandler),
)

__all__ = [
    "CALLBACK_CSP",
    "CALLBACK_HEADERS",
    "CALLBACK_PAGES",
    "CALLBACK_ROUTES",
    "CallbackAssetHandler",
    "CallbackDoneHandler",
    "CallbackHandler",
]
