"""Text from the identity provider or the token file made safe to show in a terminal.

Control characters (C0, DEL, C1: a terminal obeys escape sequences) and bidirectional overrides
and isolates (which make ``evil.example@x`` read as another address) become visible
``\\u....`` escapes, as in the lab's panel and status bar.
"""

from __future__ import annotations

import re

__all__ = ["display_text", "has_unsafe_text"]

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def display_text(text: str) -> str:
    """``text`` with each control or bidi-override character replaced by ``\\uXXXX``."""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def has_unsafe_text(text: str) -> bool:
    """True if ``display_text`` would change ``text``."""
    return _UNSAFE.search(text) is not None
