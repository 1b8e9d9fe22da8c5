"""The refresh grant, shared by kernels and the server extension (sign-out's revocation is in
:mod:`tokentoss.signout`).

One refresh across many processes: the fast path reads the file without the lock; a token near
expiry is refreshed under the lock after re-reading the file, so the first process refreshes and
the others find its fresh token. A failed refresh never touches the file.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import requests

from tokentoss._http import json_answer, send_with_credential
from tokentoss._jwt import unverified_claims, unverified_expiry, vouched_email, vouched_name
from tokentoss._redact import redact
from tokentoss.consent import refresh_token_expiry
from tokentoss.errors import REAUTH_REQUIRED, SIGN_IN_AGAIN, NoCredentialsError, TokenRefreshError
from tokentoss.store import TokenData, TokenStore
from tokentoss.userinfo import with_identity

__all__ = [
    "DEFAULT_MARGIN",
    "forget_refresh_error",
    "fresh_tokens",
    "last_refresh_error",
    "refresh_now",
]

DEFAULT_MARGIN = timedelta(minutes=5)
REFRESH_TIMEOUT = 30.0
_DEFAULT_EXPIRES_IN = 3600
# A provider's expires_in outside these bounds is a bug: too short would refresh on every
# call, too long (or 1e30, which overflows datetime) would trust a token for ever.
_MIN_EXPIRES_IN = 60
_MAX_EXPIRES_IN = 86400
_MAX_PROVIDER_TEXT = 300  # of the provider's error and error_description, each
# Google's invalid_grant subtypes for a Workspace reauthentication policy (RAPT).
_REAUTH_SUBTYPES = frozenset({"invalid_rapt", "rapt_required"})

log = logging.getLogger("tokentoss")

# Last refresh failure per token file in this process, for status(); cleared by a success.
_last_errors: dict[str, TokenRefreshError] = {}
_last_errors_lock = threading.Lock()


def last_refresh_error(store: TokenStore) -> TokenRefreshError | None:
    """The last refresh failure for this store's file in this process, if no success since."""
    with _last_errors_lock:
        return _last_errors.get(str(store.path))


def forget_refresh_error(store: TokenStore) -> None:
    """Forget the last refresh failure of this store's file (it was signed out)."""
    _record(store, None)


def _record(store: TokenStore, error: TokenRefreshError | None) -> None:
    with _last_errors_lock:
        if error is None:
            _last_errors.pop(str(store.path), None)
        else:
            _last_errors[str(store.path)] = error


def _load_or_raise(store: TokenStore) -> TokenData:
    tokens = store.load()
    if tokens is None:
        raise NoCredentialsError()
    return tokens


def fresh_tokens(
    store: TokenStore,
    *,
    margin: timedelta = DEFAULT_MARGIN,
    session: requests.Session | None = None,
) -> TokenData:
    """Return tokens valid for at least ``margin``, refreshing them under the lock if needed.

    Raises NoCredentialsError when not signed in, TokenRefreshError when a needed refresh fails.
    A network or provider failure while the tokens have not expired yet (only the margin is
    reached) is logged and the current tokens are returned: they still work.
    """
    tokens = store.load()  # the warm path: one stat, a cache-key compare, a float compare
    if tokens is None:
        raise NoCredentialsError()
    if not tokens.expires_within(margin):
        return tokens
    with store.lock():
        tokens = _load_or_raise(store)  # another process may have refreshed while we waited
        if not tokens.expires_within(margin):
            return tokens
        try:
            return _refresh_locked(store, tokens, session)
        except TokenRefreshError as exc:
            if not exc.retryable or tokens.expires_within(timedelta(0)):
                raise
            log.warning(
                "tokentoss: using the current tokens until they expire at %s", tokens.expiry
            )
            return tokens


def refresh_now(store: TokenStore, *, session: requests.Session | None = None) -> TokenData:
    """Refresh now, whatever the expiry, under the lock; returns the new tokens."""
    with store.lock():
        return _refresh_locked(store, _load_or_raise(store), session)


def _fail(store: TokenStore, message: str, reason: Any) -> TokenRefreshError:
    error = TokenRefreshError(message, reason)
    _record(store, error)
    log.warning("tokentoss: refresh failed (%s): %s", reason, message)
    return error


def _refresh_locked(
    store: TokenStore, tokens: TokenData, session: requests.Session | None
) -> TokenData:
    # Before reading the client file: without a refresh token, a broken client file is moot.
    if not tokens.refresh_token:
        raise _fail(
            store,
            f"The sign-in has no refresh token, so it cannot be renewed: {SIGN_IN_AGAIN}.",
            "no_refresh_token",
        )
    client = store.load_client()
    token_uri = tokens.token_uri or (client.token_uri if client else None)
    client_id = tokens.client_id or (client.client_id if client else None)
    if not token_uri or not client_id:
        raise _fail(
            store,
            f"No OAuth client is recorded beside {store.path}, so the sign-in cannot be "
            f"renewed: {SIGN_IN_AGAIN}.",
            "no_refresh_token",
        )
    form = {
        "grant_type": "refresh_token",
        "refresh_token": tokens.refresh_token,
        "client_id": client_id,
    }
    # The secret belongs to the client file's client only.
    if client is not None and client.client_id == client_id and client.client_secret:
        form["client_secret"] = client.client_secret
    # Before the POST: the lifetime counts from when the provider issued the token, not after.
    now = datetime.now(timezone.utc)
    secrets = (
        tokens.refresh_token,
        tokens.access_token,
        tokens.id_token,
        form.get("client_secret"),
    )
    answer = _post_refresh(store, token_uri, form, session, secrets)
    new = _merge_answer(tokens, answer, now)
    # Standard providers release the email and name from userinfo only: asked once, under the
    # lock, for what is still unknown (not for what the new ID token carries, vouched or not).
    new = with_identity(
        new,
        unverified_claims(new.id_token),
        issuer=client.issuer if client else None,
        session=session,
    )
    # Written before the lock is released: a rotated refresh token must never be replayed.
    store.save(new)
    _record(store, None)
    log.info("tokentoss: refreshed the sign-in of %s until %s", new.user_email, new.expiry)
    return new


