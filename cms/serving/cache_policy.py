"""The cache policy: one object answers every caching question about a GraphQL response —
may it be shared, under which key, with which surrogate keys, and is a kept copy still
fresh. The fast lane (response_cache_hits.py) asks it before routing, the anonymous lane
(anonymous_queries.py) when it looks up and keeps responses, and the GraphQL view
(graphql_view.py) when it marks what it executed.

- **Shared?** Only anonymous answers, to a request without ``Cache-Control: no-cache``, of
  a query (never a mutation), answered 200 as JSON without errors, and not marked private
  by a resolver (a comment form token, a preview link). Editors' answers are private.
- **Key?** The document (a persisted query's hash resolved to its document), the operation
  and the variables (response_cache.cache_key). Keys are memoised by query string or body,
  so a hit skips parsing and hashing — never in allow-list mode, whose list may change.
- **Surrogate keys?** Every key execution found (the pages shown, ``page-list``, …: what
  invalidation relies on), then the global IDs in the answer, behind one key for all content.
- **Kept?** Only an answer showing things that exist: one in which a lookup found nothing
  (tagged ``not-found``) goes to its reader, and to HTTP caches, but never into the response
  cache (:func:`keep`).
- **Fresh?** A kept entry is valid until one of its keys is invalidated (response_cache.py);
  a client's copy is fresh when its ``If-None-Match`` names the entry's ETag (304).
"""

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.datastructures import MutableHeaders
from starlette.responses import Response

from cms.config import Settings
from cms.services.reader_changes import ALL_CONTENT, NOT_FOUND
from cms.serving.http_caching import (
    NO_STORE,
    PRIVATE,
    VARY,
    etag_for,
    matches_if_none_match,
    set_public_headers,
    set_uncacheable_headers,
)
from cms.serving.persisted_queries import PersistedQueryStore, resolve_document
from cms.serving.response_cache import ResponseCache, cache_key

NOT_CACHEABLE = ""
KEY_MEMO_SIZE = 4096
KEY_MEMO_MAX_BYTES = 8192  # larger requests are hashed every time rather than kept
# Every shared response carries this key, so a CDN can purge all content at once.
ALL_CONTENT_KEY = ALL_CONTENT
# On every answer in which a lookup found nothing: such answers are never kept (keep()).
NOT_FOUND_KEY = NOT_FOUND
MAX_SURROGATE_KEYS = 64
# What may be a key: one header token (global IDs are URL-safe base64).
_KEY = re.compile(r"[A-Za-z0-9_=-]{1,100}")
VARY_BYTES = VARY.encode()
NO_STORE_BYTES = NO_STORE.encode()
RawHeaders = list[tuple[bytes, bytes]]


def public_cache_control(settings: Settings) -> str:
    return (
        f"public, max-age={settings.http_max_age}, s-maxage={settings.http_shared_max_age}, "
        f"stale-while-revalidate={settings.http_stale_while_revalidate}"
    )


