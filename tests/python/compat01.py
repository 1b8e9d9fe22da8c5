"""A cached virtual environment with tokentoss 0.1.1 from PyPI, for compatibility checks.

Built once under ``.cache/`` (or ``$TOKENTOSS_COMPAT_VENV``) and reused: later runs cost nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tokentoss._lock import lock_for

ROOT = Path(__file__).resolve().parents[2]
VERSION = "0.1.1"


def compat_venv() -> Path:
    """Return the venv's folder, creating it (venv + pip install tokentoss==0.1.1) if needed."""
    venv = Path(os.environ.get("TOKENTOSS_COMPAT_VENV") or ROOT / ".cache" / f"tokentoss-{VERSION}")
    ready = venv / ".ready"
    venv.parent.mkdir(parents=True, exist_ok=True)
    # Two test runs must not build it at once (tokentoss's own lock: POSIX and Windows).
    with lock_for(venv.parent / f".{venv.name}.lock").hold():
        if ready.exists():
            return venv
        shutil.rmtree(venv, ignore_errors=True)  # a half-built one from an interrupted run
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
        subprocess.run(
            [
                str(python_of(venv)),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                f"tokentoss=={VERSION}",
            ],
            check=True,
            timeout=600,
        )
        ready.write_text(VERSION)
    return venv


def python_of(venv: Path) -> Path:
    """The interpreter of ``venv``."""
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def run_old(code: str, env: dict[str, str] | None = None) -> Any:
    """Run ``code`` under tokentoss 0.1.1; it prints one JSON value, which is returned."""
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(python_of(compat_venv())), "-c", code],
        env={**clean, **(env or {})},
        cwd="/",  # not the repository: its tokentoss/ folder would shadow the installed 0.1.1
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"tokentoss 0.1.1 failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])
