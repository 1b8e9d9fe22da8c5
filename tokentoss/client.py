"""HTTP with the signed-in user's ID token: ``IAPClient`` and ``IDTokenAuth``.

Both send ``Authorization: Bearer <ID token>``, the credential Identity-Aware Proxy accepts, and
on a 401 refresh once and retry once. ``IDTokenAuth`` plugs into requests and, when installed,
httpx (sync and async clients).
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncGenerator, Generator
from typing import TYPE_CHECKING, Any

import requests
from requests.auth import AuthBase

from tokentoss._http import send_with_credential
from tokentoss.api import default_store
from tokentoss.errors import NoCredentialsError
from tokentoss.refresh import DEFAULT_MARGIN, fresh_tokens, refresh_now
from tokentoss.store import TokenStore
from tokentoss.urls import require_secure_url

if TYPE_CHECKING:
    import httpx
    from httpx import Auth as _HttpxAuth
elif importlib.util.find_spec("httpx") is not None:
    # httpx only accepts httpx.Auth instances as auth=..., so subclass it when it is installed.
    from httpx import Auth as _HttpxAuth
else:

    class _HttpxAuth:
        """Stand-in base class when httpx is not installed."""


__all__ = ["IAPClient", "IDTokenAuth"]


def _bearer(token: str) -> str:
    return f"Bearer {token}"


def token_after_rejection(store: TokenStore, rejected: str) -> str:
    """Return an ID token to retry with after ``rejected`` got a 401.

    Under the lock: if another process already replaced the rejected token, use its token;
    otherwise refresh now. So many clients hit by the same 401 cause one refresh.
    """
    with store.lock():
        current = store.load()
        if current is None:
            raise NoCredentialsError()
        if current.id_token != rejected:
            return current.id_token
        return refresh_now(store).id_token


def _rejected_token(headers: Any) -> str | None:
    """The ID token a 401 answer rejected, or None if the request carried no bearer of ours.

    After a redirect to another host the HTTP library strips Authorization: that host's 401
    says nothing about our token, and re-sending the token there would leak it.
    """
    value = str(headers.get("Authorization") or "")
    return value.removeprefix("Bearer ") if value.startswith("Bearer ") else None


def _replayable(body: Any) -> bool:
    # A generator or open file is consumed by the first send; it cannot be sent again.
    return body is None or isinstance(body, (bytes, str, bytearray, dict, list, tuple))


class IAPClient:
    """A requests session that adds the ID token to every request.

    ``base_url`` is joined with relative paths; absolute URLs are used as given. A 401 answer
    triggers one refresh and one retry; the retry's answer (or error) is what you get.
    """

    def __init__(
        self,
        base_url: str | None = None,
        timeout: float = 30,
        store: TokenStore | None = None,
    ) -> None:
        if base_url is not None:
            require_secure_url(base_url, what="base_url")
        self.base_url = base_url.rstrip("/") if base_url else None
        self.timeout = timeout
        self.store = store or default_store()
        self.session = requests.Session()

    def __repr__(self) -> str:
        return f"IAPClient(base_url={self.base_url!r})"

    def url(self, path: str) -> str:
        """The absolute URL for ``path`` (a path relative to ``base_url``, or an absolute URL)."""
        if path.startswith(("http://", "https://")):
            url = path
        elif self.base_url is None:
            raise ValueError(
                f"The relative path {path!r} needs a base URL: use "
                "IAPClient(base_url='https://service.example.com') or pass an absolute URL."
            )
        else:
            url = f"{self.base_url}/{path.lstrip('/')}"
        # The ID token opens the service: never send it unencrypted off this machine.
        return require_secure_url(url, what="request URL")

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send ``method`` to ``path`` with the ID token; keyword arguments go to requests."""
        url = self.url(path)
        kwargs.setdefault("timeout", self.timeout)
        headers = dict(kwargs.pop("headers", None) or {})
        token = fresh_tokens(self.store).id_token
        headers["Authorization"] = _bearer(token)
        response = self._send(method, url, headers, kwargs)
        if response.status_code != 401 or _rejected_token(response.request.headers) != token:
            return response
        if not (_replayable(kwargs.get("data")) and kwargs.get("files") is None):
            return response
        response.close()
        headers["Authorization"] = _bearer(token_after_rejection(self.store, token))
        return self._send(method, url, headers, kwargs)

    def _send(
        self, method: str, url: str, headers: dict[str, Any], kwargs: dict[str, Any]
    ) -> requests.Response:
        # The URL is checked again as requests prepared it (params merged, normalised).
        return send_with_credential(
            self.session, method, url, what="request URL", headers=headers, **kwargs
        )

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        """GET ``path`` with the ID token."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        """POST to ``path`` with the ID token."""
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        """PUT to ``path`` with the ID token."""
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        """PATCH ``path`` with the ID token."""
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        """DELETE ``path`` with the ID token."""
        return self.request("DELETE", path, **kwargs)

    def get_json(self, path: str, **kwargs: Any) -> Any:
        """GET ``path`` and return the parsed JSON; raises requests.HTTPError on 4xx/5xx."""
        response = self.get(path, **kwargs)
        response.raise_for_status()
        return response.json()

    def post_json(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        """POST ``json`` to ``path`` and return the parsed JSON answer; raises on 4xx/5xx."""
        response = self.post(path, json=json, **kwargs)
        response.raise_for_status()
        return response.json()

    def close(self) -> None:
        """Close the connection pool."""
        self.session.close()

    def __enter__(self) -> IAPClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class IDTokenAuth(AuthBase, _HttpxAuth):
    """``auth=IDTokenAuth()`` for requests and httpx: adds the ID token, retries a 401 once.

    It never sends the token over plain http to another machine.
    """

    def __init__(self, store: TokenStore | None = None) -> None:
        self.store = store or default_store()

    def __repr__(self) -> str:
        return f"IDTokenAuth({self.store!r})"

    # -- requests ------------------------------------------------------------------------

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        require_secure_url(request.url or "", what="request URL")
        request.headers["Authorization"] = _bearer(fresh_tokens(self.store).id_token)
        request.register_hook("response", self._retry_requests_401)  # type: ignore[no-untyped-call]
        return request

    def _retry_requests_401(self, response: requests.Response, **kwargs: Any) -> requests.Response:
        # The same dance as requests' HTTPDigestAuth: resend a copy once, keep the 401 in history.
        # requests runs this hook on every redirect hop too, with the request of that hop.
        first = response.request
        if response.status_code != 401 or not _replayable(first.body):
            return response
        rejected = _rejected_token(first.headers)
        if not rejected:
            return response
        require_secure_url(first.url or "", what="request URL")
        token = token_after_rejection(self.store, rejected)
        _ = response.content
        response.close()
        retry = first.copy()
        retry.headers["Authorization"] = _bearer(token)
        retry.deregister_hook("response", self._retry_requests_401)  # type: ignore[no-untyped-call]
        answer: requests.Response = response.connection.send(retry, **kwargs)
        answer.history.append(response)
        answer.request = retry
        return answer

    # -- httpx ---------------------------------------------------------------------------

    def _prepare_httpx(self, request: httpx.Request, token: str) -> httpx.Request:
        require_secure_url(str(request.url), what="request URL")
        request.headers["Authorization"] = _bearer(token)
        return request

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """httpx's auth hook (sync clients)."""
        token = fresh_tokens(self.store).id_token
        response = yield self._prepare_httpx(request, token)
        # httpx hands over the answer after redirects: retry only if our token got the 401.
        if response.status_code == 401 and _rejected_token(response.request.headers) == token:
            yield self._prepare_httpx(request, token_after_rejection(self.store, token))

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """httpx's auth hook (async clients): file and network work runs in a worker thread."""
        import anyio.to_thread  # an httpx dependency; works under asyncio and trio

        tokens = self.store.load()
        if tokens is None or tokens.expires_within(DEFAULT_MARGIN):
            tokens = await anyio.to_thread.run_sync(fresh_tokens, self.store)
        response = yield self._prepare_httpx(request, tokens.id_token)
        if response.status_code == 401 and _rejected_token(response.request.headers) == (
            tokens.id_token
        ):
            token = await anyio.to_thread.run_sync(
                token_after_rejection, self.store, tokens.id_token
            )
            yield self._prepare_httpx(request, token)
