"""Serving anonymous GraphQL queries from the response cache.

A hit skips parsing, validation, execution and the database entirely; a miss runs the query
and, when it answered without errors, keeps the response with the surrogate keys of what it
shows (response_cache.py); concurrent misses for one response are computed once
(coalescing.py).
GETs also get HTTP caching headers (ETag, Cache-Control, surrogate keys) and 304s; POSTs are
served from the same cache but stay ``no-store`` for HTTP caches. A request sent with
``Cache-Control: no-cache`` is executed afresh (and refreshes the entry).

Most hits never get here: the fast lane (response_cache_hits.py) answers them before
routing, with the same response built by :meth:`AnonymousQueries.hit_response`.
"""

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

import orjson
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.requests import Request
from starlette.responses import Response

from cms.config import Settings
from cms.serving.coalescing import Flights
from cms.serving.http_caching import (
    NO_STORE,
    PRIVATE,
    VARY,
    etag_for,
    matches_if_none_match,
    public_cache_control,
    set_public_headers,
    set_uncacheable_headers,
    surrogate_keys,
)
from cms.serving.metrics import Metrics
from cms.serving.persisted_queries import PersistedQueryStore, resolve_document
from cms.serving.response_cache import ResponseCache, cache_key

VARY_BYTES = VARY.encode()
NO_STORE_BYTES = NO_STORE.encode()
Compute = Callable[[], Awaitable[Response]]
RawHeaders = list[tuple[bytes, bytes]]
KEY_MEMO_SIZE = 4096
KEY_MEMO_MAX_BYTES = 8192  # larger requests are hashed every time rather than kept
NOT_CACHEABLE = ""
# Set by the GraphQL view on request.state: the surrogate keys execution found.
SHOWN_KEYS = "surrogate_keys"
# The fast lane's lookup of a missed request: (key, snapshot), so the request costs the
# cache (a Redis round trip) one lookup, not two.
MISSED_LOOKUP = "cms.response_cache_miss"


def _decoded(raw: Any) -> Any:
    return orjson.loads(raw) if isinstance(raw, str) and raw else raw or None


def _is_query(document: str, operation_name: Any) -> bool:
    """Only queries are cached: a POST may carry a mutation (GETs cannot)."""
    try:
        operation = get_operation_ast(parse(document), operation_name)
    except GraphQLError:
        return False
    return operation is not None and operation.operation == OperationType.QUERY


