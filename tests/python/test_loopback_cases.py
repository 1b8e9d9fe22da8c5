"""The loopback rule, Python's side, against the table both languages share.

tests/shared/loopback-cases.json holds each case's expected answer for Python and for the
browser; jest runs the browser's rule over the same file.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from kernel_support import ROOT

from tokentoss.urls import is_loopback_host, require_secure_url

CASES: list[dict[str, Any]] = json.loads(
    (ROOT / "tests" / "shared" / "loopback-cases.json").read_text("utf-8")
)["cases"]


def test_every_case_gives_both_answers_and_a_note_where_they_differ() -> None:
    assert len({case["url"] for case in CASES}) == len(CASES), "a URL is listed twice"
    for case in CASES:
        assert isinstance(case["python"], bool), case
        assert isinstance(case["browser"], bool), case
        if case["python"] != case["browser"]:
            assert case.get("note"), f"{case['url']}: the languages differ, say why in 'note'"


@pytest.mark.parametrize("case", CASES, ids=[case["url"] for case in CASES])
def test_python_answers_as_the_table_says(case: dict[str, Any]) -> None:
    url = case["url"]
    if case["python"]:
        assert require_secure_url(url) == url
        # Accepted as plain http only because its host is loopback, by the one rule.
        assert is_loopback_host(urlsplit(url).hostname or "")
    else:
        # Refused for its host, or for what makes its host unclear (userinfo, '\\', ...).
        with pytest.raises(ValueError, match=r"http|user name|backslash"):
            require_secure_url(url)


def test_python_never_accepts_what_the_browser_refuses() -> None:
    # The stricter side is Python's: kernels and the server send the refresh token.
    looser = [case["url"] for case in CASES if case["python"] and not case["browser"]]
    assert looser == []
