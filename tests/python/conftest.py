"""Shared pytest fixtures."""

from __future__ import annotations

# ---- kernel library: demo servers and token stores (owner: kernel library) -----------------
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from kernel_support import Demo, start_demo, stop_demo

from tokentoss.store import ENV_TOKEN_FILE, TokenStore


@pytest.fixture(autouse=True)
def _token_file_env_restored() -> Iterator[None]:
    """Puts TOKENTOSS_TOKEN_FILE back as it was before each test.

    An in-process Jupyter server exports its token file into ``os.environ`` for its kernels; left
    there, it would point the next tests' subprocesses at another test's (signed-in) file.
    """
    before = os.environ.get(ENV_TOKEN_FILE)
    yield
    if before is None:
        os.environ.pop(ENV_TOKEN_FILE, None)
    else:
        os.environ[ENV_TOKEN_FILE] = before


@pytest.fixture(scope="session")
def demo_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """``node demo/servers.mjs`` on free loopback ports, once per test session."""
    demo = start_demo(tmp_path_factory.mktemp("demo") / "servers.log")
    yield demo
    stop_demo(demo)


@pytest.fixture
def demo(demo_servers: Demo) -> Demo:
    """The demo servers with counters at zero and normal behaviour."""
    demo_servers.reset()
    return demo_servers


@pytest.fixture
def kernel_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TokenStore:
    """A token store in a fresh private folder, also exported as TOKENTOSS_TOKEN_FILE."""
    path = tmp_path / "tokentoss" / "tokens.json"
    monkeypatch.setenv("TOKENTOSS_TOKEN_FILE", str(path))
    return TokenStore(path)


# ---- end of kernel library block -----------------------------------------------------------


# ---- release: the wheel test's marker (owner: release) -------------------------------------
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "wheel: builds the sdist and wheel, installs the wheel into a fresh venv (~1 min)",
    )


# ---- end of release block ------------------------------------------------------------------
