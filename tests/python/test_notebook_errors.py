"""Sign-in errors as a notebook shows them: a real IPython kernel, driven with jupyter_client.

The kernel's ``error`` message carries the traceback lines JupyterLab draws in the output area.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager
from kernel_support import ROOT, offline_tokens

from tokentoss._notebook_errors import FULL_TRACEBACK_HINT
from tokentoss.errors import NOT_SIGNED_IN, SIGN_IN_AGAIN, TokenRefreshError
from tokentoss.store import TokenStore

ANSI = re.compile(r"\x1b\[[0-9;]*m")
# A frame of tokentoss's own code as IPython or Python names it ("tokentoss/api.py").
TOKENTOSS_FRAME = re.compile(r"tokentoss[/\\]\w+\.py")


@dataclass
class CellRun:
    """What one cell produced: its error's traceback lines (ANSI removed) and its text output."""

    traceback: list[str] = field(default_factory=list)
    ename: str | None = None
    text: str = ""


@dataclass
class Kernel:
    """A started kernel whose token file (not yet written) is ``store``."""

    client: BlockingKernelClient
    store: TokenStore

    def run(self, code: str) -> CellRun:
        run = CellRun()

        def collect(message: dict[str, Any]) -> None:
            kind, content = message["msg_type"], message["content"]
            if kind == "error":
                run.ename = content["ename"]
                # One traceback entry may hold several lines; the output area joins them with \n.
                run.traceback = ANSI.sub("", "\n".join(content["traceback"])).splitlines()
            elif kind == "stream":
                run.text += content["text"]

        self.client.execute_interactive(code, timeout=60, output_hook=collect)
        return run


@pytest.fixture(scope="module")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kernel]:
    """One kernel for the module (a start costs seconds); each test resets ``%xmode``."""
    path = tmp_path_factory.mktemp("notebook-errors") / "tokentoss" / "tokens.json"
    env = {**os.environ, "TOKENTOSS_TOKEN_FILE": str(path), "PYTHONPATH": str(ROOT)}
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(env=env)
    client = manager.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        yield Kernel(client, TokenStore(path))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.fixture
def signed_out(kernel: Kernel) -> Kernel:
    """The kernel in IPython's default mode, with no token file."""
    kernel.store.delete()
    kernel.run("%xmode Context")
    return kernel


def test_a_cell_before_sign_in_shows_two_lines_that_say_what_to_do(signed_out: Kernel) -> None:
    run = signed_out.run("import tokentoss\ntokentoss.get_id_token()")
    assert run.ename == "NoCredentialsError"
    assert run.traceback == [f"NoCredentialsError: {NOT_SIGNED_IN}", FULL_TRACEBACK_HINT]


def test_a_dead_sign_in_says_sign_in_again_in_two_lines(signed_out: Kernel) -> None:
    # Expired, and no refresh token to renew it with: the real refresh path fails.
    signed_out.store.save(offline_tokens(lifetime=timedelta(minutes=-5), refresh_token=None))
    run = signed_out.run("import tokentoss\ntokentoss.get_id_token()")
    assert run.ename == "TokenRefreshError"
    assert len(run.traceback) == 2
    assert run.traceback[0].startswith("TokenRefreshError: The sign-in has no refresh token")
    assert SIGN_IN_AGAIN in run.traceback[0]
    assert run.traceback[1] == FULL_TRACEBACK_HINT


def test_google_auth_flavour_of_the_error_is_short_too(signed_out: Kernel) -> None:
    run = signed_out.run(
        "import google.auth.transport.requests, tokentoss\n"
        "tokentoss.credentials().refresh(google.auth.transport.requests.Request())"
    )
    assert run.ename == "StoreNotSignedInError"
    assert run.traceback == [f"StoreNotSignedInError: {NOT_SIGNED_IN}", FULL_TRACEBACK_HINT]


def test_the_hint_works_tb_plain_shows_the_full_traceback(signed_out: Kernel) -> None:
    signed_out.run("import tokentoss\ntokentoss.get_id_token()")
    run = signed_out.run("%tb Plain")
    assert any(TOKENTOSS_FRAME.search(line) for line in run.traceback)
    assert run.traceback[-1].endswith(f"NoCredentialsError: {NOT_SIGNED_IN}")
    assert FULL_TRACEBACK_HINT not in run.traceback
    # %tb switched the mode for one call only: the next error is short again.
    assert signed_out.run("%tb").traceback == [
        f"NoCredentialsError: {NOT_SIGNED_IN}",
        FULL_TRACEBACK_HINT,
    ]


@pytest.mark.parametrize("mode", ["Plain", "Verbose"])
def test_a_chosen_xmode_gets_ipythons_full_traceback(signed_out: Kernel, mode: str) -> None:
    signed_out.run(f"%xmode {mode}")
    run = signed_out.run("import tokentoss\ntokentoss.get_id_token()")
    assert any(TOKENTOSS_FRAME.search(line) for line in run.traceback)
    assert FULL_TRACEBACK_HINT not in run.traceback


def test_minimal_xmode_keeps_ipythons_one_line(signed_out: Kernel) -> None:
    signed_out.run("%xmode Minimal")
    run = signed_out.run("import tokentoss\ntokentoss.get_id_token()")
    assert run.traceback == [f"NoCredentialsError: {NOT_SIGNED_IN}"]


def test_other_errors_keep_ipythons_traceback(signed_out: Kernel) -> None:
    run = signed_out.run("import tokentoss\nraise tokentoss.StorageError('unreadable')")
    assert run.ename == "StorageError"
    assert len(run.traceback) > 2
    assert FULL_TRACEBACK_HINT not in run.traceback


def test_outside_ipython_the_message_and_traceback_are_pythons(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import tokentoss; tokentoss.get_id_token()"],
        env={**os.environ, "PYTHONPATH": str(ROOT), "TOKENTOSS_TOKEN_FILE": str(tmp_path / "t")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = result.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert any(TOKENTOSS_FRAME.search(line) for line in lines)
    assert lines[-1] == f"tokentoss.errors.NoCredentialsError: {NOT_SIGNED_IN}"
    assert FULL_TRACEBACK_HINT not in result.stderr


def test_str_is_the_message_and_nothing_is_added_outside_ipython() -> None:
    error = TokenRefreshError("gone: sign in again", "invalid_grant")
    assert str(error) == "gone: sign in again"
    # Outside IPython the attribute does not exist, so no other tool picks it up by mistake.
    assert not hasattr(error, "_render_traceback_")
