"""The fast lane: anonymous GraphQL queries already in the response cache are answered here,
before Starlette's router and Strawberry's view, with the very response the view would send
(AnonymousQueries.hit_response) — a hit costs a dictionary lookup and a cache lookup.

Only a request the view would answer from the cache takes the lane: a GET or POST to the
GraphQL path, without an Authorization or X-CSRF-Token header (a token, a studio session) or
``Cache-Control: no-cache``, whose query string or body has been seen before (its cache key
is memoised; never in allow-list mode) and whose cached response is still valid (none of its
keys invalidated). Everything else — misses, tokens, WebSocket upgrades, GraphiQL, unseen
requests — goes on to the app unchanged, with the body it sent.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cms.serving.anonymous_queries import KEY_MEMO_MAX_BYTES, MISSED_LOOKUP, AnonymousQueries
from cms.serving.media_types import negotiate_media_type
from cms.serving.response_cache import ResponseCache
from cms.serving.sessions import CSRF_HEADER

# A bearer token, or a studio session (whose cookie counts only with the CSRF header).
_SIGNED_IN = frozenset({b"authorization", CSRF_HEADER.encode()})


class ResponseCacheHits:
    def __init__(
        self, app: ASGIApp, *, queries: AnonymousQueries, cache: ResponseCache, path: str
    ) -> None:
        self.app = app
        self.queries = queries
        self.cache = cache
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method")
        if scope["type"] != "http" or method not in ("GET", "POST") or not self._routed(scope):
            await self.app(scope, receive, send)
            return
        accept = if_none_match = content_length = None
        for name, value in scope["headers"]:
            if name in _SIGNED_IN or (name == b"cache-control" and b"no-cache" in value):
                await self.app(scope, receive, send)
                return
            if name == b"accept":
                accept = value if accept is None else accept
            elif name == b"if-none-match":
                if_none_match = value if if_none_match is None else if_none_match
            elif name == b"content-length":
                content_length = value if content_length is None else content_length
        if method == "GET":
            key = self.queries.known_key(scope["query_string"])
        elif _fits_the_memo(content_length):
            body, receive = await _read_body(receive)
            key = self.queries.known_key(body)
        else:
            key = None
        if not key:
            await self.app(scope, receive, send)
            return
        snapshot, entry = await self.cache.lookup(key)
        if entry is None:
            scope[MISSED_LOOKUP] = (key, snapshot)
            await self.app(scope, receive, send)
            return
        self.queries.metrics.cache_lookup(True)
        status, headers, body = self.queries.hit_response(
            entry,
            negotiate_media_type(accept.decode("latin-1") if accept else ""),
            if_none_match.decode("latin-1") if if_none_match else None,
            public=method == "GET",
        )
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _routed(self, scope: Scope) -> bool:
        """Whether the router would send this path to the GraphQL endpoint."""
        path, root_path = scope["path"], scope.get("root_path", "")
        if root_path and path.startswith(root_path):
            path = path[len(root_path) :]
        return path == self.path


def _fits_the_memo(content_length: bytes | None) -> bool:
    return (
        content_length is not None
        and content_length.isdigit()
        and int(content_length) <= KEY_MEMO_MAX_BYTES
    )


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The request body, and a ``receive`` that hands the app the same messages again."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return body, replay
