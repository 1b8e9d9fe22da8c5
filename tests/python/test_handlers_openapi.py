"""docs/openapi.yaml describes every tokentoss route the server registers, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from server_helpers import jupyter_config

from tokentoss.server import build_routes

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")

SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
VERBS = ("get", "put", "post", "delete", "patch", "head")
# How the router spells a path parameter (signins/<state>).
PATH_PARAMETER = "([^/]+)"


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    """The extension enabled; depends on token_file so the env is set before start-up."""
    return jupyter_config()


def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text())
    return spec


def _rules(router: Any) -> list[Any]:
    """Every rule of a tornado router, nested host routers included."""
    rules = []
    for rule in router.rules:
        if hasattr(rule.target, "rules"):
            rules += _rules(rule.target)
        else:
            rules.append(rule)
    return rules


def _registered(web_app: Any, base_url: str) -> dict[str, set[str]]:
    """Path (relative to {base_url}tokentoss) → the HTTP verbs its handler implements."""
    prefix = base_url + "tokentoss/"
    found: dict[str, set[str]] = {}
    for rule in _rules(web_app.default_router):
        pattern = getattr(rule.matcher, "regex", re.compile("")).pattern
        if not pattern.startswith(prefix):
            continue
        path = "/" + re.sub(r"\\(.)", r"\1", pattern[len(prefix) :].rstrip("$"))
        path = path.replace(PATH_PARAMETER, "{state}")
        handler = rule.target
        found[path] = {
            verb
            for verb in VERBS
            if verb in vars(handler)
            or any(
                verb in vars(base)
                for base in handler.__mro__[1:]
                if base.__module__.startswith("tokentoss")
            )
        }
    return found


def test_every_registered_route_and_verb_is_described(jp_serverapp: Any) -> None:
    registered = _registered(jp_serverapp.web_app, jp_serverapp.base_url)
    assert registered, "the extension registered no routes"
    described = {
        path: {verb for verb in item if verb in VERBS} for path, item in _spec()["paths"].items()
    }
    assert described == registered


def test_build_routes_matches_the_spec_for_any_base_url() -> None:
    for base_url in ("/", "/user/alice/"):
        paths = {pattern for pattern, _, _ in build_routes(base_url)}
        expected = {
            base_url + "tokentoss" + re.escape(path).replace(re.escape("{state}"), PATH_PARAMETER)
            for path in _spec()["paths"]
        }
        assert paths == expected


def test_every_operation_documents_its_errors() -> None:
    spec = _spec()
    for path, item in spec["paths"].items():
        for verb, operation in item.items():
            if verb not in VERBS:
                continue  # e.g. path-level "parameters"
            responses = operation["responses"]
            assert any(code[0] in "23" for code in responses), (path, verb)
            if operation.get("security", spec["security"]):
                assert "403" in responses, (path, verb)
    put = spec["paths"]["/tokens"]["put"]["responses"]
    assert {"400", "403", "413", "415"} <= set(put)
    refresh = spec["paths"]["/refresh"]["post"]["responses"]
    assert {"409", "502"} <= set(refresh)


def test_client_schema_matches_the_answer() -> None:
    from tokentoss.server.client_source import client_info

    schema = _spec()["components"]["schemas"]["ClientInfo"]
    assert set(schema["properties"]) == set(schema["required"]) == set(client_info(None))
