"""REST handlers for the OAuth client and the pending sign-ins.

``GET client``: which OAuth client the server holds (never its secret).
``POST signins``: the lab registers a sign-in before its popup navigates.
``GET/DELETE signins/<state>``: its outcome; cancel it.
Same authentication, Authorizer resource and XSRF rules as the other REST handlers.
"""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from .client_source import client_info
from .handlers import TokenTossHandler
from .signin_body import parse_registration
from .validation import ValidationError

__all__ = ["SIGNIN_ROUTES", "ClientHandler", "SignInHandler", "SignInsHandler"]


class ClientHandler(TokenTossHandler):
    """``GET client``: the server-held OAuth client, fresh (the user's file may be new)."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        """Describe the client: source, managed settings fields, public values."""
        self.write_json(client_info(await self.current_client()))


class SignInsHandler(TokenTossHandler):
    """``POST signins``: register a pending sign-in (state, nonce, PKCE verifier, redirect)."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        """Check the body, then remember the sign-in for ten minutes."""
        try:
            registration = parse_registration(
                self.request.body,
                self.request.headers.get("Content-Type"),
                self.request.headers.get("Content-Length"),
            )
        except ValidationError as exc:
            self.fail(exc.status, exc.message, exc.reason)
        hosted_domain = registration.hosted_domain
        if registration.mode == "server":
            client = await self.current_client()
            if client is None:
                self.fail(
                    409,
                    "The server holds no OAuth client: configure one (TokenTossConfig or "
                    "`tokentoss configure`) or use the browser mode",
                    "no_server_client",
                )
            if client.redirect_uri is not None and registration.redirect_uri != client.redirect_uri:
                self.fail(
                    400,
                    "'redirect_uri' must be the one the server configures: " + client.redirect_uri,
                    "redirect_uri_mismatch",
                )
            hosted_domain = None  # the server's configuration decides (the exchange reads it)
        item = self.signins.register(
            state=registration.state,
            nonce=registration.nonce,
            redirect_uri=registration.redirect_uri,
            mode=registration.mode,
            code_verifier=registration.code_verifier,
            hosted_domain=hosted_domain,
        )
        self.set_status(201)
        self.write_json(
            {"state": item.state, "mode": item.mode, "expires_at": item.expires_at.isoformat()}
        )


class SignInHandler(TokenTossHandler):
    """``GET signins/<state>``: the outcome so far; ``DELETE``: cancel."""

    @tornado.web.authenticated
    @authorized
    async def get(self, state: str) -> None:
        """Answer the sign-in's status (with the callback query in browser mode, once answered)."""
        item = self.signins.get(state)
        if item is None:
            self.fail(
                404,
                "No sign-in is registered under this state (unknown, expired or cancelled)",
                "unknown_sign_in",
            )
        self.write_json(item.to_json())

    @tornado.web.authenticated
    @authorized
    async def delete(self, state: str) -> None:
        """Forget the sign-in: a callback that arrives later finds nothing to answer."""
        self.signins.cancel(state)
        self.set_status(204)
        self.finish()


# Paths relative to {base_url}tokentoss/. Any state reaches the handler, so even a state that
# could never be registered gets the JSON 404 of the contract.
SIGNIN_ROUTES: tuple[tuple[str, type[TokenTossHandler]], ...] = (
    ("client", ClientHandler),
    ("signins", SignInsHandler),
    ("signins/([^/]+)", SignInHandler),
)
