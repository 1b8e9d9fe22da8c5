"""URL checks: tokens travel only over TLS, or over plain http to this machine.

The check must see the URL the way the HTTP library will send it. ``urllib.parse`` and
requests/urllib3 disagree on odd URLs (``http://evil.example\\@127.0.0.1/`` is loopback to the
first and ``evil.example`` to the second), so odd characters and userinfo are refused outright,
and the host is read by both parsers, which must agree. Callers that send a credential check the
prepared request's URL (see ``tokentoss._http``), not the string they were given.
"""

from __future__ import annotations

import ipaddress
import unicodedata
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


def _odd_character(url: str) -> str | None:
    """The first whitespace, control character or backslash in ``url``, if any."""
    for char in url:
        if char == "\\" or char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
            return char
    return None


def _host_as_sent(url: str) -> tuple[str | None, str | None, int | None]:
    # urllib3 is what opens the connection for requests; imported here, not at import time.
    from urllib3.util import parse_url

    parsed = parse_url(url)
    return parsed.scheme, (parsed.host or "").strip("[]").lower() or None, parsed.port


def require_secure_url(url: str, *, what: str = "URL") -> str:
    """Return ``url`` if it is ``https``, or ``http`` on a loopback host; else raise ValueError.

    Also refused: whitespace, control and format characters, backslashes, userinfo
    (``user@host``), and any URL that ``urllib.parse`` and urllib3 read as different hosts.
    ``what`` names the URL in the error message (for example ``"token endpoint"``).
    """
    odd = _odd_character(url)
    if odd is not None:
        raise ValueError(
            f"The {what} contains {odd!r} (whitespace, a control character or a backslash), "
            "which HTTP libraries read differently; refusing it."
        )
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
        sent = _host_as_sent(url)
    except ValueError as exc:  # e.g. an invalid port or bracketed host (urllib3's errors too)
        raise ValueError(f"The {what} {url!r} is not a valid URL: {exc}") from exc
    if not host:
        raise ValueError(f"The {what} {url!r} has no host name.")
    if "@" in parts.netloc:
        raise ValueError(
            f"The {what} carries a user name or password before '@'; refusing it (put "
            "credentials in headers, never in the URL)."
        )
    if sent != (parts.scheme.lower(), host.lower(), port):
        raise ValueError(f"The {what} {url!r} is read as two different hosts; refusing it.")
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
