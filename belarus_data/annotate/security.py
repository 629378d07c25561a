"""The guards of the local server: a per-run token, this host only, no cross-site writes.

A page on any other site can make the browser send requests to 127.0.0.1; these rules make such a
request fail: it cannot know the token (random per run, compared in constant time), a rebinding
name reaches the server with another ``Host`` header, and a cross-site POST carries another
``Origin`` (or ``Sec-Fetch-Site: cross-site``).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs

TOKEN_HEADER = "x-annotate-token"
SAFE_FETCH_SITES = {"same-origin", "none"}


def new_token() -> str:
    """A fresh secret for one run (32 random bytes, URL-safe)."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Guard:
    """What a request must show: the token, one of ``hosts`` as Host, and for POST a same-origin source.

    >>> guard = Guard("t0k", 8000)
    >>> guard.refusal("GET", {"host": "127.0.0.1:8000"}, "token=t0k") is None
    True
    >>> guard.refusal("GET", {"host": "evil.example:8000"}, "token=t0k")[0]
    421
    """

    token: str
    port: int

    @property
    def hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    @property
    def origins(self) -> set[str]:
        return {f"http://{host}" for host in self.hosts}

    def refusal(self, method: str, headers: dict[str, str], query: str) -> tuple[int, str] | None:
        """(status, reason) if the request must be refused, else None."""
        if headers.get("host", "") not in self.hosts:
            return 421, "wrong Host header: open the address printed by belarus-data annotate"
        given = headers.get(TOKEN_HEADER) or (parse_qs(query).get("token") or [""])[0]
        if not hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8")):
            return 403, "missing or wrong token: open the address printed by belarus-data annotate"
        if method not in ("GET", "HEAD"):
            origin = headers.get("origin")
            if origin is not None and origin not in self.origins:
                return 403, "cross-site request refused"
            if headers.get("sec-fetch-site", "same-origin") not in SAFE_FETCH_SITES:
                return 403, "cross-site request refused"
            if not headers.get("content-type", "").startswith("application/json"):
                return 415, "send JSON"
        return None
