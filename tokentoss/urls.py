"""URL checks: tokens travel only over TLS, or over plain http to this machine."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = ["is_loopback_host", "require_secure_url"]


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_secure_url(url: str, *, what: str = "URL") -> str:
    """Return ``url`` if it is ``https``, or ``http`` on a loopback host; else raise ValueError.

    ``what`` names the URL in the error message (for example ``"token endpoint"``).
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError as exc:  # e.g. an invalid port or bracketed host
        raise ValueError(f"The {what} {url!r} is not a valid URL: {exc}") from exc
    if not host:
        raise ValueError(f"The {what} {url!r} has no host name.")
    if parts.scheme == "https":
        return url
    if parts.scheme == "http" and is_loopback_host(host):
        return url
    if parts.scheme == "http":
        raise ValueError(
            f"Refusing plain http for the {what} {url!r}: tokens would travel unencrypted. "
            "Use https (plain http is allowed only for localhost, 127.0.0.0/8 and ::1)."
        )
    raise ValueError(f"The {what} {url!r} must use https.")
