"""The edge: the one middleware every HTTP request passes through, first.

It reads the request's headers once and, around whatever the app answers, adds

- the request id (``X-Request-ID`` in and out, in every log line: request_context.py),
- one JSON access-log line (when INFO is on) and the Prometheus figures (metrics.py),
- the security headers (security.py) and the CORS headers (cors.py),

and refuses bodies over the size limit with 413, by header or while they stream in
(body_limit.py). One pure-ASGI class rather than a middleware per concern: each layer of
Starlette middleware costs a wrapper per request, and together they cost more than a
response-cache hit itself.
"""

import logging
import time
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cms.serving.body_limit import BodySizeLimit, BodyTooLarge
from cms.serving.cors import CorsPolicy
from cms.serving.metrics import Metrics, route_label
from cms.serving.request_context import REQUEST_ID_HEADER, chosen_request_id, request_id
from cms.serving.security import (
    CONTENT_SECURITY_POLICY,
    SECURITY_HEADER_NAMES,
    add_security_headers,
    html_security_headers,
)
from cms.serving.sessions import loggable_path

access_logger = logging.getLogger("cms.access")


class Edge:
    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: Metrics,
        cors_origins: Sequence[str],
        max_body_bytes: int,
        upload_path: str | None = None,
        max_upload_bytes: int = 0,
        content_security_policy: str = CONTENT_SECURITY_POLICY,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.cors = CorsPolicy(app, cors_origins)
        self.body_limit = BodySizeLimit(max_body_bytes)
        # File uploads (multipart POSTs to the GraphQL path) get their own, larger limit.
        self.upload_path = upload_path
        self.upload_limit = BodySizeLimit(max(max_upload_bytes, max_body_bytes))
        self.html_headers = html_security_headers(content_security_policy)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming_id = origin = content_length = content_type = None
        asks_preflight = False
        for name, value in scope["headers"]:
            if name == REQUEST_ID_HEADER:
                incoming_id = value if incoming_id is None else incoming_id
            elif name == b"origin":
                origin = value if origin is None else origin
            elif name == b"content-length":
                content_length = value if content_length is None else content_length
            elif name == b"content-type":
                content_type = value if content_type is None else content_type
            elif name == b"access-control-request-method":
                asks_preflight = True
        # A preflight's CORS headers are the preflight answer's own.
        preflight = asks_preflight and origin is not None and scope["method"] == "OPTIONS"
        body_limit = (
            self.upload_limit
            if scope["path"] == self.upload_path
            and content_type is not None
            and content_type.lower().startswith(b"multipart/form-data")
            else self.body_limit
        )
        rid = chosen_request_id(incoming_id)
        token = request_id.set(rid)
        status = 0

        async def send_with_edge_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = self.response_headers(
                    message.get("headers", ()), rid.encode(), origin, cors=not preflight
                )
            await send(message)

        try:
            if preflight:
                await self.cors.answer_preflight(scope, receive, send_with_edge_headers)
            elif body_limit.declared_too_large(content_length):
                await body_limit.reject(send_with_edge_headers)
            else:
                try:
                    await self.app(scope, body_limit.limit(receive), send_with_edge_headers)
                except BodyTooLarge:
                    if not status:
                        await body_limit.reject(send_with_edge_headers)
        finally:
            # Unanswered means an exception escaped: Starlette's outer middleware sends a 500.
            self.record(scope, status or 500, time.perf_counter() - started)
            request_id.reset(token)

    def response_headers(
        self,
        headers: Sequence[tuple[bytes, bytes]],
        rid: bytes,
        origin: bytes | None,
        *,
        cors: bool,
    ) -> list[tuple[bytes, bytes]]:
        """The app's response headers with the CORS headers (unless the response is a
        preflight answer, which has its own), security headers and the request id. (ASGI
        response header names are lower case.)"""
        result = list(headers)
        content_type = b""
        vary_at: list[int] = []
        present: set[bytes] = set()
        for index, (name, value) in enumerate(result):
            if name == b"content-type":
                content_type = value
            elif name == b"vary":
                vary_at.append(index)
            elif name in SECURITY_HEADER_NAMES:
                present.add(name)
        if cors:
            self.cors.add_response_headers(result, vary_at, origin)
        add_security_headers(result, content_type, present, self.html_headers)
        result.append((REQUEST_ID_HEADER, rid))
        return result

    def record(self, scope: Scope, status: int, seconds: float) -> None:
        method, path = scope["method"], loggable_path(scope["path"])
        self.metrics.observe(method, route_label(path), status, seconds)
        if access_logger.isEnabledFor(logging.INFO):
            access_logger.info(
                "%s %s %s",
                method,
                path,
                status,
                extra={
                    "method": method,
                    "path": path,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                },
            )
