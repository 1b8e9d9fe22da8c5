"""Sign-in errors shown in IPython as two short lines instead of a traceback through tokentoss.

IPython asks an exception for ``_render_traceback_()`` before drawing its own traceback, for a
cell's error and for ``%tb`` alike. The short form is given only in IPython's default mode
(``Context``); any other mode is the user's explicit choice and gets IPython's own drawing, so
``%tb Plain`` (this error) or ``%xmode Plain`` (every error) show the full traceback. Outside
IPython nothing changes: ``str(error)`` and Python's traceback stay as they are.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

__all__ = ["FULL_TRACEBACK_HINT", "ShortInIPython"]

FULL_TRACEBACK_HINT = "(tokentoss: run %tb Plain to see the full traceback)"
SHORT_MODES = frozenset({"Context"})
"""IPython's default ``%xmode``: the one we replace. Every other mode is the user's choice."""


def _interactive_tb_mode() -> str | None:
    """The running IPython shell's ``%xmode``, or None outside IPython (never imports it)."""
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    shell: Any = get_ipython()
    if shell is None:
        return None
    mode = getattr(getattr(shell, "InteractiveTB", None), "mode", None)
    return mode if isinstance(mode, str) else None


class ShortInIPython:
    """Mixin for errors whose message alone tells the user what to do (sign in, sign in again)."""

    @property
    def _render_traceback_(self) -> Callable[[], list[str]]:
        # An AttributeError makes IPython's hasattr() false: it then draws its usual traceback.
        if _interactive_tb_mode() not in SHORT_MODES:
            raise AttributeError("_render_traceback_")
        return self._short_traceback

    def _short_traceback(self) -> list[str]:
        return [*f"{type(self).__name__}: {self}".splitlines(), FULL_TRACEBACK_HINT]
