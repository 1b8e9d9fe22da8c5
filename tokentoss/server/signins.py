"""Pending sign-ins that this server's lab registered: the callback answers only these.

In memory (a restart forgets them, which only cancels sign-ins in flight), at most
:data:`MAX_PENDING` at once (the oldest is evicted), each for :data:`LIFETIME`. Every
transition happens under one lock, so a callback is taken once even when two arrive together
from tornado's loop and from worker threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Literal

__all__ = ["LIFETIME", "MAX_PENDING", "Mode", "SignIn", "SignInRegistry", "Status"]

MAX_PENDING = 8
LIFETIME = timedelta(minutes=10)

Mode = Literal["server", "browser"]
Status = Literal["waiting", "answered", "succeeded", "failed"]


@dataclass(frozen=True)
class SignIn:
    """One registered sign-in. ``repr`` hides the PKCE verifier and the callback query."""

    state: str
    nonce: str = field(repr=False)
    redirect_uri: str
    mode: Mode
    code_verifier: str | None = field(repr=False)
    hosted_domain: str | None
    expires_at: datetime
    status: Status = "waiting"
    reason: str | None = None
    message: str | None = None
    callback: str | None = field(default=None, repr=False)
    """Browser mode, answered: the callback's query string (it holds the code)."""
    uploading: bool = False
    """A ``PUT tokens`` for this sign-in is under way: a second one is refused."""

    def to_json(self) -> dict[str, object]:
        """The ``GET signins/<state>`` answer (the code only while a browser-mode answer waits)."""
        shows_callback = self.mode == "browser" and self.status == "answered"
        return {
            "state": self.state,
            "mode": self.mode,
            "status": self.status,
            "reason": self.reason,
            "message": self.message,
            "callback": self.callback if shows_callback else None,
        }


class SignInRegistry:
    """The pending sign-ins of one Jupyter server (thread-safe)."""

    def __init__(self, *, capacity: int = MAX_PENDING, lifetime: timedelta = LIFETIME) -> None:
        self._capacity = capacity
        self._lifetime = lifetime
        self._items: OrderedDict[str, SignIn] = OrderedDict()
        self._lock = threading.Lock()

    def _now(self) -> datetime:
        return datetime.now(timezone.utc)

    def _purge(self, now: datetime) -> None:
        for state in [s for s, item in self._items.items() if item.expires_at <= now]:
            del self._items[state]

    def register(
        self,
        *,
        state: str,
        nonce: str,
        redirect_uri: str,
        mode: Mode,
        code_verifier: str | None,
        hosted_domain: str | None,
    ) -> SignIn:
        """Add a sign-in (replacing one with the same state); evicts the oldest past the cap."""
        now = self._now()
        item = SignIn(
            state=state,
            nonce=nonce,
            redirect_uri=redirect_uri,
            mode=mode,
            code_verifier=code_verifier,
            hosted_domain=hosted_domain,
            expires_at=now + self._lifetime,
        )
        with self._lock:
            self._purge(now)
            self._items.pop(state, None)
            self._items[state] = item
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return item

    def get(self, state: str) -> SignIn | None:
        """The sign-in registered under ``state``, unless unknown or expired."""
        with self._lock:
            self._purge(self._now())
            return self._items.get(state)

    def cancel(self, state: str) -> None:
        """Forget a sign-in (unknown states are fine)."""
        with self._lock:
            self._items.pop(state, None)

    def take_answer(self, state: str) -> SignIn | None:
        """Move a waiting sign-in to ``answered`` and return it; None if not waiting (once only)."""
        with self._lock:
            self._purge(self._now())
            item = self._items.get(state)
            if item is None or item.status != "waiting":
                return None
            item = self._items[state] = replace(item, status="answered")
            return item

    def record_callback(self, state: str, query: str) -> None:
        """Keep a browser-mode callback's query for the lab to read."""
        self._update(state, callback=query)

    def claim_upload(self, state: str) -> SignIn | None:
        """Take an answered browser-mode sign-in for ``PUT tokens``; None if not one (or taken)."""
        with self._lock:
            self._purge(self._now())
            item = self._items.get(state)
            if (
                item is None
                or item.mode != "browser"
                or item.status != "answered"
                or item.uploading
            ):
                return None
            item = self._items[state] = replace(item, uploading=True)
            return item

    def succeed(self, state: str) -> None:
        """The sign-in's tokens are stored; the code (if kept) is dropped."""
        self._update(state, status="succeeded", callback=None, uploading=False)

    def fail(self, state: str, reason: str, message: str) -> None:
        """The sign-in failed; ``message`` must be safe to show (no token value)."""
        self._update(
            state, status="failed", reason=reason, message=message, callback=None, uploading=False
        )

    def _update(self, state: str, **changes: object) -> None:
        with self._lock:
            item = self._items.get(state)
            if item is not None:
                self._items[state] = replace(item, **changes)  # type: ignore[arg-type]
