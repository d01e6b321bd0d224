"""Serving anonymous GraphQL GETs from the response cache, with HTTP caching headers.

A hit skips parsing, validation, execution and the database entirely; a miss runs the query
and, when it answered without errors, keeps the response for the current content generation.
"""

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from cms.config import Settings
from cms.serving.http_caching import (
    etag_for,
    matches_if_none_match,
    set_public_headers,
    set_uncacheable_headers,
    surrogate_keys,
)
from cms.serving.metrics import Metrics
from cms.serving.persisted_queries import PersistedQueryStore, resolve_document
from cms.serving.response_cache import ResponseCache, cache_key

Compute = Callable[[], Awaitable[Response]]


def _decoded(raw: str | None) -> Any:
    return orjson.loads(raw) if raw else None


class AnonymousGets:
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

    async def respond(self, request: Request, media_type: str, compute: Compute) -> Response:
        params = request.query_params
        if "query" not in params and "extensions" not in params:
            return await compute()  # GraphiQL's page, or a 400 for a missing query
        try:
            variables, extensions = (
                _decoded(params.get("variables")),
                _decoded(params.get("extensions")),
            )
        except orjson.JSONDecodeError:
            return await compute()  # the view answers malformed JSON with a 400
        if not isinstance(extensions, dict | None):
            return await compute()
        document = await resolve_document(
            self.persisted_queries,
            params.get("query"),
            extensions,
            allow_list_only=self.settings.persisted_queries_only,
        )
        if document is None:
            return await compute()
        key = cache_key(document, params.get("operationName"), variables)
        generation, entry = ("", None)
        if self.cache is not None:
            generation, entry = await self.cache.lookup(key)
            self.metrics.cache_lookup(entry is not None)
        if entry is not None:
            return self._from_entry(request, media_type, entry)
        response = await compute()
        body = getattr(response, "body", None)
        is_json = "json" in response.headers.get("content-type", "")
        if response.status_code != 200 or not isinstance(body, bytes) or not is_json:
            set_uncacheable_headers(response.headers, private=False)
            return response
        data = orjson.loads(body)
        if not isinstance(data, dict) or data.get("errors"):
            set_uncacheable_headers(response.headers, private=False)
            return response
        etag, keys = etag_for(body), surrogate_keys(data.get("data"))
        if self.cache is not None:
            entry = b"\n".join([etag.encode(), " ".join(keys).encode(), body])
            await self.cache.store(generation, key, entry)
        if matches_if_none_match(request.headers.get("if-none-match"), etag):
            return self._not_modified(etag, keys)
        set_public_headers(response.headers, self.settings, etag, keys)
        return response

    def _from_entry(self, request: Request, media_type: str, entry: bytes) -> Response:
        etag, keys, body = entry.split(b"\n", 2)
        key_list = keys.decode().split(" ")
        if matches_if_none_match(request.headers.get("if-none-match"), etag.decode()):
            return self._not_modified(etag.decode(), key_list)
        response = Response(body, media_type=media_type)
        set_public_headers(response.headers, self.settings, etag.decode(), key_list)
        return response

    def _not_modified(self, etag: str, keys: list[str]) -> Response:
        response = Response(status_code=304)
        set_public_headers(response.headers, self.settings, etag, keys)
        return response