def _global_ids(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "id" and isinstance(value, str):
                yield value
            else:
                yield from _global_ids(value)
    elif isinstance(data, list):
        for item in data:
            yield from _global_ids(item)


def surrogate_keys(data: Any, shown: Iterable[str] = ()) -> list[str]:
    """The content a response shows, as purge keys: one key for all content, every key
    execution found (``shown``), then the global IDs in it (when the query asked for
    ``id``), up to MAX_SURROGATE_KEYS."""
    keys = dict.fromkeys([ALL_CONTENT_KEY, *sorted(k for k in shown if _KEY.fullmatch(k))])
    for global_id in _global_ids(data):
        if len(keys) >= MAX_SURROGATE_KEYS:
            break
        if _KEY.fullmatch(global_id):
            keys.setdefault(global_id)
    return list(keys)


async def keep(
    cache: ResponseCache, snapshot: str, key: str, entry: bytes, keys: Iterable[str]
) -> bool:
    """Keep ``entry`` in the response cache unless it answers that something does not
    exist; False when what it shows changed since ``snapshot`` (no shared cache may keep it).

    Answers for missing things are never kept, and there is no negative cache either: their
    addresses are the one input anybody can vary without end (``/pages/<random>``, a query
    for a random slug), so keeping them would let a stranger fill the cache and evict the
    pages readers read. A stampede on one hot missing slug costs one indexed lookup per
    request, concurrent ones are computed once (coalescing.py), and the answer still goes
    out public and tagged ``not-found``, for a CDN to absorb and purge on the next publish.
    Such an answer is only checked current: a snapshot that moved means a change was
    invalidated while it was computed, and the purge of HTTP caches may have gone by.
    """
    if NOT_FOUND_KEY not in keys:
        return await cache.store(snapshot, key, entry, keys)
    if not snapshot:
        return True  # as store(): the cache is unreachable, nothing to compare with
    return (await cache.lookup(key))[0] == snapshot


def _decoded(raw: Any) -> Any:
    return orjson.loads(raw) if isinstance(raw, str) and raw else raw or None


def _is_query(document: str, operation_name: Any) -> bool:
    """Only queries are cached: a POST may carry a mutation (GETs cannot)."""
    try:
        operation = get_operation_ast(parse(document), operation_name)
    except GraphQLError:
        return False
    return operation is not None and operation.operation == OperationType.QUERY


class CachePolicy:
    def __init__(self, settings: Settings, persisted_queries: PersistedQueryStore) -> None:
        self.settings = settings
        self.persisted_queries = persisted_queries
        self.cache_control = public_cache_control(settings)
        self._cache_control_bytes = self.cache_control.encode()
        # Query string or body -> cache key, so a hit skips parsing and hashing the document.
        self._keys: dict[bytes, str] = {}

    # --- shared? ----------------------------------------------------------------------

    @staticmethod
    def shares_answers_to(viewer: object | None) -> bool:
        """Only anonymous answers are shared; an editor's stay private to the editor."""
        return viewer is None

    @staticmethod
    def asks_for_fresh(cache_control: str | bytes | None) -> bool:
        """``Cache-Control: no-cache``: execute afresh (and refresh the kept entry)."""
        if isinstance(cache_control, bytes):
            return b"no-cache" in cache_control
        return cache_control is not None and "no-cache" in cache_control

    @classmethod
    def may_answer_from_cache(cls, *, authorized: bool, cache_control: str | bytes | None) -> bool:
        """Whether a request may get a kept response: anonymous, not asking for a fresh one."""
        return not authorized and not cls.asks_for_fresh(cache_control)

    @staticmethod
    def is_private(response: Response) -> bool:
        """Marked as its reader's alone (a form token, a preview, an editor's answer)."""
        return response.headers.get("cache-control") == PRIVATE

    def shareable_data(self, response: Response) -> dict[str, Any] | None:
        """The decoded answer of a response that may be kept and shared; None when it may
        not be (private to its reader, an error, not JSON)."""
        if self.is_private(response):
            return None
        body = getattr(response, "body", None)
        is_json = "json" in response.headers.get("content-type", "")
        if response.status_code != 200 or not is_json or not isinstance(body, bytes):
            return None
        data = orjson.loads(body)
        return data if isinstance(data, dict) and not data.get("errors") else None

    # --- key? -------------------------------------------------------------------------

    def known_key(self, raw: bytes) -> str | None:
        """The memoised key of a query string or body (NOT_CACHEABLE when the view answers
        it), or None when it has not been seen."""
        return self._keys.get(raw)

    @staticmethod
    def fits_the_memo(content_length: bytes | None) -> bool:
        return (
            content_length is not None
            and content_length.isdigit()
            and int(content_length) <= KEY_MEMO_MAX_BYTES
        )

    async def key(self, raw: bytes, params: Callable[[], dict[str, Any] | None]) -> str:
        """The cache key of a request whose query string or body is ``raw``; NOT_CACHEABLE
        when the view should answer it (no document, malformed JSON, a mutation, …)."""
        key = self._keys.get(raw)
        if key is not None:
            return key
        key = await self._key_of(params())
        if not self.settings.persisted_queries_only and len(raw) <= KEY_MEMO_MAX_BYTES:
            self._keys[raw] = key
            if len(self._keys) > KEY_MEMO_SIZE:
                self._keys.pop(next(iter(self._keys)))
        return key

    async def _key_of(self, params: dict[str, Any] | None) -> str:
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

    # --- surrogate keys? ------------------------------------------------------------------

    @staticmethod
    def entry(body: bytes, data: dict[str, Any], shown: Iterable[str]) -> bytes:
        """What the response cache keeps: the ETag, the surrogate keys and the body."""
        keys = surrogate_keys(data.get("data"), shown)
        return b"\n".join([etag_for(body).encode(), " ".join(keys).encode(), body])

    # --- fresh? and the headers that say so -----------------------------------------------

    @staticmethod
    def mark_uncacheable(headers: MutableHeaders, *, private: bool) -> None:
        """No shared cache may keep it (``private``: it is its reader's alone)."""
        set_uncacheable_headers(headers, private=private)

    def mark_shared(self, headers: MutableHeaders, entry: bytes) -> None:
        etag, keys, _ = entry.split(b"\n", 2)
        set_public_headers(headers, self.cache_control, etag.decode(), keys.decode().split(" "))

    @staticmethod
    def client_copy_is_fresh(entry: bytes, if_none_match: str | None) -> bool:
        etag = entry.split(b"\n", 1)[0].decode()
        return matches_if_none_match(if_none_match, etag)

    def cached_response(
        self, entry: bytes, media_type: str, if_none_match: str | None, *, public: bool
    ) -> tuple[int, RawHeaders, bytes]:
        """Status, headers and body of an answer from a kept entry: a GET is public (ETag,
        surrogate keys, 304 when the client's copy is fresh), a POST ``no-store``."""
        etag, keys, body = entry.split(b"\n", 2)
        if public:
            headers = [
                (b"etag", etag),
                (b"cache-control", self._cache_control_bytes),
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
