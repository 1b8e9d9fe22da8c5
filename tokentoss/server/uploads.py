"""Turning a browser's ``PUT tokens`` upload into verified store records.

The browser exchanged the code and verified the ID token already; the server checks again,
because what it stores is what every kernel trusts: the ID token against the issuer's JWKS with
the nonce of the sign-in it registered, and ``token_uri`` from the issuer's discovery document.
"""

from __future__ import annotations

from tokentoss.discovery import fetch_discovery
from tokentoss.store import ClientConfig, TokenData
from tokentoss.userinfo import with_identity

from .id_token import verify_id_token
from .signins import SignIn
from .validation import TokenUpload

__all__ = ["verified_records"]


def verified_records(upload: TokenUpload, sign_in: SignIn) -> tuple[TokenData, ClientConfig]:
    """Verify ``upload`` for ``sign_in`` and build the token file and client record.

    Raises IdTokenError (a check failed) or DiscoveryError (the issuer could not be asked).
    Blocking (network): call it off the event loop.
    """
    discovery = fetch_discovery(upload.issuer)
    verified = verify_id_token(
        upload.id_token,
        discovery=discovery,
        issuer=upload.issuer,
        client_id=upload.client_id,
        nonce=sign_in.nonce,
        hosted_domain=sign_in.hosted_domain,
    )
    tokens, client = upload.to_store_records(token_uri=discovery.token_endpoint)
    # The verified token's own email and name if it carries them (never the body's spelling),
    # else userinfo's, asked here: the browser's word for them is not enough.
    return with_identity(tokens, verified.claims), client
