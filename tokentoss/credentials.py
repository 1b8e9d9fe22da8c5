"""``credentials()``: the signed-in user as google-auth credentials, for Google client libraries.

This module stays light (google-auth is imported on call) because ``tokentoss`` imports it
eagerly: the function ``tokentoss.credentials`` must not be shadowed by this submodule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import google.auth.credentials

    from tokentoss.store import TokenStore

__all__ = ["credentials"]


def credentials(store: TokenStore | None = None) -> google.auth.credentials.Credentials:
    """Return ``google.auth`` credentials whose refresh goes through the tokentoss store.

    ``token`` is the OAuth access token; ``id_token`` the current ID token. Needs the optional
    extra: ``pip install tokentoss[google]``.
    """
    try:
        import google.auth.credentials  # noqa: F401 (checks the extra is installed)
    except ImportError as exc:
        raise ImportError(
            "tokentoss.credentials() needs google-auth: pip install tokentoss[google]"
        ) from exc
    from tokentoss._google import StoreCredentials
    from tokentoss.api import default_store

    return StoreCredentials(store or default_store())
