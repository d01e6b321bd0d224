"""Serving anonymous GraphQL queries from the response cache.

A hit skips parsing, validation, execution and the database entirely; a miss runs the query
and, when the cache policy (cache_policy.py) says its answer may be shared, keeps it with
the surrogate keys of what it shows (response_cache.py); concurrent misses for one response
are computed once (coalescing.py).
GETs also get HTTP caching headers (ETag, Cache-Control, surrogate keys) and 304s; POSTs are
served from the same cache but stay ``no-store`` for HTTP caches. A request sent with
``Cache-Control: no-cache`` is executed afresh (and refreshes the entry).

Most hits never get here: the fast lane (response_cache_hits.py) answers them before
routing, with the same response built by :meth:`CachePolicy.cached_response`.
"""

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.requests import Request
from starlette.responses import Response

from cms.serving.cache_policy import CachePolicy, keep
from cms.serving.coalescing import Flights
from cms.serving.metrics import Metrics
from cms.serving.response_cache import ResponseCache

Compute = Callable[[], Awaitable[Response]]
# Set by the GraphQL view on request.state: the surrogate keys execution found.
SHOWN_KEYS = "surrogate_keys"
# The fast lane's lookup of a missed request: (key, snapshot), so the request costs the
# cache (a Redis round trip) one lookup, not two.
MISSED_LOOKUP = "cms.response_cache_miss"


def _get_params(query_string: bytes) -> dict[str, Any] | None:
    return dict(parse_qsl(query_string.decode("latin-1")))


def _post_params(body: bytes) -> dict[str, Any] | None:
    try:
        params = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    return params if isinstance(params, dict) else None


class PreparedResponse(Response):
    """A response whose header list is already built: a cache hit, kept lean."""

    def __init__(
        self, body: bytes, status_code: int, raw_headers: list[tuple[bytes, bytes]]
    ) -> None:
        self.body = body
        self.status_code = status_code
        self.background = None
        self.raw_headers = raw_headers


class AnonymousQueries:
    def __init__(self, policy: CachePolicy, cache: ResponseCache | None, metrics: Metrics) -> None:
        self.policy = policy
        self.cache = cache
        self.metrics = metrics
        self._flights = Flights()

    async def respond(self, request: Request, media_type: str, compute: Compute) -> Response:
        if request.method == "GET":
            query_string: bytes = request.scope["query_string"]
            key = await self.policy.key(query_string, lambda: _get_params(query_string))
            if not key:
                return await compute()  # GraphiQL's page, a malformed request, …
            return await self._respond(request, media_type, key, compute, public=True)
        body = await request.body()
        key = await self.policy.key(body, lambda: _post_params(body))
        if not key:
            response = await compute()
            self.policy.mark_uncacheable(response.headers, private=False)
            return response
        return await self._respond(request, media_type, key, compute, public=False)

    async def _respond(
        self, request: Request, media_type: str, key: str, compute: Compute, *, public: bool
    ) -> Response:
        """From the cache; else from the computation under way for the same response
        (coalescing.py); else computed here, and shared with those who wait for it."""
        fresh_asked = self.policy.asks_for_fresh(request.headers.get("cache-control"))
        snapshot, entry = await self._lookup(request, key, fresh_asked)
        if entry is None and snapshot and not fresh_asked:
            entry = await self._flights.follow(f"{snapshot}:{key}")
        if entry is not None:
            return self._from_entry(request, media_type, entry, public=public)
        if not snapshot or self._flights.is_under_way(f"{snapshot}:{key}"):
            response, _ = await self._store(request, snapshot, key, await compute(), public=public)
            return response
        with self._flights.lead(f"{snapshot}:{key}") as flight:
            response, entry = await self._store(
                request, snapshot, key, await compute(), public=public
            )
            flight.set_result(entry)
        return response

    async def _lookup(
        self, request: Request, key: str, fresh_asked: bool
    ) -> tuple[str, bytes | None]:
        if self.cache is None:
            return "", None
        missed = request.scope.pop(MISSED_LOOKUP, None)
        if missed is not None and missed[0] == key:
            snapshot, entry = missed[1], None
        else:
            snapshot, entry = await self.cache.lookup(key)
        if fresh_asked:
            return snapshot, None
        self.metrics.cache_lookup(entry is not None)
        return snapshot, entry

    async def _store(
        self, request: Request, snapshot: str, key: str, response: Response, *, public: bool
    ) -> tuple[Response, bytes | None]:
        """Keep a response that may be shared; returns it with HTTP caching headers, and
        the cache entry (None when it may not be shared)."""
        data = self.policy.shareable_data(response)
        if data is None:
            if not self.policy.is_private(response):
                self.policy.mark_uncacheable(response.headers, private=False)
            return response, None
        shown = getattr(request.state, SHOWN_KEYS, ())
        entry = self.policy.entry(response.body, data, shown)
        # Checked on every hit: only the keys changes invalidate (not every ID shown).
        current = self.cache is None or await keep(self.cache, snapshot, key, entry, shown)
        if not public or not current:
            # Not current: what it shows changed while it was computed, and the purge of
            # the HTTP cache may have gone by already; no shared cache may keep it.
            self.policy.mark_uncacheable(response.headers, private=False)
            return response, entry if current else None
        if self.policy.client_copy_is_fresh(entry, request.headers.get("if-none-match")):
            return self._not_modified(entry), entry
        self.policy.mark_shared(response.headers, entry)
        return response, entry

    def _from_entry(
        self, request: Request, media_type: str, entry: bytes, *, public: bool
    ) -> Response:
        status, headers, body = self.policy.cached_response(
            entry, media_type, request.headers.get("if-none-match"), public=public
        )
        return PreparedResponse(body, status, headers)

    def _not_modified(self, entry: bytes) -> Response:
        response = Response(status_code=304)
        self.policy.mark_shared(response.headers, entry)
        return response
