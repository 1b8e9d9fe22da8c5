"""require_secure_url: https anywhere, plain http only to this machine."""

from __future__ import annotations

import pytest

from tokentoss.urls import is_loopback_host, require_secure_url


@pytest.mark.parametrize(
    "url",
    [
        "https://accounts.google.com",
        "https://svc.example.com:8443/path?q=1",
        "http://127.0.0.1:8080/token",
        "http://127.5.6.7/x",
        "http://[::1]:9000/",
        "http://localhost/",
        "http://LOCALHOST:1/",
    ],
)
def test_accepted(url: str) -> None:
    assert require_secure_url(url) == url


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("http://example.com/token", "plain http"),
        ("http://10.0.0.1/", "plain http"),
        ("http://128.0.0.1/", "plain http"),
        ("http://localhost.evil.example/", "plain http"),
        ("http://127.0.0.1.evil.example/", "plain http"),
        ("http://[::ffff:8.8.8.8]/", "plain http"),
        ("ftp://127.0.0.1/", "must use https"),
        ("javascript:alert(1)", "no host"),
        ("https://", "no host"),
        ("https://[::1/", "not a valid URL"),
    ],
)
def test_refused(url: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        require_secure_url(url, what="issuer")


def test_loopback_hosts() -> None:
    assert is_loopback_host("127.0.0.1")
    assert is_loopback_host("::1")
    assert not is_loopback_host("0.0.0.0")  # noqa: S104 (a host name under test)
    assert not is_loopback_host("example.com")
