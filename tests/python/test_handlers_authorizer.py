"""A custom jupyter_server Authorizer is consulted: it can make tokentoss read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jupyter_server.auth.authorizer import Authorizer
from server_helpers import Fetch, jupyter_config, snapshot, valid_body

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")

seen: list[tuple[str, str]] = []


class ReadOnlyTokenToss(Authorizer):
    """Allows everything except writing the tokentoss resource."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        seen.append((action, resource))
        return not (resource == "tokentoss" and action == "write")


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    """A deployment whose Authorizer denies writes to tokentoss."""
    return jupyter_config(ServerApp={"authorizer_class": ReadOnlyTokenToss})


async def test_authorizer_denies_writes_and_allows_status(api: Fetch, token_file: Path) -> None:
    seen.clear()
    assert (await api("status")).code == 200
    assert ("read", "tokentoss") in seen
    for method, path in (("PUT", "tokens"), ("POST", "refresh"), ("DELETE", "tokens")):
        kwargs: dict[str, Any] = {"json_body": valid_body()} if method == "PUT" else {}
        response = await api(path, method=method, **kwargs)
        assert response.code == 403, (method, response.body)
    assert snapshot(token_file.parent) == {}  # nothing was written
    assert seen.count(("write", "tokentoss")) == 3
