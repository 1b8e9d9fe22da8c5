"""Text from the identity provider or the token file made safe to show in a terminal.

Control characters (C0, DEL, C1: a terminal obeys escape sequences) and bidirectional marks,
overrides and isolates (which make ``evil.example@x`` read as another address) become visible
``\\u....`` escapes, as in the lab's panel and status bar.
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE_CHARACTERS", "display_text", "has_unsafe_text"]

UNSAFE_CHARACTERS = "\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""A regex character-class body: C0, DEL, C1, the bidi marks, embeddings, overrides, isolates."""
_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")


def display_text(text: str) -> str:
    """``text`` with each control or bidi-override character replaced by ``\\uXXXX``."""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def has_unsafe_text(text: str) -> bool:
    """True if ``display_text`` would change ``text``."""
    return _UNSAFE.search(text) is not None
