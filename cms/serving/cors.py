"""CORS: front ends on an explicit allow-list of origins may call the API, without
credentials (API tokens travel in the Authorization header, never in cookies).

Preflights are rare and answered by Starlette's own CORSMiddleware. The headers of every
other response are added here, straight onto the raw header list, with the same result as
that middleware: it builds two Headers objects per request, a large share of a cache hit's
cost.
"""

from collections.abc import Sequence

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

ALLOWED_METHODS = ("GET", "POST")
ALLOWED_HEADERS = ("Authorization", "Content-Type", "X-Request-ID")
EXPOSED_HEADERS = ("ETag", "X-Request-ID")
PREFLIGHT_MAX_AGE = 600

Headers = list[tuple[bytes, bytes]]


class CorsPolicy:
    def __init__(self, app: ASGIApp, allowed_origins: Sequence[str]) -> None:
        self.answer_preflight = CORSMiddleware(
            app,
            allow_origins=allowed_origins,
            allow_methods=ALLOWED_METHODS,
            allow_headers=ALLOWED_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            max_age=PREFLIGHT_MAX_AGE,
        )
        self.allow_all = "*" in allowed_origins
        self.allowed_origins = frozenset(origin.encode("latin-1") for origin in allowed_origins)
        self.exposed = (b"access-control-expose-headers", ", ".join(EXPOSED_HEADERS).encode())

    def add_response_headers(
        self, headers: Headers, vary_at: list[int], origin: bytes | None
    ) -> None:
        """A request with an Origin learns which headers it may read and, from an allowed
        origin, that it may read the response; every response varies by Origin. ``vary_at``
        holds the positions of the response's Vary headers."""
        if origin is not None:
            if self.allow_all:
                headers.append((b"access-control-allow-origin", b"*"))
            headers.append(self.exposed)
            if not self.allow_all and origin in self.allowed_origins:
                headers.append((b"access-control-allow-origin", origin))
        if not vary_at:
            headers.append((b"vary", b"Origin"))
            return
        # One Vary header, where the first one was, listing every value and Origin.
        values = [headers[index][1] for index in vary_at]
        headers[vary_at[0]] = (b"vary", b", ".join([*values, b"Origin"]))
        for index in reversed(vary_at[1:]):
            del headers[index]