def _post_refresh(
    store: TokenStore,
    token_uri: str,
    form: dict[str, str],
    session: requests.Session | None,
    secrets: tuple[str | None, ...],
) -> dict[str, Any]:
    try:
        response = send_with_credential(
            session,
            "POST",
            token_uri,
            what="token endpoint",
            data=form,
            headers={"Accept": "application/json"},
            timeout=REFRESH_TIMEOUT,
            allow_redirects=False,
            stream=True,
        )
    except ValueError as exc:  # e.g. plain http off loopback, written by tokentoss 0.1
        raise _fail(
            store, f"{exc} The sign-in cannot be renewed: {SIGN_IN_AGAIN}.", "server"
        ) from None
    except requests.RequestException as exc:
        raise _fail(
            store,
            f"Could not reach the token endpoint {token_uri} ({type(exc).__name__}); "
            "check the network and retry. The sign-in is kept.",
            "network",
        ) from None
    with response:
        try:
            body = json_answer(response)
        except ValueError as exc:
            if response.status_code == 200:
                raise _fail(
                    store,
                    f"The token endpoint's answer cannot be read ({exc}); retry later. "
                    "The sign-in is kept.",
                    "server",
                ) from None
            body = None
        except requests.RequestException as exc:
            raise _fail(
                store,
                f"The token endpoint's answer was cut off ({type(exc).__name__}); retry later. "
                "The sign-in is kept.",
                "network",
            ) from None
    body = body if isinstance(body, dict) else {}
    if response.status_code == 200 and isinstance(body.get("access_token"), str):
        return body
    # Both come from the provider and end up in messages, logs and REST answers: scrub both.
    error = str(body.get("error", ""))
    error = redact(error, secrets, limit=_MAX_PROVIDER_TEXT) or f"HTTP {response.status_code}"
    detail = redact(str(body.get("error_description", "")), secrets, limit=_MAX_PROVIDER_TEXT)
    described = f"{error}: {detail}" if detail else error
    if error == "invalid_grant" and body.get("error_subtype") in _REAUTH_SUBTYPES:
        raise _fail(store, f"{REAUTH_REQUIRED} ({described}): {SIGN_IN_AGAIN}.", "reauth_required")
    if error == "invalid_grant":
        raise _fail(
            store,
            f"The sign-in has expired or was revoked ({described}): {SIGN_IN_AGAIN}.",
            "invalid_grant",
        )
    if response.status_code >= 500 or response.status_code == 200:
        raise _fail(
            store,
            f"The token endpoint failed ({described}); retry later. The sign-in is kept.",
            "server",
        )
    raise _fail(
        store,
        f"The token endpoint refused the refresh ({described}); check the OAuth client "
        f"settings, then {SIGN_IN_AGAIN}.",
        "server",
    )


def _expires_in(value: Any) -> float:
    """The answer's ``expires_in`` in seconds: absent, non-numeric or absurd → the default."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return _DEFAULT_EXPIRES_IN
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return _DEFAULT_EXPIRES_IN  # value != value: NaN
    if value > _MAX_EXPIRES_IN:
        return _DEFAULT_EXPIRES_IN
    return max(float(value), _MIN_EXPIRES_IN)


def _merge_answer(old: TokenData, answer: dict[str, Any], now: datetime | None = None) -> TokenData:
    now = now or datetime.now(timezone.utc)
    expiry = now + timedelta(seconds=_expires_in(answer.get("expires_in")))
    new_id_token = answer.get("id_token")
    id_token = new_id_token if isinstance(new_id_token, str) and new_id_token else old.id_token
    id_expiry = unverified_expiry(id_token)
    # Earliest of the two; an old ID token that already expired (answer without one) would
    # only make every call refresh again, so it does not count.
    if id_expiry is not None and now < id_expiry < expiry:
        expiry = id_expiry
    refresh_token = answer.get("refresh_token")
    if not (isinstance(refresh_token, str) and refresh_token):
        refresh_token = old.refresh_token  # Google omits it from refresh answers: keep ours
    scope = answer.get("scope")
    email, name = old.user_email, old.user_name
    if id_token != old.id_token:
        claims = unverified_claims(id_token)
        # A new token without an email claim keeps the old one; one that disowns it drops it.
        if "email" in claims or claims.get("email_verified") in (False, "false"):
            email = vouched_email(claims, old.client_id)
        # The same for the name: a new token's name claim replaces it (None if refused).
        if "name" in claims:
            name = vouched_name(claims, old.client_id)
    # A new lifetime comes with a new refresh token (or a re-stated one); else keep what we knew.
    refresh_expiry = refresh_token_expiry(answer.get("refresh_token_expires_in"), now)
    return replace(
        old,
        access_token=answer["access_token"],
        id_token=id_token,
        refresh_token=refresh_token,
        expiry=expiry,
        scopes=tuple(scope.split()) if isinstance(scope, str) and scope else old.scopes,
        user_email=email,
        user_name=name,
        refresh_token_expires_at=refresh_expiry or old.refresh_token_expires_at,
    )
