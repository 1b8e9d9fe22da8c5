"""Redeeming an authorization code on the server, with the server-held client's secret.

:class:`CodeExchange` is the whole interface the callback handler uses: a JupyterHub service
that keeps the secret from users could take it over later. :class:`ServerExchange` is the
built-in one: token endpoint from the issuer's discovery (never from a request), PKCE
verifier, ``client_secret_post`` (``client_secret_basic`` when the issuer lists only that),
sent with the one checked sender, no redirects, bounded answer, then the shared ID-token
verification.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol

import requests

from tokentoss._http import json_answer, send_with_credential
from tokentoss._jwt import unverified_expiry
from tokentoss._redact import redact
from tokentoss.consent import record_consent
from tokentoss.discovery import Discovery, DiscoveryError, fetch_discovery
from tokentoss.refresh import _expires_in
from tokentoss.store import ClientConfig, TokenData
from tokentoss.userinfo import with_identity

from .client_source import OAuthClient
from .id_token import IdTokenError, verify_id_token
from .signins import SignIn

__all__ = ["CodeExchange", "ExchangeError", "Redeemed", "ServerExchange"]

TOKEN_TIMEOUT = 30.0
_MAX_PROVIDER_TEXT = 300


class ExchangeError(Exception):
    """The code could not be redeemed; ``message`` is safe to show (no token, no secret)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class Redeemed:
    """What the store saves after a successful redemption."""

    tokens: TokenData
    client: ClientConfig


class CodeExchange(Protocol):
    """Turns a registered sign-in's code into verified, storable tokens."""

    def redeem(self, client: OAuthClient, sign_in: SignIn, code: str) -> Redeemed:
        """Redeem ``code``; raise :class:`ExchangeError` on any failure."""
        ...


def _client_auth(
    client: OAuthClient, discovery: Discovery, form: dict[str, str]
) -> tuple[str, str] | None:
    """Put the credentials where the issuer wants them; returns Basic auth or None."""
    if client.client_secret is None:
        return None  # a public client: PKCE alone
    methods = discovery.token_endpoint_auth_methods_supported
    if methods and "client_secret_post" not in methods and "client_secret_basic" in methods:
        form.pop("client_id", None)
        return (client.client_id, client.client_secret)
    form["client_secret"] = client.client_secret
    return None


class ServerExchange:
    """The built-in :class:`CodeExchange`, running inside the user's Jupyter server."""

    def __init__(self, session: requests.Session | None = None) -> None:
        self._session = session

    def redeem(self, client: OAuthClient, sign_in: SignIn, code: str) -> Redeemed:
        """Redeem ``code`` at the issuer's token endpoint and verify the ID token."""
        try:
            discovery = fetch_discovery(client.issuer, session=self._session)
        except DiscoveryError as exc:
            raise ExchangeError(str(exc), "discovery") from None
        started = datetime.now(timezone.utc)
        answer = self._post(client, sign_in, code, discovery)
        id_token = answer.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise ExchangeError(
                "The token endpoint sent no ID token (is 'openid' in the scopes?).",
                "token_endpoint",
            )
        try:
            verified = verify_id_token(
                id_token,
                discovery=discovery,
                issuer=client.issuer,
                client_id=client.client_id,
                nonce=sign_in.nonce,
                hosted_domain=client.hosted_domain,
            )
        except IdTokenError as exc:
            raise ExchangeError(exc.message, exc.reason) from None
        except DiscoveryError as exc:
            raise ExchangeError(str(exc), "discovery") from None
        tokens = _tokens(answer, id_token, client, discovery, started)
        return Redeemed(
            # Standard providers put the email and name in userinfo only (the sub must match).
            tokens=with_identity(tokens, verified.claims, session=self._session),
            client=ClientConfig(
                client_id=client.client_id,
                client_secret=client.client_secret,
                token_uri=discovery.token_endpoint,
                issuer=client.issuer,
                # The admin's client is recorded for kernels, and must not become source (3).
                sign_in_record=client.source == "server_config",
            ),
        )

    def _post(
        self, client: OAuthClient, sign_in: SignIn, code: str, discovery: Discovery
    ) -> dict[str, object]:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": sign_in.redirect_uri,
            "client_id": client.client_id,
        }
        if sign_in.code_verifier:
            form["code_verifier"] = sign_in.code_verifier
        basic = _client_auth(client, discovery, form)
        secrets = (code, client.client_secret, sign_in.code_verifier)
        try:
            with send_with_credential(
                self._session,
                "POST",
                discovery.token_endpoint,
                what="token endpoint",
                data=form,
                auth=basic,
                headers={"Accept": "application/json"},
                timeout=TOKEN_TIMEOUT,
                allow_redirects=False,
                stream=True,
            ) as response:
                status = response.status_code
                try:
                    parsed = json_answer(response)
                except ValueError:  # too large, nested too deeply, not JSON
                    parsed = None
        except (requests.RequestException, OSError) as exc:
            raise ExchangeError(
                f"Could not reach the token endpoint {discovery.token_endpoint} "
                f"({type(exc).__name__}); check the network and sign in again.",
                "network",
            ) from None
        except ValueError as exc:  # the endpoint, as requests would send it, is not secure
            raise ExchangeError(str(exc), "token_endpoint") from None
        body = parsed if isinstance(parsed, dict) else None
        if status == 200 and body is not None and isinstance(body.get("access_token"), str):
            return body
        body = body or {}
        error = redact(str(body.get("error", "")), secrets, limit=_MAX_PROVIDER_TEXT)
        detail = redact(str(body.get("error_description", "")), secrets, limit=_MAX_PROVIDER_TEXT)
        described = (error or f"HTTP {status}") + (f": {detail}" if detail else "")
        raise ExchangeError(
            f"The token endpoint refused the sign-in ({described}).", "token_endpoint"
        )


def _tokens(
    answer: dict[str, object],
    id_token: str,
    client: OAuthClient,
    discovery: Discovery,
    started: datetime,
) -> TokenData:
    expiry = started + timedelta(seconds=_expires_in(answer.get("expires_in")))
    id_expiry = unverified_expiry(id_token)  # verified above; read again for the time only
    if id_expiry is not None and started < id_expiry < expiry:
        expiry = id_expiry
    refresh_token = answer.get("refresh_token")
    scope = answer.get("scope")
    access_token = answer["access_token"]
    assert isinstance(access_token, str)  # checked by _post
    tokens = TokenData(
        access_token=access_token,
        id_token=id_token,
        refresh_token=refresh_token if isinstance(refresh_token, str) and refresh_token else None,
        expiry=expiry,
        scopes=tuple(scope.split()) if isinstance(scope, str) and scope else client.scopes,
        created_at=started,
        issuer=client.issuer,
        client_id=client.client_id,
        token_uri=discovery.token_endpoint,
    )
    # The lab asked for the server-held client's scopes (GET client): recorded as PUT tokens does.
    return record_consent(tokens, client.scopes, answer.get("refresh_token_expires_in"), started)
