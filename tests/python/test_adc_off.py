"""Application default credentials are off by default: nothing exported, no file written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from kernel_support import offline_tokens

from tokentoss.adc import ADC_FILE_NAME, ENV_ADC_FILE
from tokentoss.store import TokenStore

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")


@pytest.fixture
def leftover(token_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An ADC file from when the option was on, and variables a previous start exported."""
    monkeypatch.delenv(ENV_ADC_FILE, raising=False)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    store = TokenStore(token_file)
    store.save(offline_tokens())
    path = token_file.with_name(ADC_FILE_NAME)
    path.write_text("{}")
    return path


@pytest.fixture
def jp_server_config(leftover: Path) -> dict[str, Any]:
    from server_helpers import jupyter_config

    return jupyter_config()


async def test_off_by_default(jp_serverapp: Any, leftover: Path, token_file: Path) -> None:
    assert ENV_ADC_FILE not in os.environ
    assert "GOOGLE_APPLICATION_CREDENTIALS" not in os.environ
    assert not leftover.exists()  # a credential file of ours is not left behind
    TokenStore(token_file).save(offline_tokens())
    assert not leftover.exists()
