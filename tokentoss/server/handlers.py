"""REST handlers under ``{base_url}tokentoss/``: status, tokens (PUT/DELETE), refresh.

Every handler is authenticated by Jupyter and authorized by its Authorizer (resource
``tokentoss``: GET is ``read``, PUT/POST/DELETE ``write``); PUT, POST and DELETE also pass
jupyter_server's XSRF check when the request is authenticated by cookie (the browser).
File and network work runs in a worker thread so a slow disk or a slow identity provider
never stalls the server's event loop. Errors are JSON ``{"message", "reason"}``
(APIHandler.write_error) and their messages never carry a token value: they are logged
by jupyter_server as well as returned.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, NoReturn

import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler

from tokentoss._redact import redact
from tokentoss.consent import consent_facts
from tokentoss.discovery import DiscoveryError
from tokentoss.errors import NoCredentialsError, StorageError, TokenRefreshError
from tokentoss.refresh import refresh_now
from tokentoss.signout import revoke_and_delete
from tokentoss.store import TokenData, TokenStore

from .client_source import ClientSettings, OAuthClient, resolve_client
from .id_token import IdTokenError
from .signins import SignInRegistry
from .uploads import verified_records
from .validation import ValidationError, parse_upload

STORE_SETTING = "tokentoss_store"
SIGNINS_SETTING = "tokentoss_signins"
CLIENT_SETTINGS_SETTING = "tokentoss_client_settings"
SERVER_CLIENT_SETTING = "tokentoss_server_client"
EXCHANGE_SETTING = "tokentoss_exchange"

_REFRESH_CONFLICTS = frozenset({"invalid_grant", "no_refresh_token", "reauth_required"})


def status_body(store: TokenStore, tokens: TokenData | None) -> dict[str, Any]:
    """The ``GET status`` answer: who is signed in and until when, never a token value."""
    facts = consent_facts(tokens) if tokens else None
    return {
        "signed_in": tokens is not None,
        "email": tokens.user_email if tokens else None,
        "name": tokens.user_name if tokens else None,
        "expires_at": tokens.expiry.isoformat() if tokens else None,
        "scopes": list(tokens.scopes) if tokens else [],
        "issuer": tokens.issuer if tokens else None,
        "client_id": tokens.client_id if tokens else None,
        "token_file": str(store.path),
        # What the lab warns about (src/warnings.ts): ungranted scopes, the refresh token's end.
        "missing_scopes": list(facts.missing_scopes) if facts else [],
        "can_refresh": facts.can_refresh if facts else False,
        "refresh_token_expires_at": (
            facts.refresh_token_expires_at.isoformat()
            if facts and facts.refresh_token_expires_at
            else None
        ),
    }


class TokenTossHandler(APIHandler):
    """Shared plumbing: the store, JSON answers and safe errors."""

    # The resource a custom Authorizer sees: GET is "read", PUT/POST/DELETE are "write".
    auth_resource = "tokentoss"

    @property
    def store(self) -> TokenStore:
        """The one TokenStore of this server (set up by the extension loader)."""
        store: TokenStore = self.settings[STORE_SETTING]
        return store

    @property
    def signins(self) -> SignInRegistry:
        """The pending sign-ins this server's lab registered."""
        registry: SignInRegistry = self.settings[SIGNINS_SETTING]
        return registry

    async def current_client(self) -> OAuthClient | None:
        """The server-held OAuth client now (the user's file is read again, off the loop)."""
        settings: ClientSettings = self.settings[CLIENT_SETTINGS_SETTING]
        server_client: OAuthClient | None = self.settings[SERVER_CLIENT_SETTING]
        return await asyncio.to_thread(resolve_client, server_client, settings, self.store)

    def fail(self, status: int, message: str, reason: str) -> NoReturn:
        """Answer with a JSON error; ``message`` must not contain a token value."""
        raise tornado.web.HTTPError(status, message, reason=reason)

    def write_json(self, body: dict[str, Any]) -> None:
        """Finish with a JSON body that no cache keeps (it describes a credential)."""
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))

    async def load_tokens(self) -> TokenData | None:
        """Read the token file off the event loop; a broken file is a 500 with a clear message."""
        try:
            return await asyncio.to_thread(self.store.load)
        except StorageError as exc:
            self.fail(500, redact(str(exc)), "storage")

    async def known_secrets(self) -> tuple[str | None, ...]:
        """The token values in the file now, to scrub from messages built by lower layers."""
        try:
            tokens = await asyncio.to_thread(self.store.load)
        except StorageError:
            return ()
        return _secrets(tokens) if tokens else ()


