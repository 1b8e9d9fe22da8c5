"""The issuer's OpenID discovery document, fetched one careful way for every caller.

Refresh, revocation, the server's code redemption and ID-token verification all take their
endpoints from here, never from a request body. Every fetch is https (plain http only to
loopback, checked as sent), follows no redirect, reads at most :data:`MAX_DOCUMENT_BYTES` with
the one bounded reader (:func:`tokentoss._http.json_answer`), and has a timeout.
Documents are cached per issuer for :data:`CACHE_SECONDS`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import requests

from tokentoss._http import json_answer, send_with_credential
from tokentoss.errors import TokenTossError
from tokentoss.urls import require_secure_url

__all__ = [
    "CACHE_SECONDS",
    "MAX_DOCUMENT_BYTES",
    "Discovery",
    "DiscoveryError",
    "clear_cache",
    "fetch_discovery",
    "fetch_json",
]

MAX_DOCUMENT_BYTES = 256 * 1024
FETCH_TIMEOUT = 10.0
CACHE_SECONDS = 3600.0


class DiscoveryError(TokenTossError):
    """The issuer's discovery document (or another provider document) could not be used."""


@dataclass(frozen=True)
class Discovery:
    """The parts of an issuer's ``/.well-known/openid-configuration`` that tokentoss uses."""

    issuer: str
    token_endpoint: str
    jwks_uri: str
    authorization_endpoint: str | None
    revocation_endpoint: str | None
    userinfo_endpoint: str | None
    id_token_signing_alg_values_supported: tuple[str, ...]
    token_endpoint_auth_methods_supported: tuple[str, ...]


_cache: dict[str, tuple[float, Discovery]] = {}
_cache_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every cached document (tests, or after an issuer changed its keys or endpoints)."""
    with _cache_lock:
        _cache.clear()


def fetch_json(
    url: str, *, what: str, session: requests.Session | None = None, timeout: float = FETCH_TIMEOUT
) -> dict[str, Any]:
    """GET a JSON object from a provider: secure URL, no redirects, bounded size, timeout.

    Sent with :func:`~tokentoss._http.send_with_credential` (the URL checked as prepared) and
    read with :func:`~tokentoss._http.json_answer` (at most :data:`MAX_DOCUMENT_BYTES`). Raises
    :class:`DiscoveryError` with a message that names ``what`` and never the body.
    """
    try:
        response = send_with_credential(
            session,
            "GET",
            url,
            what=what,
            headers={"Accept": "application/json"},
            timeout=timeout,
            allow_redirects=False,
            stream=True,
        )
    except (requests.RequestException, OSError) as exc:
        raise DiscoveryError(_unreachable(what, url, exc)) from None
    except ValueError as exc:  # not https or loopback http, as requests would send it
        raise DiscoveryError(str(exc)) from None
    with response:
        if response.status_code != 200:
            raise DiscoveryError(f"The {what} {url} answered HTTP {response.status_code}.")
        try:
            parsed = json_answer(response, MAX_DOCUMENT_BYTES)
        except (requests.RequestException, OSError) as exc:
            raise DiscoveryError(_unreachable(what, url, exc)) from None
        except ValueError as exc:  # too large, nested too deeply, not JSON
            raise DiscoveryError(f"The {what} {url} cannot be read: {exc}.") from None
    if not isinstance(parsed, dict):
        raise DiscoveryError(f"The {what} {url} is not a JSON object.")
    return parsed


def _unreachable(what: str, url: str, exc: Exception) -> str:
    return f"Could not fetch the {what} {url} ({type(exc).__name__}); check the network."


def _url(meta: dict[str, Any], key: str, *, required: bool) -> str | None:
    value = meta.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise DiscoveryError(f"The issuer's discovery document has no valid '{key}'.")
    try:
        return require_secure_url(value, what=key)
    except ValueError as exc:
        raise DiscoveryError(str(exc)) from None


def _names(meta: dict[str, Any], key: str) -> tuple[str, ...]:
    value = meta.get(key)
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def parse_discovery(issuer: str, meta: dict[str, Any]) -> Discovery:
    """Check a discovery document against the issuer it was fetched for (OpenID Discovery 4.3)."""
    declared = meta.get("issuer")
    if not isinstance(declared, str) or declared.rstrip("/") != issuer.rstrip("/"):
        raise DiscoveryError(
            f"The discovery document of {issuer} names another issuer; refusing to use it."
        )
    token_endpoint = _url(meta, "token_endpoint", required=True)
    jwks_uri = _url(meta, "jwks_uri", required=True)
    assert token_endpoint is not None  # required=True
    assert jwks_uri is not None
    return Discovery(
        issuer=declared,
        token_endpoint=token_endpoint,
        jwks_uri=jwks_uri,
        authorization_endpoint=_url(meta, "authorization_endpoint", required=False),
        revocation_endpoint=_url(meta, "revocation_endpoint", required=False),
        userinfo_endpoint=_url(meta, "userinfo_endpoint", required=False),
        id_token_signing_alg_values_supported=_names(meta, "id_token_signing_alg_values_supported"),
        token_endpoint_auth_methods_supported=_names(meta, "token_endpoint_auth_methods_supported"),
    )


def fetch_discovery(
    issuer: str, *, session: requests.Session | None = None, timeout: float = FETCH_TIMEOUT
) -> Discovery:
    """The issuer's discovery document, from the cache when fetched less than an hour ago."""
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get(issuer)
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    discovery = parse_discovery(
        issuer,
        fetch_json(url, what="issuer's discovery document", session=session, timeout=timeout),
    )
    with _cache_lock:
        _cache[issuer] = (now, discovery)
    return discovery
