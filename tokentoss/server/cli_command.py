"""The command that runs the tokentoss CLI in a terminal this server opens.

A terminal's ``python`` is whatever its PATH finds first, often not the server's interpreter,
and the ``tokentoss`` script is on PATH only where the server's environment is activated. The
server's own interpreter (``sys.executable``) imports tokentoss with its dependencies, so the
panel's hint names it by absolute path, quoted for the shell JupyterLab's terminals start:
a POSIX shell (``$SHELL``, else ``sh``), or PowerShell on Windows.
"""

from __future__ import annotations

import os
import shlex
import sys

__all__ = ["PAGE_CONFIG_CLI_KEY", "cli_command", "powershell_quote"]

PAGE_CONFIG_CLI_KEY = "tokentossCliCommand"
"""``page_config_data`` key the lab reads with ``PageConfig.getOption`` (a plain string)."""

# -P (Python 3.11+): the terminal's folder is not put first on sys.path, so a ``tokentoss``
# folder or module where the user happens to stand cannot shadow (or hijack) the package.
_MODULE_ARGS = "-P -m tokentoss" if sys.version_info >= (3, 11) else "-m tokentoss"

# PowerShell ends a single-quoted string at any of these; doubling one keeps it literal.
_POWERSHELL_QUOTES = "'\u2018\u2019\u201a\u201b"


def powershell_quote(word: str) -> str:
    """``word`` as one literal PowerShell argument (single quotes, inner quotes doubled)."""
    return "'" + "".join(c * 2 if c in _POWERSHELL_QUOTES else c for c in word) + "'"


def cli_command(executable: str | None = None, *, windows: bool | None = None) -> str | None:
    """``<server's python> [-P] -m tokentoss``, ready to paste into a terminal of this server.

    None when Python does not know its interpreter (embedded): the lab then shows the plain
    ``python -m tokentoss``. On Windows the call operator ``&`` runs a quoted path in PowerShell.
    """
    path = sys.executable if executable is None else executable
    if not path:
        return None
    if os.name == "nt" if windows is None else windows:
        return f"& {powershell_quote(path)} {_MODULE_ARGS}"
    return f"{shlex.quote(path)} {_MODULE_ARGS}"
