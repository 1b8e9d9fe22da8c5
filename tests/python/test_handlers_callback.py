"""The OAuth callback and its outcome page: open to all, locked down by headers, no code shown."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from server_helpers import jupyter_config

from tokentoss.server.callback import CALLBACK_CSP, read_asset

pytest_plugins = ("pytest_jupyter.jupyter_server", "server_fixtures")

STATIC = Path(__file__).resolve().parents[2] / "tokentoss" / "server" / "static"
ASSETS = [
    ("callback.js", "callback.js", "text/javascript"),
    ("callback.css", "callback.css", "text/css"),
]


@pytest.fixture
def jp_server_config(token_file: Path) -> dict[str, Any]:
    """The extension enabled, plus a server-wide CSP that the callback must not inherit."""
    return jupyter_config(
        ServerApp={
            "tornado_settings": {"headers": {"Content-Security-Policy": "frame-ancestors *"}}
        }
    )


async def _get(client: Any, base_url: str, path: str, query: str = "") -> Any:
    # No Authorization header and no cookie: the popup may come back without either.
    url = f"{base_url}tokentoss/{path}" + (f"?{query}" if query else "")
    return await client.fetch(url, raise_error=False, follow_redirects=False)


@pytest.mark.parametrize(("path", "asset", "media_type"), ASSETS)
async def test_served_without_auth_with_strict_headers(
    path: str, asset: str, media_type: str, http_server_client: Any, jp_base_url: str
) -> None:
    response = await _get(http_server_client, jp_base_url, path)
    assert response.code == 200
    assert response.headers["Content-Type"] == f"{media_type}; charset=utf-8"
    assert response.headers["Content-Security-Policy"] == CALLBACK_CSP
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.body == (STATIC / asset).read_bytes() == read_asset(asset)


def test_csp_is_the_contracts() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CALLBACK_CSP.split(";"))
    assert directives == {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self'",
        "base-uri": "'none'",
        "form-action": "'none'",
        "frame-ancestors": "'none'",
    }


HOSTILE_QUERIES = [
    {"code": "4/0Ab-code", "state": "s1", "scope": "email openid", "authuser": "0"},
    {"error": "access_denied", "error_description": "<img src=x onerror=alert(1)>", "state": "s"},
    {"state": '"><script>alert(1)</script>', "code": "</title><script>alert(2)</script>"},
    {"error": "x", "error_description": "{{7*7}} ${7*7} <!--"},
]


async def test_outcome_page_has_the_strict_headers(
    http_server_client: Any, jp_base_url: str
) -> None:
    response = await _get(http_server_client, jp_base_url, "callback/done", "state=x")
    assert response.code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Security-Policy"] == CALLBACK_CSP
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
async def test_no_page_ever_interpolates_the_query(
    query: dict[str, str], http_server_client: Any, jp_base_url: str
) -> None:
    encoded = urllib.parse.urlencode(query)
    callback = await _get(http_server_client, jp_base_url, "callback", encoded)
    # The callback loads no document: a bodiless 303 to the outcome page without the query.
    assert callback.code == 303
    assert callback.body == b""
    assert callback.headers["Location"] == f"{jp_base_url}tokentoss/callback/done"
    assert callback.headers["Cache-Control"] == "no-store"
    assert callback.headers["Referrer-Policy"] == "no-referrer"
    page = await _get(http_server_client, jp_base_url, "callback/done", encoded)
    assert page.code == 200
    for value in query.values():
        if len(value) >= 8:  # short ones ("s", "0") occur in any page
            assert value.encode() not in page.body


async def test_page_is_not_served_under_other_names(
    http_server_client: Any, jp_base_url: str
) -> None:
    # ("callback/" is redirected to "callback" by Jupyter's trailing-slash handler.)
    for path in ("callback.html", "static/callback.js", "callback.js/x", "callback/done/x"):
        assert (await _get(http_server_client, jp_base_url, path)).code == 404, path


def test_page_has_no_inline_script_or_style() -> None:
    html = (STATIC / "callback.html").read_text()
    # The CSP forbids inline code: every script has a src, no style attributes or blocks.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="../callback.js"' in tag
    assert "<style" not in html
    assert "style=" not in html
    assert re.search(r"\son[a-z]+=", html) is None
    assert '<meta name="referrer" content="no-referrer"' in html
    # Relative URLs, so the page works under any base_url (JupyterHub's /user/<name>/).
    assert 'href="../callback.css"' in html


def test_script_relays_per_contract_and_writes_text_only() -> None:
    script = (STATIC / "callback.js").read_text()
    code = re.sub(r"//[^\n]*", "", script)  # comments may name what the code must not do
    assert "'tokentoss:callback'" in code
    assert "new BroadcastChannel(CHANNEL_PREFIX + state)" in code
    assert "var CHANNEL_PREFIX = 'tokentoss:'" in code
    assert "window.opener.postMessage(message, window.location.origin)" in code
    # The message is the state only: never the page's URL, a code or a token.
    assert "var message = { type: MESSAGE_TYPE, state: state }" in code
    assert "location.href" not in code
    assert "location.search" not in code
    # The state comes from the page the server rendered, not from the URL.
    assert "document.body.dataset.state" in code
    assert "window.close()" in code
    assert ".textContent" in code
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert forbidden not in code
    assert "localStorage" not in code
    assert "sessionStorage" not in code
