"""Scrubbing credentials out of text that leaves the library (messages, logs, REST answers).

One helper for the kernel library and the server extension: a provider's error text, or a
message built from one, must never carry a token or the client secret out of here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["REDACTED", "redact"]

REDACTED = "[redacted]"
# Anything JWT-shaped (ID tokens), and Google's access and refresh token shapes, in case a
# provider quotes back a value we did not know to look for.
_TOKEN_LIKE = re.compile(
    r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"
    r"|ya29\.[A-Za-z0-9_.-]+"
    r"|1//[A-Za-z0-9_-]+"
)


def redact(text: str, secrets: Iterable[str | None] = (), *, limit: int | None = None) -> str:
    """Remove ``secrets`` (refresh/access/ID tokens, client secret) and token shapes.

    ``limit`` truncates the result (after scrubbing, so a cut never reveals half a secret).
    """
    # Longest first: a secret that contains another is removed whole.
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    text = _TOKEN_LIKE.sub(REDACTED, text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
