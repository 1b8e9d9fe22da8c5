"""Sending a credential and reading the answer: the URL checked as sent, the answer bounded.

Every request that carries a token or the client secret goes through ``send_with_credential``:
it prepares the request exactly as requests will send it and checks that URL (not the string
it was given) with ``require_secure_url``. ``json_answer`` reads at most ``MAX_ANSWER_BYTES`` of
a provider's answer, so a huge or deeply nested body is a ValueError, never a MemoryError or
RecursionError. Callers pass ``stream=True`` so the body is not read whole first.
"""

from __future__ import annotations

import json
from typing import Any

import requests

from tokentoss.urls import require_secure_url

__all__ = ["MAX_ANSWER_BYTES", "json_answer", "send_with_credential"]

MAX_ANSWER_BYTES = 1 << 20  # a token or discovery answer is a few KiB
_SEND_KEYS = frozenset(("timeout", "allow_redirects", "proxies", "stream", "verify", "cert"))


def send_with_credential(
    session: requests.Session | None,
    method: str,
    url: str,
    *,
    what: str,
    **kwargs: Any,
) -> requests.Response:
    """``session.request(method, url, **kwargs)``, refused (ValueError) unless the prepared URL
    is https or loopback http. Without a session a short-lived one is used.
    """
    if session is None:
        with requests.Session() as own:
            return send_with_credential(own, method, url, what=what, **kwargs)
    send = {key: kwargs.pop(key) for key in list(kwargs) if key in _SEND_KEYS}
    prepared = session.prepare_request(requests.Request(method, url, **kwargs))
    require_secure_url(prepared.url or "", what=what)
    # What Session.request adds: proxies and TLS settings from the environment.
    settings = session.merge_environment_settings(
        prepared.url,
        send.pop("proxies", None) or {},
        send.pop("stream", None),
        send.pop("verify", None),
        send.pop("cert", None),
    )
    return session.send(prepared, **send, **settings)


def json_answer(response: requests.Response, limit: int = MAX_ANSWER_BYTES) -> Any:
    """The parsed JSON body, or raise ValueError if it is too big, too deep or not JSON."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ValueError(f"the answer is too large ({declared} bytes)")
    chunks: list[bytes] = []
    size = 0
    # iter_content works whether or not the body was streamed, and counts decoded bytes (so a
    # gzip bomb stops at the limit too).
    for chunk in response.iter_content(chunk_size=1 << 16):
        size += len(chunk)
        if size > limit:
            response.close()
            raise ValueError(f"the answer is too large (over {limit} bytes)")
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError("the answer is nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"the answer is not UTF-8 ({exc.reason})") from None
