"""``enable_debug()`` / ``disable_debug()``: tokentoss 0.1's switch for the ``tokentoss`` logger.

Messages never contain token values or client secrets (see ``_redact``).
"""

from __future__ import annotations

import logging
import sys

__all__ = ["disable_debug", "enable_debug"]

_logger = logging.getLogger("tokentoss")
_HANDLER_NAME = "_tokentoss_stream"


def enable_debug(level: int = logging.DEBUG) -> None:
    """Print tokentoss's log to stdout (not stderr, which notebooks colour red); idempotent."""
    _logger.setLevel(level)
    for handler in _logger.handlers:
        if handler.name == _HANDLER_NAME:
            handler.setLevel(level)
            return
    handler = logging.StreamHandler(sys.stdout)
    handler.name = _HANDLER_NAME
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("[%(name)s %(levelname)s] %(message)s"))
    _logger.addHandler(handler)


def disable_debug() -> None:
    """Back to warnings only, and remove the handler ``enable_debug`` added."""
    _logger.setLevel(logging.WARNING)
    _logger.handlers = [h for h in _logger.handlers if h.name != _HANDLER_NAME]
