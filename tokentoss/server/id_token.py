"""ID-token verification on the server: the one check every stored identity passes.

Used by ``PUT tokens`` (the browser exchanged the code) and by the server's own redemption of a
code. PyJWT verifies the signature against the issuer's JWKS (from discovery's ``jwks_uri``,
cached per URI, refetched once when a token names a key we do not know), with an algorithm the
issuer lists minus ``none`` and the HMAC family, and the claims OpenID Connect Core 3.1.3.7
asks for. Messages name the failed check, never the token.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tokentoss.discovery import Discovery, DiscoveryError, fetch_json

if TYPE_CHECKING:
    import jwt

__all__ = ["IdTokenError", "VerifiedIdentity", "clear_key_cache", "verify_id_token"]

LEEWAY_SECONDS = 60
KEYS_CACHE_SECONDS = 600.0
MAX_TOKEN_CHARS = 16 * 1024
# Asymmetric algorithms only: 'none' proves nothing, and an HMAC "signature" could be made with
# whatever the verifier would use as the secret.
_ASYMMETRIC = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


class IdTokenError(ValueError):
    """The ID token failed a check; ``message`` is safe to show (no token value in it)."""

    def __init__(self, message: str, reason: str = "id_token_invalid") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class VerifiedIdentity:
    """The claims of a verified ID token (email and name to store: ``userinfo.with_identity``)."""

    claims: Mapping[str, Any]


_keys: dict[str, tuple[float, Any]] = {}
_keys_lock = threading.Lock()


def clear_key_cache() -> None:
    """Forget every cached JWKS."""
    with _keys_lock:
        _keys.clear()


def _key_set(jwks_uri: str, *, refetch: bool) -> jwt.PyJWKSet:
    import jwt

    now = time.monotonic()
    with _keys_lock:
        cached = _keys.get(jwks_uri)
    if cached is not None and not refetch and now - cached[0] < KEYS_CACHE_SECONDS:
        key_set: jwt.PyJWKSet = cached[1]
        return key_set
    document = fetch_json(jwks_uri, what="issuer's signing keys (JWKS)")
    try:
        key_set = jwt.PyJWKSet.from_dict(document)
    except jwt.PyJWTError:
        raise DiscoveryError(
            f"The issuer's signing keys at {jwks_uri} are not a usable JWKS."
        ) from None
    with _keys_lock:
        _keys[jwks_uri] = (now, key_set)
    return key_set


def _signing_key(discovery: Discovery, kid: str | None, algorithm: str) -> Any:
    for refetch in (False, True):  # an unknown kid: the issuer may have rotated its keys
        keys = _key_set(discovery.jwks_uri, refetch=refetch).keys
        matching = [
            k
            for k in keys
            if (kid is None or k.key_id == kid)
            and (k.algorithm_name in (None, algorithm) or kid is not None)
            and getattr(k, "public_key_use", None) in (None, "sig")
        ]
        if len(matching) == 1 or (matching and kid is not None):
            return matching[0].key
        if kid is None and matching:
            raise IdTokenError("The ID token names no key and the issuer has several.")
    raise IdTokenError("The ID token is signed with a key the issuer does not publish.")


def _allowed_algorithms(discovery: Discovery) -> list[str]:
    listed = discovery.id_token_signing_alg_values_supported or ("RS256",)
    return [alg for alg in listed if alg in _ASYMMETRIC]


def _audiences(claims: Mapping[str, Any]) -> list[Any]:
    aud = claims.get("aud")
    return aud if isinstance(aud, list) else [aud]


def _check_claims(
    claims: Mapping[str, Any],
    *,
    client_id: str,
    nonce: str,
    hosted_domain: str | None,
    now: float,
) -> None:
    audiences = _audiences(claims)
    azp = claims.get("azp")
    if len(audiences) > 1 and azp is None:
        raise IdTokenError("The ID token has several audiences but no 'azp'.")
    if azp is not None and azp != client_id:
        raise IdTokenError("The ID token's 'azp' is not this OAuth client.")
    iat = claims.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, (int, float)):
        raise IdTokenError("The ID token has no valid 'iat'.")
    if iat > now + LEEWAY_SECONDS:
        raise IdTokenError("The ID token's 'iat' is in the future.")
    if claims.get("nonce") != nonce:
        raise IdTokenError(
            "The ID token's 'nonce' is not the one of this sign-in.", "nonce_mismatch"
        )
    if hosted_domain and claims.get("hd") != hosted_domain:
        raise IdTokenError(
            f"The account is not in the hosted domain {hosted_domain!r}.", "hosted_domain_mismatch"
        )


def verify_id_token(
    id_token: str,
    *,
    discovery: Discovery,
    issuer: str,
    client_id: str,
    nonce: str,
    hosted_domain: str | None = None,
) -> VerifiedIdentity:
    """Verify signature and claims of ``id_token`` for this client and sign-in.

    ``issuer`` is the configured one: it must be the discovery document's, and the token's
    ``iss`` must be that. Raises :class:`IdTokenError` (a check failed) or
    :class:`~tokentoss.discovery.DiscoveryError` (the issuer's documents could not be used).
    """
    import jwt

    if discovery.issuer.rstrip("/") != issuer.rstrip("/"):
        raise IdTokenError("The discovery document is of another issuer.")
    if len(id_token) > MAX_TOKEN_CHARS:
        raise IdTokenError("The ID token is too long.")
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError:
        raise IdTokenError("The ID token is not a signed JWT.") from None
    algorithm = header.get("alg")
    allowed = _allowed_algorithms(discovery)
    if not isinstance(algorithm, str) or algorithm not in allowed:
        raise IdTokenError(
            "The ID token's algorithm is not one the issuer signs with "
            f"(allowed: {', '.join(allowed) or 'none usable'})."
        )
    kid = header.get("kid")
    key = _signing_key(discovery, kid if isinstance(kid, str) else None, algorithm)
    try:
        claims: dict[str, Any] = jwt.decode(
            id_token,
            key=key,
            algorithms=[algorithm],
            audience=client_id,
            issuer=discovery.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        raise IdTokenError("The ID token has expired.") from None
    except jwt.InvalidAudienceError:
        raise IdTokenError("The ID token's 'aud' does not contain the client ID.") from None
    except jwt.InvalidIssuerError:
        raise IdTokenError("The ID token's 'iss' is not the configured issuer.") from None
    except jwt.InvalidSignatureError:
        raise IdTokenError("The ID token's signature does not verify.") from None
    except jwt.MissingRequiredClaimError as exc:
        raise IdTokenError(f"The ID token has no '{exc.claim}' claim.") from None
    except jwt.PyJWTError as exc:
        raise IdTokenError(f"The ID token is not valid ({type(exc).__name__}).") from None
    _check_claims(
        claims, client_id=client_id, nonce=nonce, hosted_domain=hosted_domain, now=time.time()
    )
    return VerifiedIdentity(claims=claims)
