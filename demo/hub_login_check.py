"""Smoke check of the demo hub over plain HTTP (no browser): log in, spawn, reach tokentoss.

    python demo/hub_login_check.py HUB_URL USER PASSWORD

Logs USER in through the hub's login form, waits until the user's server answers (the spawn may take
a while on a busy machine), and checks that the tokentoss server extension answers on that server
and holds the OAuth client the hub configured (source "server_config").
Hosts under .localhost (per-user subdomains) are reached on 127.0.0.1, as Chromium does (RFC 6761).
Exit 0 when all of that works; otherwise a message saying which step failed.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import re
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SPAWN_TIMEOUT_S = 240


class _LoopbackConnection(http.client.HTTPConnection):
    """An HTTP connection that reaches every *.localhost host on 127.0.0.1."""

    def connect(self) -> None:
        host = self.host
        if host == "localhost" or host.endswith(".localhost"):
            host = "127.0.0.1"
        self.sock = socket.create_connection((host, self.port), self.timeout)


class _LoopbackHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_LoopbackConnection, req)


def _opener() -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(_LoopbackHandler(), urllib.request.HTTPCookieProcessor(jar))


def log_in(opener: urllib.request.OpenerDirector, hub: str, user: str, password: str) -> str:
    """Post the hub's login form; return the URL the hub sent the browser to."""
    with opener.open(f"{hub}/hub/login", timeout=30) as page:
        html = page.read().decode()
    match = re.search(r'name="_xsrf"\s+value="([^"]+)"', html)
    form = {"username": user, "password": password}
    if match:
        form["_xsrf"] = match.group(1)
    data = urllib.parse.urlencode(form).encode()
    with opener.open(f"{hub}/hub/login", data=data, timeout=60) as answer:
        landed: str = answer.geturl()
    if "/hub/login" in urllib.parse.urlsplit(landed).path:
        raise SystemExit(f"login as {user} failed: the hub showed its login form again")
    return landed


def wait_for_server(opener: urllib.request.OpenerDirector, hub: str, user: str) -> str:
    """Poll the user's lab through the hub until it loads; return the server's base URL.

    The lab page (not the REST API, which answers 403 without the server's own cookie) runs the
    hub's OAuth dance that gives the browser, here the cookie jar, access to the user's server.
    """
    deadline = time.monotonic() + SPAWN_TIMEOUT_S
    last = "no answer yet"
    prefix = f"/user/{user}/"
    while time.monotonic() < deadline:
        try:
            with opener.open(f"{hub}{prefix}lab", timeout=30) as answer:
                url: str = answer.geturl()
                if answer.status == 200 and urllib.parse.urlsplit(url).path == f"{prefix}lab":
                    return url[: url.index(prefix) + len(prefix)]
                last = f"{answer.status} from {url}"
        except urllib.error.HTTPError as err:
            last = f"{err.code} from {err.url}"
        except OSError as err:
            last = str(err)
        time.sleep(1)
    raise SystemExit(f"{user}'s server did not answer within {SPAWN_TIMEOUT_S} s ({last})")


def check_tokentoss(opener: urllib.request.OpenerDirector, server: str) -> dict[str, object]:
    """The user's server answers its REST API, tokentoss is loaded there and holds the client."""
    with opener.open(f"{server}api/status", timeout=30) as answer:
        json.loads(answer.read())
    with opener.open(f"{server}tokentoss/status", timeout=30) as answer:
        status: dict[str, object] = json.loads(answer.read())
    if "signed_in" not in status:
        raise SystemExit(f"unexpected tokentoss/status answer: {sorted(status)}")
    # The hub admin's client is held by the user's server (demo/hub-singleuser/).
    with opener.open(f"{server}tokentoss/client", timeout=30) as answer:
        client = json.loads(answer.read())
    if client.get("source") != "server_config" or client.get("has_secret") is not True:
        raise SystemExit(f"the user's server does not hold the hub's OAuth client: {client}")
    return status


def main(argv: list[str]) -> int:
    """Run the smoke check; print one line per step."""
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    hub, user, password = argv[1].rstrip("/"), argv[2], argv[3]
    opener = _opener()
    landed = log_in(opener, hub, user, password)
    print(f"logged in as {user} (hub sent us to {landed})")
    started = time.monotonic()
    server = wait_for_server(opener, hub, user)
    print(f"{user}'s server answers at {server} ({time.monotonic() - started:.1f} s)")
    status = check_tokentoss(opener, server)
    print(f"tokentoss answers there (client held by the server): signed_in={status['signed_in']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