class StatusHandler(TokenTossHandler):
    """``GET status``: whether someone is signed in, as whom, until when."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        """Report the sign-in state."""
        self.write_json(status_body(self.store, await self.load_tokens()))


class TokensHandler(TokenTossHandler):
    """``PUT tokens`` stores a fresh sign-in; ``DELETE tokens`` signs out."""

    @tornado.web.authenticated
    @authorized
    async def put(self) -> None:
        """Verify the browser's tokens for a registered sign-in and write the files."""
        try:
            upload = parse_upload(
                self.request.body,
                self.request.headers.get("Content-Type"),
                self.request.headers.get("Content-Length"),
            )
        except ValidationError as exc:
            self.fail(exc.status, exc.message, exc.reason)
        sign_in = self.signins.claim_upload(upload.state)
        if sign_in is None:
            self.fail(
                400,
                "'state' is not a browser sign-in of this server waiting for its tokens "
                "(unknown, expired, cancelled or already used): sign in again",
                "unknown_sign_in",
            )
        try:
            tokens, client = await asyncio.to_thread(verified_records, upload, sign_in)
        except IdTokenError as exc:
            self.signins.fail(upload.state, exc.reason, exc.message)
            self.fail(400, exc.message, exc.reason)
        except DiscoveryError as exc:
            message = redact(str(exc))
            self.signins.fail(upload.state, "discovery", message)
            self.fail(502, message, "discovery")
        try:
            await asyncio.to_thread(self.store.save, tokens, client)
        except StorageError as exc:
            message = redact(str(exc), _secrets(tokens))
            self.signins.fail(upload.state, "storage", message)
            self.fail(500, message, "storage")
        self.signins.succeed(upload.state)
        self.log.info("tokentoss: signed in as %s, tokens saved", tokens.user_email or "(no email)")
        self.write_json(status_body(self.store, tokens))

    @tornado.web.authenticated
    @authorized
    async def delete(self) -> None:
        """Revoke the grant at the issuer (best effort) and delete the token file."""
        try:
            report = await asyncio.to_thread(revoke_and_delete, self.store)
        except StorageError as exc:
            self.fail(500, redact(str(exc)), "storage")
        self.log.info("tokentoss: signed out (%s)", report.describe())
        body = status_body(self.store, None)
        body["revoked"] = report.revoked is not None
        body["revocation"] = report.revoked
        self.write_json(body)


class RefreshHandler(TokenTossHandler):
    """``POST refresh``: use the refresh token now (same code path as the kernels)."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        """Refresh under the store's lock and answer the new status."""
        try:
            tokens = await asyncio.to_thread(refresh_now, self.store)
        except NoCredentialsError:
            self.fail(409, "Not signed in: sign in from the tokentoss sidebar", "not_signed_in")
        except TokenRefreshError as exc:
            status = 409 if exc.reason in _REFRESH_CONFLICTS else 502
            self.fail(status, redact(str(exc), await self.known_secrets()), exc.reason)
        except StorageError as exc:
            self.fail(500, redact(str(exc)), "storage")
        self.log.info("tokentoss: refreshed, new expiry %s", tokens.expiry.isoformat())
        self.write_json(status_body(self.store, tokens))


def _secrets(tokens: TokenData) -> tuple[str | None, ...]:
    return (tokens.access_token, tokens.id_token, tokens.refresh_token)


# Paths relative to {base_url}tokentoss/; tornado anchors each pattern at the end.
REST_ROUTES: tuple[tuple[str, type[TokenTossHandler]], ...] = (
    ("status", StatusHandler),
    ("tokens", TokensHandler),
    ("refresh", RefreshHandler),
)