def _asks_for_fresh(request: Request) -> bool:
    return "no-cache" in request.headers.get("cache-control", "")


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
    def __init__(
        self,
        settings: Settings,
        cache: ResponseCache | None,
        persisted_queries: PersistedQueryStore,
        metrics: Metrics,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.persisted_queries = persisted_queries
        self.metrics = metrics
        self.cache_control = public_cache_control(settings).encode()
        # Query string or body -> cache key, so a hit skips parsing and hashing the document.
        self._keys: dict[bytes, str] = {}
        self._flights = Flights()

    def known_key(self, raw: bytes) -> str | None:
        """The memoised cache key of a query string or body (NOT_CACHEABLE when the view
        answers it), or None when it has not been seen."""
        return self._keys.get(raw)

    async def respond_to_get(self, request: Request, media_type: str, compute: Compute) -> Response:
        query_string: bytes = request.scope["query_string"]
        key = await self._memoised_key(query_string, lambda: self._get_params(query_string))
        if not key:
            return await compute()  # GraphiQL's page, a malformed request, …
        return await self._respond(request, media_type, key, compute, public=True)

    async def respond_to_post(
        self, request: Request, media_type: str, compute: Compute
    ) -> Response:
        body = await request.body()
        key = await self._memoised_key(body, lambda: self._post_params(body))
        if not key:
            response = await compute()
            set_uncacheable_headers(response.headers, private=False)
            return response
        return await self._respond(request, media_type, key, compute, public=False)

    async def _respond(
        self, request: Request, media_type: str, key: str, compute: Compute, *, public: bool
    ) -> Response:
        """From the cache; else from the computation under way for the same response
        (coalescing.py); else computed here, and shared with those who wait for it."""
        snapshot, entry = await self._lookup(request, key)
        if entry is None and snapshot and not _asks_for_fresh(request):
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

    async def _lookup(self, request: Request, key: str) -> tuple[str, bytes | None]:
        if self.cache is None:
            return "", None
        missed = request.scope.pop(MISSED_LOOKUP, None)
        if missed is not None and missed[0] == key:
            snapshot, entry = missed[1], None
        else:
            snapshot, entry = await self.cache.lookup(key)
        if _asks_for_fresh(request):
            return snapshot, None
        self.metrics.cache_lookup(entry is not None)
        return snapshot, entry

    async def _memoised_key(self, raw: bytes, params: Callable[[], dict[str, Any] | None]) -> str:
        key = self._keys.get(raw)
        if key is not None:
            return key
        key = await self._cache_key(params())
        # The allow-list may change, so nothing is memoised in allow-list mode.
        if not self.settings.persisted_queries_only and len(raw) <= KEY_MEMO_MAX_BYTES:
            self._keys[raw] = key
            if len(self._keys) > KEY_MEMO_SIZE:
                self._keys.pop(next(iter(self._keys)))
        return key

    @staticmethod
    def _get_params(query_string: bytes) -> dict[str, Any] | None:
        return dict(parse_qsl(query_string.decode("latin-1")))

    @staticmethod
    def _post_params(body: bytes) -> dict[str, Any] | None:
        try:
            params = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        return params if isinstance(params, dict) else None

    async def _cache_key(self, params: dict[str, Any] | None) -> str:
        """The response-cache key of a request's parameters; NOT_CACHEABLE when the view
        should answer it (no document, malformed JSON, a mutation, …)."""
        if params is None or ("query" not in params and "extensions" not in params):
            return NOT_CACHEABLE
        try:
            variables, extensions = (
                _decoded(params.get("variables")),
                _decoded(params.get("extensions")),
            )
        except orjson.JSONDecodeError:
            return NOT_CACHEABLE
        query, operation_name = params.get("query"), params.get("operationName")
        if not isinstance(extensions, dict | None) or not isinstance(query, str | None):
            return NOT_CACHEABLE
        document = await resolve_document(
            self.persisted_queries,
            query,
            extensions,
            allow_list_only=self.settings.persisted_queries_only,
        )
        if document is None or not _is_query(document, operation_name):
            return NOT_CACHEABLE
        return cache_key(document, operation_name, variables)

    async def _store(
        self, request: Request, snapshot: str, key: str, response: Response, *, public: bool
    ) -> tuple[Response, bytes | None]:
        """Keep a response that may be shared; returns it with HTTP caching headers, and
        the cache entry (None when it may not be shared)."""
        if response.headers.get("cache-control") == PRIVATE:
            return response, None  # for this reader alone (a form token, a preview)
        body = getattr(response, "body", None)
        is_json = "json" in response.headers.get("content-type", "")
        ok = response.status_code == 200 and is_json and isinstance(body, bytes)
        data = orjson.loads(body) if ok else None
        if not isinstance(data, dict) or data.get("errors"):
            set_uncacheable_headers(response.headers, private=False)
            return response, None
        shown = getattr(request.state, SHOWN_KEYS, ())
        etag, keys = etag_for(body), surrogate_keys(data.get("data"), shown)
        entry = b"\n".join([etag.encode(), " ".join(keys).encode(), body])
        # Checked on every hit: only the keys changes invalidate (not every ID shown).
        current = self.cache is None or await self.cache.store(snapshot, key, entry, shown)
        if not public or not current:
            # Not current: what it shows changed while it was computed, and the purge of
            # the HTTP cache may have gone by already; no shared cache may keep it.
            set_uncacheable_headers(response.headers, private=False)
            return response, entry if current else None
        if matches_if_none_match(request.headers.get("if-none-match"), etag):
            return self._not_modified(etag, keys), entry
        set_public_headers(response.headers, self.settings, etag, keys)
        return response, entry

    def _from_entry(
        self, request: Request, media_type: str, entry: bytes, *, public: bool
    ) -> Response:
        status, headers, body = self.hit_response(
            entry, media_type, request.headers.get("if-none-match"), public=public
        )
        return PreparedResponse(body, status, headers)

    def hit_response(
        self, entry: bytes, media_type: str, if_none_match: str | None, *, public: bool
    ) -> tuple[int, RawHeaders, bytes]:
        """Status, headers and body of a response-cache hit: a GET is public (ETag,
        surrogate keys, 304 when the client has it), a POST ``no-store``."""
        etag, keys, body = entry.split(b"\n", 2)
        if public:
            headers = [
                (b"etag", etag),
                (b"cache-control", self.cache_control),
                (b"vary", VARY_BYTES),
                (b"surrogate-key", keys),
                (b"cache-tag", keys.replace(b" ", b",")),
            ]
            if if_none_match and matches_if_none_match(if_none_match, etag.decode()):
                return 304, headers, b""
        else:
            headers = [(b"cache-control", NO_STORE_BYTES), (b"vary", VARY_BYTES)]
        headers += [
            (b"content-type", media_type.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        return 200, headers, body

    def _not_modified(self, etag: str, keys: list[str]) -> Response:
        response = Response(status_code=304)
        set_public_headers(response.headers, self.settings, etag, keys)
        return response
